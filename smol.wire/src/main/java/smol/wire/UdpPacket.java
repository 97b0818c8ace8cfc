package smol.wire;

/**
 * A view of a UDP datagram (RFC 768: header and payload) inside a byte array; re-point it with
 * {@link #wrap} (no allocation). The view covers the bytes the IP layer hands over; the datagram
 * itself ends where its Length field says, and any bytes after that are padding that the view ignores.
 *
 * <p>Call {@link #check()} before the accessors; once it returned {@code null} none of them can fail.
 */
public final class UdpPacket extends ByteView {
    // RFC 768 header layout: byte offsets
    private static final int SRC_PORT = 0;
    private static final int DST_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;
    /** Length of the header, 8 bytes. */
    public static final int HEADER_LEN = 8;

    /** Points this view at {@code len} bytes of {@code buf} starting at {@code off}; returns this. */
    public UdpPacket wrap(byte[] buf, int off, int len) {
        set(buf, off, len);
        return this;
    }

    /**
     * Checks the lengths: {@link Malformed#TRUNCATED} for fewer than 8 bytes or a Length field beyond
     * the bytes, {@link Malformed#BAD_LENGTH} for a Length field below 8, else {@code null}.
     */
    public Malformed check() {
        if (len < HEADER_LEN) {
            return Malformed.TRUNCATED;
        }
        int datagramLength = datagramLength();
        if (datagramLength < HEADER_LEN) {
            return Malformed.BAD_LENGTH;
        }
        if (datagramLength > len) {
            return Malformed.TRUNCATED;
        }
        return null;
    }

    /** Returns the source port, 0..65535 (0: none). */
    public int srcPort() {
        return Bytes.u16(buf, off + SRC_PORT);
    }

    /** Returns the destination port, 0..65535. */
    public int dstPort() {
        return Bytes.u16(buf, off + DST_PORT);
    }

    /** Returns the Length field: header plus payload in bytes, 0..65535. */
    public int datagramLength() {
        return Bytes.u16(buf, off + LENGTH);
    }

    /** Returns the checksum field; 0 means the sender computed no checksum. */
    public int checksum() {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** Returns the offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + HEADER_LEN;
    }

    /** Returns the payload's length as the Length field gives it: padding after the datagram is not payload. */
    public int payloadLength() {
        return datagramLength() - HEADER_LEN;
    }

    /** Sets the source port (low 16 bits). */
    public void setSrcPort(int port) {
        Bytes.putU16(buf, off + SRC_PORT, port);
    }

    /** Sets the destination port (low 16 bits). */
    public void setDstPort(int port) {
        Bytes.putU16(buf, off + DST_PORT, port);
    }

    /** Sets the Length field (low 16 bits): header plus payload in bytes. */
    public void setDatagramLength(int length) {
        Bytes.putU16(buf, off + LENGTH, length);
    }

    /** Sets the checksum field (low 16 bits). */
    public void setChecksum(int checksum) {
        Bytes.putU16(buf, off + CHECKSUM, checksum);
    }

    /**
     * Returns true when the checksum over the IPv4 pseudo-header ({@code src}, {@code dst}: addresses
     * as ints, first octet highest) and the datagram's Length bytes verifies, or when the checksum
     * field is 0, which means "no checksum" over IPv4 (RFC 768).
     */
    public boolean verifyChecksum(int src, int dst) {
        if (checksum() == 0) {
            return true;
        }
        int datagramLength = datagramLength();
        long acc = Checksum.pseudoHeaderIpv4(src, dst, IpProtocol.UDP, datagramLength);
        return Checksum.fold(Checksum.add(acc, buf, off, datagramLength)) == 0xffff;
    }

    /**
     * Computes and stores the checksum over the IPv4 pseudo-header and the datagram's Length bytes
     * (the Length field must be set). A computed 0 is stored as 0xffff, its one's complement twin,
     * because 0 on the wire means "no checksum" (RFC 768).
     */
    public void fillChecksum(int src, int dst) {
        setChecksum(0);
        int datagramLength = datagramLength();
        long acc = Checksum.pseudoHeaderIpv4(src, dst, IpProtocol.UDP, datagramLength);
        int checksum = Checksum.complement(Checksum.add(acc, buf, off, datagramLength));
        setChecksum(checksum == 0 ? 0xffff : checksum);
    }
}
