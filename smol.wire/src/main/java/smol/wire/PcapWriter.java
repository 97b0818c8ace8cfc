package smol.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Writes frames to a pcap file (libpcap format 2.4, pcap-savefile(5)), buffered, allocating nothing
 * per frame. The file header goes out when the writer is created; each {@link #write} appends one
 * record. Bytes reach the stream when the buffer fills, on {@link #flush()} and on {@link #close()}.
 *
 * <p>Not thread-safe: one writer belongs to one thread at a time.
 */
public final class PcapWriter implements AutoCloseable {
    /** Timestamp resolution of the file; each has its own magic number. */
    public enum Precision {
        /** Microseconds, magic {@code a1b2c3d4}: what every pcap reader knows. */
        MICROSECONDS,
        /** Nanoseconds, magic {@code a1b23c4d}. */
        NANOSECONDS
    }

    /** The snaplen of a writer made with {@link #PcapWriter(OutputStream)}: 65535 bytes. */
    public static final int DEFAULT_SNAPLEN = 65535;

    private static final int BUFFER_LEN = 64 * 1024;

    private final OutputStream out;
    private final boolean bigEndian;
    private final boolean nanoseconds;
    private final int snaplen;
    // Record headers are written straight into this buffer: it is the scratch the header needs.
    private final byte[] buffer = new byte[BUFFER_LEN];
    private int used;
    private boolean closed;

    /**
     * Starts a little-endian pcap file with microsecond timestamps, snaplen 65535 and link type
     * {@link LinkType#ETHERNET} on {@code out}, which the writer then owns.
     */
    public PcapWriter(OutputStream out) throws IOException {
        this(out, ByteOrder.LITTLE_ENDIAN, Precision.MICROSECONDS, DEFAULT_SNAPLEN, LinkType.ETHERNET);
    }

    /**
     * Starts a pcap file on {@code out}, which the writer then owns, and buffers its header.
     *
     * @param byteOrder order of every header field in the file
     * @param precision timestamp resolution, which selects the magic number
     * @param snaplen the most bytes kept of each frame, 1 .. 268435456 (tshark accepts up to 262144)
     * @param linkType what each frame starts with, 0 .. 65535, a {@link LinkType} value
     * @throws IllegalArgumentException when snaplen or link type is out of range
     */
    public PcapWriter(OutputStream out, ByteOrder byteOrder, Precision precision, int snaplen, int linkType)
            throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        Objects.requireNonNull(byteOrder, "byteOrder");
        Objects.requireNonNull(precision, "precision");
        if (snaplen < 1 || snaplen > PcapFormat.MAX_LENGTH) {
            throw new IllegalArgumentException("snaplen out of range 1.." + PcapFormat.MAX_LENGTH + ": " + snaplen);
        }
        if (linkType < 0 || linkType > PcapFormat.LINK_TYPE_MASK) {
            throw new IllegalArgumentException("link type out of range 0..65535: " + linkType);
        }
        this.bigEndian = byteOrder == ByteOrder.BIG_ENDIAN;
        this.nanoseconds = precision == Precision.NANOSECONDS;
        this.snaplen = snaplen;
        putU32(0, nanoseconds ? PcapFormat.MAGIC_NANOSECONDS : PcapFormat.MAGIC_MICROSECONDS);
        putU16(PcapFormat.FILE_VERSION_MAJOR, PcapFormat.VERSION_MAJOR);
        putU16(PcapFormat.FILE_VERSION_MINOR, PcapFormat.VERSION_MINOR);
        putU32(8, 0); // thiszone: timestamps are UTC
        putU32(12, 0); // sigfigs: always 0 in practice
        putU32(PcapFormat.FILE_SNAPLEN, snaplen);
        putU32(PcapFormat.FILE_LINK_TYPE, linkType);
        used = PcapFormat.FILE_HEADER_LEN;
    }

    /**
     * Appends one frame: {@code len} bytes of {@code buf} from {@code off}, seen at {@code timestampNanos}
     * nanoseconds since the epoch. A microsecond file keeps the timestamp truncated to microseconds; the
     * seconds field is 32 bits, so seconds are written modulo 2^32 (good until 2106). A frame longer than
     * the snaplen is cut to it, its original length kept in the record.
     *
     * @throws IndexOutOfBoundsException when {@code off}/{@code len} do not lie inside {@code buf}
     * @throws IOException when the writer is closed or the stream fails
     */
    public void write(long timestampNanos, byte[] buf, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        if (used + PcapFormat.RECORD_HEADER_LEN > BUFFER_LEN) {
            drain();
        }
        int captured = Math.min(len, snaplen);
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        int fraction = (int) Math.floorMod(timestampNanos, 1_000_000_000L);
        int base = used;
        putU32(base + PcapFormat.RECORD_SECONDS, (int) seconds);
        putU32(base + PcapFormat.RECORD_FRACTION, nanoseconds ? fraction : fraction / 1000);
        putU32(base + PcapFormat.RECORD_CAPTURED_LENGTH, captured);
        putU32(base + PcapFormat.RECORD_ORIGINAL_LENGTH, len);
        used += PcapFormat.RECORD_HEADER_LEN;
        if (captured <= BUFFER_LEN - used) {
            System.arraycopy(buf, off, buffer, used, captured);
            used += captured;
        } else {
            drain();
            out.write(buf, off, captured);
        }
    }

    /** Writes the buffered bytes to the stream and flushes it. */
    public void flush() throws IOException {
        if (closed) {
            throw new IOException("pcap writer is closed");
        }
        drain();
        out.flush();
    }

    /** Writes the buffered bytes and closes the stream; calling it again does nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            drain();
        } finally {
            out.close();
        }
    }

    private void drain() throws IOException {
        if (used > 0) {
            int n = used;
            used = 0;
            out.write(buffer, 0, n);
        }
    }

    private void putU16(int i, int v) {
        if (bigEndian) {
            Bytes.putU16(buffer, i, v);
        } else {
            buffer[i] = (byte) v;
            buffer[i + 1] = (byte) (v >>> 8);
        }
    }

    private void putU32(int i, int v) {
        if (bigEndian) {
            Bytes.putU32(buffer, i, v);
        } else {
            buffer[i] = (byte) v;
            buffer[i + 1] = (byte) (v >>> 8);
            buffer[i + 2] = (byte) (v >>> 16);
            buffer[i + 3] = (byte) (v >>> 24);
        }
    }
}
