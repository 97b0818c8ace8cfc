package smol.wire;

/**
 * A view of a TCP segment (RFC 9293 §3.1: header, options and payload) inside a byte array; re-point
 * it with {@link #wrap} (no allocation). TCP has no length field of its own: the view must cover
 * exactly the segment, as the IP layer delimits it.
 *
 * <p>Call {@link #check()} before the accessors; once it returned {@code null} none of them can fail.
 * Options are walked with {@link TcpOptions}.
 */
public final class TcpPacket extends ByteView {
    // RFC 9293 §3.1 header layout: byte offsets
    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int SEQ = 4;
    private static final int ACK = 8;
    private static final int DATA_OFFSET = 12; // high nibble, in 32-bit words; the low nibble is reserved
    private static final int FLAGS = 13;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT_POINTER = 18;
    /** Length of the header without options, 20 bytes. */
    public static final int HEADER_LEN = 20;
    /** Longest header, options included: a data offset of 15 words, 60 bytes. */
    public static final int MAX_HEADER_LEN = 60;

    /** Points this view at the {@code len} bytes of a segment in {@code buf} from {@code off}; returns this. */
    public TcpPacket wrap(byte[] buf, int off, int len) {
        set(buf, off, len);
        return this;
    }

    /**
     * Checks the lengths: {@link Malformed#TRUNCATED} for fewer than 20 bytes or a header (data offset)
     * longer than the bytes, {@link Malformed#BAD_HEADER_LENGTH} for a data offset below 5 words, else
     * {@code null}. Options are not checked here: {@link TcpOptions} reports them.
     */
    public Malformed check() {
        if (len < HEADER_LEN) {
            return Malformed.TRUNCATED;
        }
        int headerLength = headerLength();
        if (headerLength < HEADER_LEN) {
            return Malformed.BAD_HEADER_LENGTH;
        }
        if (headerLength > len) {
            return Malformed.TRUNCATED;
        }
        return null;
    }

    /** Returns the source port, 0..65535. */
    public int srcPort() {
        return Bytes.u16(buf, off + SRC_PORT);
    }

    /** Returns the destination port, 0..65535. */
    public int dstPort() {
        return Bytes.u16(buf, off + DST_PORT);
    }

    /** Returns the sequence number: 32 bits as an int (compare with modular arithmetic). */
    public int seq() {
        return Bytes.u32(buf, off + SEQ);
    }

    /** Returns the acknowledgement number: 32 bits as an int, meaningful when ACK is set. */
    public int ack() {
        return Bytes.u32(buf, off + ACK);
    }

    /** Returns the data offset: the header's length in 32-bit words, 0..15. */
    public int dataOffset() {
        return Bytes.u8(buf, off + DATA_OFFSET) >>> 4;
    }

    /** Returns the header's length in bytes, options included: data offset times 4. */
    public int headerLength() {
        return dataOffset() * 4;
    }

    /** Returns the flags byte: {@link TcpFlags} bits. */
    public int flags() {
        return Bytes.u8(buf, off + FLAGS);
    }

    /** Returns the window field, 0..65535, unscaled. */
    public int window() {
        return Bytes.u16(buf, off + WINDOW);
    }

    /** Returns the checksum field. */
    public int checksum() {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** Returns the urgent pointer, 0..65535, meaningful when URG is set. */
    public int urgentPointer() {
        return Bytes.u16(buf, off + URGENT_POINTER);
    }

    /** Returns the offset of the options in {@link #buffer()}. */
    public int optionsOffset() {
        return off + HEADER_LEN;
    }

    /** Returns the options' length in bytes, 0..40. */
    public int optionsLength() {
        return headerLength() - HEADER_LEN;
    }

    /** Returns the offset of the payload in {@link #buffer()}: after the header and options. */
    public int payloadOffset() {
        return off + headerLength();
    }

    /** Returns the payload's length: everything after the header and options. */
    public int payloadLength() {
        return len - headerLength();
    }

    /** Sets the source port (low 16 bits). */
    public void setSrcPort(int port) {
        Bytes.putU16(buf, off + SRC_PORT, port);
    }

    /** Sets the destination port (low 16 bits). */
    public void setDstPort(int port) {
        Bytes.putU16(buf, off + DST_PORT, port);
    }

    /** Sets the sequence number. */
    public void setSeq(int seq) {
        Bytes.putU32(buf, off + SEQ, seq);
    }

    /** Sets the acknowledgement number. */
    public void setAck(int ack) {
        Bytes.putU32(buf, off + ACK, ack);
    }

    /** Sets the data offset in 32-bit words (low 4 bits) and clears the reserved bits beside it. */
    public void setDataOffset(int words) {
        Bytes.putU8(buf, off + DATA_OFFSET, (words & 0xf) << 4);
    }

    /** Sets the flags byte ({@link TcpFlags} bits, low 8 bits). */
    public void setFlags(int flags) {
        Bytes.putU8(buf, off + FLAGS, flags);
    }

    /** Sets the window field (low 16 bits). */
    public void setWindow(int window) {
        Bytes.putU16(buf, off + WINDOW, window);
    }

    /** Sets the checksum field (low 16 bits). */
    public void setChecksum(int checksum) {
        Bytes.putU16(buf, off + CHECKSUM, checksum);
    }

    /** Sets the urgent pointer (low 16 bits). */
    public void setUrgentPointer(int pointer) {
        Bytes.putU16(buf, off + URGENT_POINTER, pointer);
    }

    /**
     * Returns true when the checksum over the IPv4 pseudo-header ({@code src}, {@code dst}: addresses
     * as ints, first octet highest) and all {@link #length()} bytes of the segment verifies.
     */
    public boolean verifyChecksum(int src, int dst) {
        long acc = Checksum.pseudoHeaderIpv4(src, dst, IpProtocol.TCP, len);
        return Checksum.fold(Checksum.add(acc, buf, off, len)) == 0xffff;
    }

    /** Computes and stores the checksum over the IPv4 pseudo-header and all {@link #length()} bytes. */
    public void fillChecksum(int src, int dst) {
        setChecksum(0);
        long acc = Checksum.pseudoHeaderIpv4(src, dst, IpProtocol.TCP, len);
        setChecksum(Checksum.complement(Checksum.add(acc, buf, off, len)));
    }
}
