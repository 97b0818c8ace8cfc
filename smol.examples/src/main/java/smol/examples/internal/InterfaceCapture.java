package smol.examples.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import smol.iface.InterfaceService;
import smol.wire.LinkType;
import smol.wire.PacketPrinter;
import smol.wire.PcapWriter;

/**
 * A live capture of one interface: a {@link FrameQueue} observes the interface's frames on its loop thread,
 * and a thread of the capture's own lists each frame in one line to {@code listing} and/or writes it to a
 * pcap file, until {@code count} frames were taken or {@link #close()}.
 *
 * <p>A listing line is {@code HH:MM:SS.micros in|out} then the pretty printer's layers joined by
 * {@code " | "}, e.g. {@code 12:00:01.000042 in  EthernetII src=… type=ipv4 | IPv4 src=… | UDP src=…}.
 * When the queue was full, the frames dropped are told to {@code warnings} once the capture caught up
 * (as is an error that stops it); at the end a summary goes to {@code summary}. The pcap file keeps each frame cut to the snaplen, with the cut
 * length as its original length too.
 *
 * <p>Plain Java: the OSGi component adapts it to the log; tests run it on a runtime directly.
 */
public final class InterfaceCapture implements AutoCloseable {
    /** How long the capture's thread sleeps when it finds the queue empty and nobody unparks it. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How long {@link #close()} waits for the thread to end. */
    private static final long JOIN_MILLIS = 5_000;

    private final InterfaceService iface;
    private final Consumer<String> listing;
    private final Consumer<String> warnings;
    private final Consumer<String> summary;
    private final PcapWriter pcap;
    private final Thread thread;
    private final FrameQueue queue;
    private final PacketPrinter printer = new PacketPrinter();
    private final StringBuilder text = new StringBuilder(512);
    private final StringBuilder line = new StringBuilder(512);
    private final long offsetSeconds;
    private volatile boolean closing;
    private volatile long listed;
    private long droppedReported;

    /**
     * Starts capturing {@code iface}: up to {@code count} frames (0: until closed), each kept cut to
     * {@code snaplen} bytes in a queue of {@code capacity} frames, listed on {@code listing} (null: no
     * listing) and written to {@code pcapFile} (null: none); see the class for {@code warnings} and
     * {@code summary}.
     *
     * @throws IOException when the pcap file cannot be created
     * @throws IllegalArgumentException for a capacity or snaplen below 1, or a negative count
     */
    public InterfaceCapture(InterfaceService iface, long count, int capacity, int snaplen, Consumer<String> listing,
            Path pcapFile, Consumer<String> warnings, Consumer<String> summary) throws IOException {
        this.iface = iface;
        this.listing = listing;
        this.warnings = warnings;
        this.summary = summary;
        this.thread = new Thread(this::run, "smol tcpdump " + iface.name());
        this.thread.setDaemon(true);
        this.queue = new FrameQueue(capacity, snaplen, count, thread);
        this.offsetSeconds = ZoneId.systemDefault().getRules().getOffset(Instant.now()).getTotalSeconds();
        this.pcap = pcapFile == null ? null : new PcapWriter(Files.newOutputStream(pcapFile),
                ByteOrder.LITTLE_ENDIAN, PcapWriter.Precision.MICROSECONDS, snaplen, LinkType.ETHERNET);
        iface.addObserver(queue);
        thread.start();
    }

    /** Returns how many frames were listed (or written) so far. */
    long listed() {
        return listed;
    }

    /** Returns how many frames were dropped so far because the queue was full. */
    long dropped() {
        return queue.dropped();
    }

    /** Returns true once the capture's thread ended: the count was reached, or it was closed. */
    public boolean ended() {
        return !thread.isAlive();
    }

    /**
     * Stops the capture: no frame is observed after it returns, the thread ends (within 5 s), the pcap
     * file is closed. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        iface.removeObserver(queue);
        LockSupport.unpark(thread);
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!closing) {
                int slot = queue.peek();
                if (slot >= 0) {
                    take(slot);
                    queue.release();
                    continue;
                }
                // caught up: the moment to say what was dropped, and to let the file catch up too
                reportDrops();
                if (queue.limitReached()) {
                    break;
                }
                if (pcap != null) {
                    pcap.flush();
                }
                LockSupport.parkNanos(this, IDLE_NANOS);
            }
        } catch (IOException | RuntimeException e) {
            warnings.accept("tcpdump " + iface.name() + ": stopped by " + e);
        } finally {
            iface.removeObserver(queue);
            closePcap();
            reportDrops();
            summary.accept("tcpdump " + iface.name() + ": " + listed + " frames listed, " + queue.dropped()
                    + " dropped (queue full)");
        }
    }

    private void take(int slot) throws IOException {
        byte[] bytes = queue.bytes();
        int offset = queue.offset(slot);
        int length = queue.capturedLength(slot);
        if (pcap != null) {
            pcap.write(queue.timeNanos(slot), bytes, offset, length);
        }
        if (listing != null) {
            listing.accept(listingLine(slot, bytes, offset, length));
        }
        listed++; // only this thread writes it
    }

    private String listingLine(int slot, byte[] bytes, int offset, int length) {
        text.setLength(0);
        printer.print(bytes, offset, length, text);
        line.setLength(0);
        appendTimeOfDay(queue.timeNanos(slot));
        line.append(queue.outgoing(slot) ? " out " : " in  ");
        // one line per frame, as tcpdump prints them: the printer's layers (one a line, indented) joined
        int start = 0;
        for (int end = text.indexOf("\n"); end >= 0; start = end + 1, end = text.indexOf("\n", start)) {
            if (start > 0) {
                line.append(" | ");
            }
            int from = start;
            while (from < end && text.charAt(from) == ' ') {
                from++;
            }
            line.append(text, from, end);
        }
        if (queue.originalLength(slot) > length) {
            line.append(" (cut to ").append(length).append(" of ").append(queue.originalLength(slot)).append(" bytes)");
        }
        return line.toString();
    }

    private void appendTimeOfDay(long epochNanos) {
        long seconds = Math.floorMod(Math.floorDiv(epochNanos, 1_000_000_000L) + offsetSeconds, 86_400L);
        two(seconds / 3600).append(':');
        two(seconds / 60 % 60).append(':');
        two(seconds % 60).append('.');
        String micros = Long.toString(Math.floorMod(epochNanos, 1_000_000_000L) / 1000 + 1_000_000);
        line.append(micros, 1, 7);
    }

    private StringBuilder two(long value) {
        return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private void reportDrops() {
        long dropped = queue.dropped();
        if (dropped > droppedReported) {
            warnings.accept("tcpdump " + iface.name() + ": " + (dropped - droppedReported) + " frames dropped, the"
                    + " queue was full (" + dropped + " in all)");
            droppedReported = dropped;
        }
    }

    private void closePcap() {
        if (pcap == null) {
            return;
        }
        try {
            pcap.close();
        } catch (IOException e) {
            warnings.accept("tcpdump " + iface.name() + ": closing the pcap file failed: " + e);
        }
    }
}
