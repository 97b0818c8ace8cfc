package smol.wire;

/**
 * The meaningful fields of a UDP datagram: ports and payload. Reusable: each {@link #parse}
 * overwrites the fields.
 *
 * <p>The payload is a slice of someone else's array, never copied by this class: after
 * {@link #parse} it points into the parsed packet's buffer (valid while that buffer is), and
 * {@link #emit} copies it into the packet being written.
 */
public final class UdpRepr {
    private int srcPort;
    private int dstPort;
    private byte[] payloadBuffer;
    private int payloadOffset;
    private int payloadLength;

    /**
     * Reads {@code packet} into this repr. Returns what {@link UdpPacket#check()} returns when the
     * lengths are wrong, {@link Malformed#BAD_CHECKSUM} when {@code verifyChecksum} is set and the
     * checksum over the IPv4 pseudo-header ({@code src}, {@code dst}) fails, else {@code null}.
     * On failure the fields are left as they were.
     */
    public Malformed parse(UdpPacket packet, int src, int dst, boolean verifyChecksum) {
        Malformed m = packet.check();
        if (m != null) {
            return m;
        }
        if (verifyChecksum && !packet.verifyChecksum(src, dst)) {
            return Malformed.BAD_CHECKSUM;
        }
        srcPort = packet.srcPort();
        dstPort = packet.dstPort();
        payloadBuffer = packet.buffer();
        payloadOffset = packet.payloadOffset();
        payloadLength = packet.payloadLength();
        return null;
    }

    /**
     * Writes the header and copies the payload into {@code packet}, which must be at least
     * {@link #bufferLength()} long. With {@code fillChecksum} the checksum over the IPv4
     * pseudo-header ({@code src}, {@code dst}) is computed; without, the field is 0 ("no checksum").
     */
    public void emit(UdpPacket packet, int src, int dst, boolean fillChecksum) {
        packet.setSrcPort(srcPort);
        packet.setDstPort(dstPort);
        packet.setDatagramLength(bufferLength());
        packet.setChecksum(0);
        if (payloadLength > 0) {
            System.arraycopy(payloadBuffer, payloadOffset, packet.buffer(), packet.payloadOffset(), payloadLength);
        }
        if (fillChecksum) {
            packet.fillChecksum(src, dst);
        }
    }

    /** Returns the number of bytes {@link #emit} writes: header plus payload. */
    public int bufferLength() {
        return UdpPacket.HEADER_LEN + payloadLength;
    }

    /** Returns the source port, 0..65535. */
    public int srcPort() {
        return srcPort;
    }

    /** Sets the source port (0..65535); returns this. */
    public UdpRepr srcPort(int port) {
        this.srcPort = port;
        return this;
    }

    /** Returns the destination port, 0..65535. */
    public int dstPort() {
        return dstPort;
    }

    /** Sets the destination port (0..65535); returns this. */
    public UdpRepr dstPort(int port) {
        this.dstPort = port;
        return this;
    }

    /** Returns the array holding the payload (null before any payload was set or parsed). */
    public byte[] payloadBuffer() {
        return payloadBuffer;
    }

    /** Returns the payload's offset in {@link #payloadBuffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Returns the payload's length in bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * Sets the payload to {@code len} bytes of {@code buf} from {@code off}, without copying: the
     * caller keeps them unchanged until {@link #emit}; returns this. The payload may be at most
     * 65527 bytes, what the 16-bit Length field can carry.
     */
    public UdpRepr payload(byte[] buf, int off, int len) {
        this.payloadBuffer = buf;
        this.payloadOffset = off;
        this.payloadLength = len;
        return this;
    }

    /** Returns {@code UDP src=53 dst=6969 len=12}, len being the payload's length. */
    @Override
    public String toString() {
        return "UDP src=" + srcPort + " dst=" + dstPort + " len=" + payloadLength;
    }
}
