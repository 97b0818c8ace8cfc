package smol.wire;

/**
 * The meaningful fields of an Ethernet II header: source, destination and EtherType. Reusable:
 * each {@link #parse} overwrites the fields.
 */
public final class EthernetRepr {
    private long source;
    private long destination;
    private int etherType;

    /**
     * Reads {@code frame} into this repr. Returns {@link Malformed#TRUNCATED} for fewer than 14
     * bytes, {@link Malformed#UNSUPPORTED} for an IEEE 802.3 length field or an 802.1Q/802.1ad tag
     * (recognised, not misparsed as Ethernet II), else {@code null}.
     */
    public Malformed parse(EthernetFrame frame) {
        Malformed m = frame.check();
        if (m != null) {
            return m;
        }
        int type = frame.etherType();
        if (type < EtherType.MIN_ETHERTYPE || EtherType.isVlanTag(type)) {
            return Malformed.UNSUPPORTED;
        }
        source = frame.source();
        destination = frame.destination();
        etherType = type;
        return null;
    }

    /** Writes the header into {@code frame}, which must be at least {@link #bufferLength(int) bufferLength(0)} long. */
    public void emit(EthernetFrame frame) {
        frame.setDestination(destination);
        frame.setSource(source);
        frame.setEtherType(etherType);
    }

    /** Returns the frame length needed for a payload of {@code payloadLength} bytes. */
    public static int bufferLength(int payloadLength) {
        return EthernetFrame.HEADER_LEN + payloadLength;
    }

    /** Returns the source MAC (low 48 bits). */
    public long source() {
        return source;
    }

    /** Sets the source MAC (low 48 bits); returns this. */
    public EthernetRepr source(long mac) {
        this.source = mac;
        return this;
    }

    /** Returns the destination MAC (low 48 bits). */
    public long destination() {
        return destination;
    }

    /** Sets the destination MAC (low 48 bits); returns this. */
    public EthernetRepr destination(long mac) {
        this.destination = mac;
        return this;
    }

    /** Returns the EtherType. */
    public int etherType() {
        return etherType;
    }

    /** Sets the EtherType; returns this. */
    public EthernetRepr etherType(int type) {
        this.etherType = type;
        return this;
    }

    @Override
    public String toString() {
        return "EthernetII src=" + EthernetAddress.toString(source) + " dst=" + EthernetAddress.toString(destination)
                + " type=" + EtherType.name(etherType);
    }
}
