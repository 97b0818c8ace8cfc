package smol.examples;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import smol.phy.Device;
import smol.phy.DeviceProviders;
import smol.wire.LinkType;
import smol.wire.PacketPrinter;
import smol.wire.PcapFormatException;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;

/**
 * {@code ./smol tcpdump -r FILE}: lists every frame of a pcap or pcapng file with smol's pretty printer.
 * {@code ./smol tcpdump [-c N] [--netns NS] IFACE}: lists the frames on a host's interface as they come,
 * in both directions, through a raw-socket device that keeps the host's outgoing frames
 * ({@link LiveCapture}); it needs root (CAP_NET_RAW) and the raw device ({@code smol.phy.raw}) on the
 * class path, and runs until N frames were listed or Ctrl-C.
 *
 * <p>Exit codes: 0 every frame listed; 1 the frames before a damaged end were listed and the damage
 * reported, or the live device could not be opened; 2 bad usage, or a file that is missing or not a
 * capture (a one-line error).
 */
public final class Tcpdump {
    static final String USAGE = "usage: ./smol tcpdump -r FILE | ./smol tcpdump [-c N] [--netns NS] IFACE";

    private Tcpdump() {}

    /** Runs the command with its arguments (after {@code tcpdump}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        String iface = null;
        String netns = null;
        long count = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (a.equals("-r") && i + 1 < args.length && file == null) {
                file = args[++i];
            } else if (a.equals("-c") && i + 1 < args.length) {
                try {
                    count = LoopbackBenchmark.parseLong("-c", args[++i], 1, Long.MAX_VALUE);
                } catch (IllegalArgumentException e) {
                    err.println("smol tcpdump: " + e.getMessage() + " (" + USAGE + ")");
                    return 2;
                }
            } else if (a.equals("--netns") && i + 1 < args.length && netns == null) {
                netns = args[++i];
            } else if (!a.startsWith("-") && iface == null) {
                iface = a;
            } else {
                err.println("smol tcpdump: unexpected argument '" + a + "' (" + USAGE + ")");
                return 2;
            }
        }
        if (file != null && (iface != null || netns != null || count != 0)) {
            err.println("smol tcpdump: -r reads a file; -c, --netns and an interface are for a live capture ("
                    + USAGE + ")");
            return 2;
        }
        if (file == null && iface == null) {
            err.println("smol tcpdump: no capture file or interface named (" + USAGE + ")");
            return 2;
        }
        if (iface != null) {
            return live(iface, netns, count, out, err);
        }
        Path path = Path.of(file);
        if (Files.isDirectory(path)) {
            err.println("smol tcpdump: " + file + ": is a directory, not a capture file");
            return 2;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
                PcapReader reader = new PcapReader(in)) {
            return list(reader, file, out, err);
        } catch (NoSuchFileException e) {
            err.println("smol tcpdump: " + file + ": no such file");
            return 2;
        } catch (PcapFormatException e) {
            err.println("smol tcpdump: " + file + ": " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("smol tcpdump: " + file + ": cannot read: " + e.getMessage());
            return 2;
        }
    }

    /** Lists the frames on {@code iface} (in {@code netns} when not null) until {@code count} or Ctrl-C. */
    private static int live(String iface, String netns, long count, PrintStream out, PrintStream err) {
        if (!DeviceProviders.kinds().contains("raw")) {
            err.println("smol tcpdump: the raw-socket device (smol.phy.raw) is not on the class path");
            return 1;
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("outgoing", "keep");
        if (netns != null) {
            options.put("netns", netns);
        }
        Device device;
        try {
            device = DeviceProviders.open("raw", iface, options);
        } catch (RuntimeException e) {
            err.println("smol tcpdump: " + e.getMessage());
            return 1;
        }
        LiveCapture capture = new LiveCapture(device, out);
        Thread listing = Thread.currentThread();
        Thread hook = new Thread(() -> {
            capture.stop();
            try {
                listing.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "smol-tcpdump-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        err.println("smol tcpdump: listening on " + device + (count > 0 ? ", " + count + " frames" : ", Ctrl-C to stop"));
        long listed;
        try {
            listed = capture.run(count, () -> false);
        } finally {
            if (device instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    err.println("smol tcpdump: closing " + device + " failed: " + e.getMessage());
                }
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C: the hook is running and waits for this thread
        }
        err.println("smol tcpdump: " + listed + " frames");
        return 0;
    }

    private static int list(PcapReader reader, String file, PrintStream out, PrintStream err) throws IOException {
        PacketPrinter printer = new PacketPrinter();
        StringBuilder listing = new StringBuilder(512);
        long frames = 0;
        PcapRecord record;
        while ((record = reader.next()) != null) {
            frames++;
            listing.setLength(0);
            if (record.linkType() == LinkType.ETHERNET) {
                printer.print(record.buffer(), 0, record.capturedLength(), listing);
            } else {
                listing.append("(link type ").append(LinkType.name(record.linkType()))
                        .append(" not supported) len=").append(record.capturedLength()).append('\n');
            }
            out.append(listing);
        }
        out.flush();
        String problem = reader.problem();
        if (problem != null) {
            err.println("smol tcpdump: " + file + ": " + problem + " (after " + frames + " whole frames)");
            return 1;
        }
        return 0;
    }
}
