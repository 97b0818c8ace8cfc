package smol.wire;

/**
 * A view of an Ethernet II frame (destination, source, EtherType, payload) inside a byte array;
 * re-point it with {@link #wrap} (no allocation). The frame check sequence is not part of the view:
 * devices and pcap files hand frames without it.
 *
 * <p>Call {@link #check()} before the accessors; once it returned {@code null} none of them can fail.
 */
public final class EthernetFrame extends ByteView {
    // IEEE 802.3 clause 3.2 / Ethernet II header: byte offsets
    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int ETHER_TYPE = 12;
    /** Length of the header, 14 bytes. */
    public static final int HEADER_LEN = 14;

    /** Points this view at {@code len} bytes of {@code buf} starting at {@code off}; returns this. */
    public EthernetFrame wrap(byte[] buf, int off, int len) {
        set(buf, off, len);
        return this;
    }

    /** Returns {@link Malformed#TRUNCATED} when the bytes cannot hold the header, else {@code null}. */
    public Malformed check() {
        return len < HEADER_LEN ? Malformed.TRUNCATED : null;
    }

    /** Returns the destination MAC as the low 48 bits of a long. */
    public long destination() {
        return Bytes.u48(buf, off + DESTINATION);
    }

    /** Returns the source MAC as the low 48 bits of a long. */
    public long source() {
        return Bytes.u48(buf, off + SOURCE);
    }

    /** Returns the EtherType field (an IEEE 802.3 length when at most 1500). */
    public int etherType() {
        return Bytes.u16(buf, off + ETHER_TYPE);
    }

    /** Returns the offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + HEADER_LEN;
    }

    /** Returns the payload's length: everything after the header (padding included). */
    public int payloadLength() {
        return len - HEADER_LEN;
    }

    /** Sets the destination MAC from the low 48 bits of {@code mac}. */
    public void setDestination(long mac) {
        Bytes.putU48(buf, off + DESTINATION, mac);
    }

    /** Sets the source MAC from the low 48 bits of {@code mac}. */
    public void setSource(long mac) {
        Bytes.putU48(buf, off + SOURCE, mac);
    }

    /** Sets the EtherType field. */
    public void setEtherType(int type) {
        Bytes.putU16(buf, off + ETHER_TYPE, type);
    }
}
