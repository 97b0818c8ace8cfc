package smol.examples;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;
import smol.phy.Device;
import smol.phy.ReceivedChecksum;
import smol.phy.Wakeup;
import smol.wire.PacketPrinter;

/**
 * Lists the frames a device receives as they come: each frame's first line starts with the time of day
 * (local, to the microsecond) and its direction, {@code in} or {@code out} ({@link Device#receivedOutgoing}),
 * then smol's pretty printer's listing; a frame whose transport checksum the device says is not filled in
 * yet ({@link ReceivedChecksum#NOT_READY}) shows {@code (checksum offloaded)} instead of a bad checksum.
 *
 * <p>The device comes from outside (a raw socket that keeps outgoing frames, for {@code ./smol tcpdump
 * IFACE}; any {@link Device} in tests or in an OSGi component), so the same code runs everywhere. The
 * capture owns the device while it runs: it is the only thread that receives from it.
 */
public final class LiveCapture {
    /**
     * The largest frame a capture takes whole: a packet socket hands over TCP frames coalesced by GRO or
     * not yet cut by TSO, up to 64 KiB of IP, far beyond the interface's MTU.
     */
    static final int MAX_FRAME = 65535 + 14;
    /** The longest a wait for the next frame lasts before the stop condition is looked at again. */
    private static final long WAIT_MICROS = 100_000;

    private final Device device;
    private final PrintStream out;
    private final Wakeup wakeup = new Wakeup();
    private final PacketPrinter printer = new PacketPrinter();
    private final StringBuilder line = new StringBuilder(512);
    private final byte[] frame;
    private final long offsetSeconds;
    private long frames;
    private volatile boolean stopped;

    /** A capture of what {@code device} receives, listed on {@code out}. */
    public LiveCapture(Device device, PrintStream out) {
        this.device = device;
        this.out = out;
        this.frame = new byte[Math.max(MAX_FRAME, device.capabilities().maxFrameLength())];
        this.offsetSeconds = ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds();
    }

    /**
     * Lists frames until {@code count} were listed (0: no limit), {@code stop} says so, or the thread is
     * interrupted; returns how many were listed. {@link #stop()} from another thread ends it promptly.
     */
    public long run(long count, BooleanSupplier stop) {
        long origin = System.nanoTime();
        while ((count == 0 || frames < count) && !stopped && !stop.getAsBoolean()
                && !Thread.currentThread().isInterrupted()) {
            long now = (System.nanoTime() - origin) / 1000;
            int len = device.receive(frame, 0, now);
            if (len > 0) {
                list(len);
                continue;
            }
            try {
                device.await(wakeup, WAIT_MICROS, false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        out.flush();
        return frames;
    }

    /** Ends a {@link #run} in progress promptly; safe from any thread. */
    public void stop() {
        stopped = true;
        wakeup.post();
    }

    /** Returns how many frames were listed so far. */
    public long frames() {
        return frames;
    }

    private void list(int len) {
        frames++;
        line.setLength(0);
        appendTimeOfDay(line, Instant.now());
        line.append(device.receivedOutgoing() ? " out " : " in  ");
        printer.print(frame, 0, len, device.receivedChecksum() == ReceivedChecksum.NOT_READY, line);
        out.append(line);
        out.flush();
    }

    private void appendTimeOfDay(StringBuilder sb, Instant at) {
        long seconds = Math.floorMod(at.getEpochSecond() + offsetSeconds, 86_400L);
        two(sb, seconds / 3600).append(':');
        two(sb, seconds / 60 % 60).append(':');
        two(sb, seconds % 60).append('.');
        String micros = Integer.toString(at.getNano() / 1000 + 1_000_000);
        sb.append(micros, 1, 7);
    }

    private static StringBuilder two(StringBuilder sb, long value) {
        return sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
