package smol.examples;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import smol.wire.LinkType;
import smol.wire.PacketPrinter;
import smol.wire.PcapFormatException;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;

/**
 * {@code ./smol tcpdump -r FILE}: lists every frame of a pcap or pcapng file with smol's pretty printer.
 *
 * <p>Exit codes: 0 every frame listed; 1 the frames before a damaged end were listed and the damage
 * reported; 2 bad usage, or a file that is missing or not a capture (a one-line error).
 */
public final class Tcpdump {
    private Tcpdump() {}

    /** Runs the command with its arguments (after {@code tcpdump}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-r") && i + 1 < args.length && file == null) {
                file = args[++i];
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                out.println("usage: ./smol tcpdump -r FILE");
                return 0;
            } else {
                err.println("smol tcpdump: unexpected argument '" + args[i] + "' (usage: ./smol tcpdump -r FILE)");
                return 2;
            }
        }
        if (file == null) {
            err.println("smol tcpdump: no capture named (usage: ./smol tcpdump -r FILE)");
            return 2;
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
