package smol.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads frames from a pcap file (libpcap format, either byte order, micro- or nanosecond timestamps)
 * or a pcapng file (draft-ietf-opsawg-pcapng: any number of sections in either byte order, Interface
 * Description, Enhanced Packet, Simple Packet and obsolete Packet blocks; every other block is skipped
 * by its length). Buffered; after the first records no allocation per record.
 *
 * <p>Whatever the bytes, reading throws no unchecked exception. Bytes that are not a pcap or pcapng file
 * are refused at creation with a {@link PcapFormatException}. Inside a file that started right, a
 * truncated last record, an absurd length or a broken block ends the file: {@link #next()} returns
 * {@code null} and {@link #problem()} says what was wrong; every record before it has been delivered.
 *
 * <p>Not thread-safe: one reader belongs to one thread at a time.
 */
public final class PcapReader implements AutoCloseable {
    private static final int BUFFER_LEN = 64 * 1024;
    private static final int INITIAL_FRAME_LEN = 2048;
    /** pcapng's default if_tsresol: 10^-6 seconds. */
    private static final int MICROSECOND_RESOLUTION = 6;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** More interfaces than this in one section is taken for corruption, so that memory stays bounded. */
    private static final int MAX_INTERFACES = 1 << 16;
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final InputStream in;
    private final byte[] input = new byte[BUFFER_LEN];
    private int pos;
    private int limit;
    private boolean endOfStream;
    /** Bytes of the file consumed so far: where the next block or record starts. */
    private long position;

    private final boolean pcapng;
    private boolean bigEndian;
    private boolean nanoseconds;
    private int fileLinkType;

    private final byte[] scratch = new byte[32];
    private byte[] frame = new byte[INITIAL_FRAME_LEN];
    private final PcapRecord record = new PcapRecord();
    private String problem;
    private boolean ended;
    private boolean closed;

    // The interfaces of the current pcapng section, by interface id.
    private int interfaceCount;
    private int[] interfaceLinkType = new int[4];
    private int[] interfaceSnaplen = new int[4];
    private int[] interfaceResolution = new int[4];
    private long[] interfaceOffsetSeconds = new long[4];

    /**
     * Opens a reader on {@code in}, which it then owns, and reads the start of the file to tell pcap from
     * pcapng.
     *
     * @throws PcapFormatException when the bytes are neither (an empty stream too)
     * @throws IOException when the stream fails; {@code in} is closed whenever this throws
     */
    public PcapReader(InputStream in) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        try {
            int n = fill(12);
            if (n == 0) {
                throw new PcapFormatException("not a pcap or pcapng file (empty)");
            }
            int magic = n >= 4 ? Bytes.u32(input, pos) : 0;
            if (n >= 4 && magic == PcapFormat.BLOCK_SECTION_HEADER) {
                pcapng = true;
                // The byte-order magic decides; a shorter file is a truncated pcapng file, reported by next().
                if (n >= 12 && sectionByteOrder(Bytes.u32(input, pos + 8)) < 0) {
                    throw new PcapFormatException(String.format(
                            "not a pcap or pcapng file (pcapng section header with byte-order magic 0x%08x)",
                            Bytes.u32(input, pos + 8)));
                }
            } else if (n >= 4 && (magic == PcapFormat.MAGIC_MICROSECONDS || magic == PcapFormat.MAGIC_NANOSECONDS)) {
                pcapng = false;
                bigEndian = true;
                nanoseconds = magic == PcapFormat.MAGIC_NANOSECONDS;
            } else if (n >= 4 && (Integer.reverseBytes(magic) == PcapFormat.MAGIC_MICROSECONDS
                    || Integer.reverseBytes(magic) == PcapFormat.MAGIC_NANOSECONDS)) {
                pcapng = false;
                bigEndian = false;
                nanoseconds = Integer.reverseBytes(magic) == PcapFormat.MAGIC_NANOSECONDS;
            } else {
                StringBuilder start = new StringBuilder("not a pcap or pcapng file (starts with 0x");
                for (int i = 0; i < Math.min(n, 4); i++) {
                    start.append(String.format("%02x", input[pos + i] & 0xff));
                }
                throw new PcapFormatException(start.append(')').toString());
            }
            if (!pcapng) {
                int got = readInto(scratch, 0, PcapFormat.FILE_HEADER_LEN);
                if (got < PcapFormat.FILE_HEADER_LEN) {
                    end("file header truncated: " + got + " of " + PcapFormat.FILE_HEADER_LEN + " bytes");
                } else {
                    fileLinkType = u32(PcapFormat.FILE_LINK_TYPE) & PcapFormat.LINK_TYPE_MASK;
                }
            }
        } catch (IOException e) {
            closeQuietly(e);
            throw e;
        }
    }

    /**
     * Returns the next record, or {@code null} at the end of the file or at the first problem (see
     * {@link #problem()}). The record and its buffer belong to this reader and are valid only until the
     * next call: copy what must live longer. The buffer grows only when a bigger record comes.
     *
     * @throws IOException when the stream fails or the reader is closed; never for what the bytes say
     */
    public PcapRecord next() throws IOException {
        if (closed) {
            throw new IOException("pcap reader is closed");
        }
        if (ended) {
            return null;
        }
        return pcapng ? nextBlock() : nextRecord();
    }

    /**
     * Returns why reading ended early, as one line such as {@code last record truncated: 20 of 98 bytes},
     * or {@code null} while reading goes on and after a clean end of the file.
     */
    public String problem() {
        return problem;
    }

    /** Closes the stream; calling it again does nothing. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            ended = true;
            in.close();
        }
    }

    private PcapRecord nextRecord() throws IOException {
        long start = position;
        int got = readInto(scratch, 0, PcapFormat.RECORD_HEADER_LEN);
        if (got == 0) {
            return end(null);
        }
        if (got < PcapFormat.RECORD_HEADER_LEN) {
            return end("last record header truncated: " + got + " of " + PcapFormat.RECORD_HEADER_LEN + " bytes");
        }
        long captured = u32(PcapFormat.RECORD_CAPTURED_LENGTH) & 0xffffffffL;
        long original = u32(PcapFormat.RECORD_ORIGINAL_LENGTH) & 0xffffffffL;
        if (captured > PcapFormat.MAX_LENGTH) {
            return end("record at byte " + start + " has captured length " + captured + " (limit "
                    + PcapFormat.MAX_LENGTH + ")");
        }
        long seconds = u32(PcapFormat.RECORD_SECONDS) & 0xffffffffL;
        long fraction = u32(PcapFormat.RECORD_FRACTION) & 0xffffffffL;
        long timestamp = seconds * NANOS_PER_SECOND + (nanoseconds ? fraction : fraction * 1000);
        int length = (int) captured;
        int data = readFrame(length);
        if (data < length) {
            return end("last record truncated: " + data + " of " + length + " bytes");
        }
        record.set(timestamp, length, clampToInt(original), fileLinkType, frame);
        return record;
    }

    private PcapRecord nextBlock() throws IOException {
        while (true) {
            long start = position;
            int got = readInto(scratch, 0, PcapFormat.BLOCK_HEADER_LEN);
            if (got == 0) {
                return end(null);
            }
            if (got < PcapFormat.BLOCK_HEADER_LEN) {
                return end("last block header truncated: " + got + " of " + PcapFormat.BLOCK_HEADER_LEN + " bytes");
            }
            // The section header's type reads the same in both byte orders; its length needs the byte-order magic.
            int type = u32(0);
            if (type == PcapFormat.BLOCK_SECTION_HEADER) {
                int more = readInto(scratch, 8, 4);
                if (more < 4) {
                    return end("last block header truncated: " + (8 + more) + " of 12 bytes");
                }
                int order = sectionByteOrder(Bytes.u32(scratch, 8));
                if (order < 0) {
                    return end(String.format("section header at byte %d has unknown byte-order magic 0x%08x", start,
                            Bytes.u32(scratch, 8)));
                }
                bigEndian = order == 1;
            }
            long length = u32(4) & 0xffffffffL;
            if (length < PcapFormat.BLOCK_MIN_LEN) {
                return end("block at byte " + start + " has length " + length + ", below 12");
            }
            if (length % 4 != 0) {
                return end("block at byte " + start + " has length " + length + ", not a multiple of 4");
            }
            if (length > PcapFormat.MAX_LENGTH) {
                return end("block at byte " + start + " has length " + length + " (limit " + PcapFormat.MAX_LENGTH
                        + ")");
            }
            int blockLength = (int) length;
            boolean packet;
            switch (type) {
                case PcapFormat.BLOCK_SECTION_HEADER:
                    packet = false;
                    if (!readSectionHeader(start, blockLength)) {
                        return null;
                    }
                    break;
                case PcapFormat.BLOCK_INTERFACE_DESCRIPTION:
                    packet = false;
                    if (!readInterfaceDescription(start, blockLength)) {
                        return null;
                    }
                    break;
                case PcapFormat.BLOCK_ENHANCED_PACKET:
                case PcapFormat.BLOCK_PACKET:
                    packet = true;
                    if (!readPacket(start, blockLength, type == PcapFormat.BLOCK_ENHANCED_PACKET)) {
                        return null;
                    }
                    break;
                case PcapFormat.BLOCK_SIMPLE_PACKET:
                    packet = true;
                    if (!readSimplePacket(start, blockLength)) {
                        return null;
                    }
                    break;
                default:
                    packet = false;
                    if (!skipTo(start, blockLength, start + blockLength - PcapFormat.BLOCK_TRAILER_LEN)) {
                        return null;
                    }
            }
            if (!readTrailer(start, blockLength)) {
                return null;
            }
            if (packet) {
                return record;
            }
        }
    }

    private boolean readSectionHeader(long start, int length) throws IOException {
        int fixed = PcapFormat.BLOCK_HEADER_LEN + PcapFormat.SECTION_HEADER_FIXED_LEN + PcapFormat.BLOCK_TRAILER_LEN;
        if (length < fixed) {
            return fail("section header at byte " + start + " has length " + length + ", below " + fixed);
        }
        // The byte-order magic is already in scratch[8..12); major, minor and section length follow.
        if (!readFully(start, length, 12, 12)) {
            return false;
        }
        int major = u16(12);
        if (major != 1) {
            return fail("section header at byte " + start + " has version " + major + "." + u16(14)
                    + " (only 1.x is read)");
        }
        interfaceCount = 0;
        return skipTo(start, length, start + length - PcapFormat.BLOCK_TRAILER_LEN);
    }

    private boolean readInterfaceDescription(long start, int length) throws IOException {
        int fixed = PcapFormat.BLOCK_HEADER_LEN + PcapFormat.INTERFACE_FIXED_LEN + PcapFormat.BLOCK_TRAILER_LEN;
        if (length < fixed) {
            return fail("interface description block at byte " + start + " has length " + length + ", below "
                    + fixed);
        }
        if (!readFully(start, length, 0, PcapFormat.INTERFACE_FIXED_LEN)) {
            return false;
        }
        int linkType = u16(0);
        int snaplen = u32(4);
        int resolution = MICROSECOND_RESOLUTION;
        long offsetSeconds = 0;
        long optionsEnd = start + length - PcapFormat.BLOCK_TRAILER_LEN;
        // Options: 16-bit code, 16-bit length, value padded to 4 bytes. A malformed list ends the parse,
        // not the file: the block's own length still says where the next block starts.
        while (optionsEnd - position >= 4) {
            if (!readFully(start, length, 0, 4)) {
                return false;
            }
            int code = u16(0);
            int optionLength = u16(2);
            int padded = (optionLength + 3) & ~3;
            if (code == PcapFormat.OPTION_END || padded > optionsEnd - position) {
                break;
            }
            if (code == PcapFormat.OPTION_IF_TSRESOL && optionLength == 1) {
                if (!readFully(start, length, 0, padded)) {
                    return false;
                }
                resolution = scratch[0] & 0xff;
            } else if (code == PcapFormat.OPTION_IF_TSOFFSET && optionLength == 8) {
                if (!readFully(start, length, 0, 8)) {
                    return false;
                }
                offsetSeconds = (long) u32(bigEndian ? 0 : 4) << 32 | (u32(bigEndian ? 4 : 0) & 0xffffffffL);
            } else if (!skipTo(start, length, position + padded)) {
                return false;
            }
        }
        if (!skipTo(start, length, optionsEnd)) {
            return false;
        }
        if (interfaceCount == MAX_INTERFACES) {
            return fail("interface description block at byte " + start + " exceeds the limit of " + MAX_INTERFACES
                    + " interfaces per section");
        }
        addInterface(linkType, snaplen, resolution, offsetSeconds);
        return true;
    }

    private boolean readPacket(long start, int length, boolean enhanced) throws IOException {
        String name = enhanced ? "enhanced packet block" : "packet block";
        int fixedBody = enhanced ? PcapFormat.ENHANCED_PACKET_FIXED_LEN : PcapFormat.PACKET_FIXED_LEN;
        int fixed = PcapFormat.BLOCK_HEADER_LEN + fixedBody + PcapFormat.BLOCK_TRAILER_LEN;
        if (length < fixed) {
            return fail(name + " at byte " + start + " has length " + length + ", below " + fixed);
        }
        if (!readFully(start, length, 0, fixedBody)) {
            return false;
        }
        int interfaceId = enhanced ? u32(0) : u16(0);
        long high = u32(4) & 0xffffffffL;
        long low = u32(8) & 0xffffffffL;
        long captured = u32(12) & 0xffffffffL;
        long original = u32(16) & 0xffffffffL;
        if (interfaceId < 0 || interfaceId >= interfaceCount) {
            return fail(name + " at byte " + start + " names interface " + (interfaceId & 0xffffffffL)
                    + " of " + interfaceCount + " in its section");
        }
        if (captured > length - fixed) {
            return fail(name + " at byte " + start + " has captured length " + captured
                    + ", more than its block length " + length + " holds");
        }
        int data = (int) captured;
        if (!readFrameFully(start, length, data)) {
            return false;
        }
        long timestamp = toNanos(high << 32 | low, interfaceResolution[interfaceId])
                + interfaceOffsetSeconds[interfaceId] * NANOS_PER_SECOND;
        record.set(timestamp, data, clampToInt(original), interfaceLinkType[interfaceId], frame);
        return skipTo(start, length, start + length - PcapFormat.BLOCK_TRAILER_LEN);
    }

    private boolean readSimplePacket(long start, int length) throws IOException {
        int fixed = PcapFormat.BLOCK_HEADER_LEN + PcapFormat.SIMPLE_PACKET_FIXED_LEN + PcapFormat.BLOCK_TRAILER_LEN;
        if (length < fixed) {
            return fail("simple packet block at byte " + start + " has length " + length + ", below " + fixed);
        }
        if (interfaceCount == 0) {
            return fail("simple packet block at byte " + start + " comes before any interface description");
        }
        if (!readFully(start, length, 0, PcapFormat.SIMPLE_PACKET_FIXED_LEN)) {
            return false;
        }
        long original = u32(0) & 0xffffffffL;
        // Its captured length is implicit: the original length, cut at the snaplen and at the block's end.
        long captured = Math.min(original, length - fixed);
        long snaplen = interfaceSnaplen[0] & 0xffffffffL;
        if (snaplen != 0) {
            captured = Math.min(captured, snaplen);
        }
        int data = (int) captured;
        if (!readFrameFully(start, length, data)) {
            return false;
        }
        record.set(0, data, clampToInt(original), interfaceLinkType[0], frame);
        return skipTo(start, length, start + length - PcapFormat.BLOCK_TRAILER_LEN);
    }

    private boolean readTrailer(long start, int length) throws IOException {
        if (!readFully(start, length, 0, PcapFormat.BLOCK_TRAILER_LEN)) {
            return false;
        }
        long trailer = u32(0) & 0xffffffffL;
        if (trailer != length) {
            return fail("block at byte " + start + " ends with length " + trailer + ", not " + length);
        }
        return true;
    }

    private void addInterface(int linkType, int snaplen, int resolution, long offsetSeconds) {
        if (interfaceCount == interfaceLinkType.length) {
            int grown = interfaceCount * 2;
            interfaceLinkType = Arrays.copyOf(interfaceLinkType, grown);
            interfaceSnaplen = Arrays.copyOf(interfaceSnaplen, grown);
            interfaceResolution = Arrays.copyOf(interfaceResolution, grown);
            interfaceOffsetSeconds = Arrays.copyOf(interfaceOffsetSeconds, grown);
        }
        interfaceLinkType[interfaceCount] = linkType;
        interfaceSnaplen[interfaceCount] = snaplen;
        interfaceResolution[interfaceCount] = resolution;
        interfaceOffsetSeconds[interfaceCount] = offsetSeconds;
        interfaceCount++;
    }

    /**
     * Converts a pcapng timestamp ({@code units}, unsigned) to nanoseconds. {@code resolution} is the
     * if_tsresol byte: 10^-n seconds, or 2^-n when the top bit is set. Absurd values wrap; none throws.
     */
    static long toNanos(long units, int resolution) {
        int exponent = resolution & 0x7f;
        if ((resolution & 0x80) == 0) {
            if (exponent <= 9) {
                return units * POWERS_OF_TEN[9 - exponent];
            }
            return exponent - 9 < POWERS_OF_TEN.length ? Long.divideUnsigned(units, POWERS_OF_TEN[exponent - 9]) : 0;
        }
        long seconds = exponent >= 64 ? 0 : units >>> exponent;
        long fraction = exponent >= 64 ? units : units & ((1L << exponent) - 1);
        // Keep 33 bits of the fraction so that multiplying by 10^9 (< 2^30) cannot overflow.
        long fraction33;
        if (exponent <= 33) {
            fraction33 = fraction << (33 - exponent);
        } else if (exponent - 33 < 64) {
            fraction33 = fraction >>> (exponent - 33);
        } else {
            fraction33 = 0;
        }
        return seconds * NANOS_PER_SECOND + ((fraction33 * NANOS_PER_SECOND) >>> 33);
    }

    /** Returns 1 for a big-endian section, 0 for little-endian, -1 when the magic is neither. */
    private static int sectionByteOrder(int magicAsBigEndian) {
        if (magicAsBigEndian == PcapFormat.BYTE_ORDER_MAGIC) {
            return 1;
        }
        return Integer.reverseBytes(magicAsBigEndian) == PcapFormat.BYTE_ORDER_MAGIC ? 0 : -1;
    }

    private static int clampToInt(long unsigned) {
        return (int) Math.min(unsigned, Integer.MAX_VALUE);
    }

    private int u16(int i) {
        int v = Bytes.u16(scratch, i);
        return bigEndian ? v : Integer.reverseBytes(v) >>> 16;
    }

    private int u32(int i) {
        int v = Bytes.u32(scratch, i);
        return bigEndian ? v : Integer.reverseBytes(v);
    }

    /** Ends the file with {@code why} (null for a clean end) and returns null, the end of the records. */
    private PcapRecord end(String why) {
        ended = true;
        problem = why;
        return null;
    }

    private boolean fail(String why) {
        end(why);
        return false;
    }

    private boolean truncated(long start, int length) {
        return fail("last block truncated: " + (position - start) + " of " + length + " bytes");
    }

    /** Reads {@code n} bytes of the block at {@code start} into scratch at {@code at}; false (ended) when cut. */
    private boolean readFully(long start, int length, int at, int n) throws IOException {
        return readInto(scratch, at, n) == n || truncated(start, length);
    }

    private boolean readFrameFully(long start, int length, int n) throws IOException {
        return readFrame(n) == n || truncated(start, length);
    }

    /** Consumes the block's bytes up to file position {@code to}; false (ended) when the file ends first. */
    private boolean skipTo(long start, int length, long to) throws IOException {
        long n = to - position;
        while (n > 0) {
            if (pos == limit && fill(1) == 0) {
                return truncated(start, length);
            }
            int chunk = (int) Math.min(n, limit - pos);
            pos += chunk;
            position += chunk;
            n -= chunk;
        }
        return true;
    }

    /** Copies up to {@code n} (at most the buffer's length) bytes into {@code dst}; returns how many the file had. */
    private int readInto(byte[] dst, int at, int n) throws IOException {
        int got = Math.min(n, fill(n));
        System.arraycopy(input, pos, dst, at, got);
        pos += got;
        position += got;
        return got;
    }

    /** Reads {@code n} bytes into the frame buffer, growing it only as the bytes arrive; returns how many came. */
    private int readFrame(int n) throws IOException {
        int got = 0;
        while (got < n) {
            if (pos == limit && fill(1) == 0) {
                break;
            }
            int chunk = Math.min(n - got, limit - pos);
            if (frame.length < got + chunk) {
                // Grow by what arrived, not by what a length field claims: a lying length costs nothing.
                int grown = (int) Math.min(n, Math.max(got + chunk, 2L * frame.length));
                frame = Arrays.copyOf(frame, grown);
            }
            System.arraycopy(input, pos, frame, got, chunk);
            pos += chunk;
            position += chunk;
            got += chunk;
        }
        return got;
    }

    /** Buffers at least {@code n} (at most the buffer's length) bytes unless the stream ends; returns how many are buffered. */
    private int fill(int n) throws IOException {
        if (limit - pos >= n || endOfStream) {
            return limit - pos;
        }
        System.arraycopy(input, pos, input, 0, limit - pos);
        limit -= pos;
        pos = 0;
        while (limit < n) {
            int r = in.read(input, limit, input.length - limit);
            if (r < 0) {
                endOfStream = true;
                break;
            }
            limit += r;
        }
        return limit;
    }

    private void closeQuietly(IOException cause) {
        try {
            in.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
