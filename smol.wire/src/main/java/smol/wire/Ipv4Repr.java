package smol.wire;

/**
 * The meaningful fields of an IPv4 header (RFC 791): addresses, protocol, payload length, TTL,
 * identification, fragmentation and DSCP/ECN. Options are not represented: {@link #parse} skips
 * them and {@link #emit} writes a 20-byte header without any. Reusable: each {@link #parse}
 * overwrites every field.
 *
 * <p>Fragments parse like any packet; {@link #isFragment()} tells the layer above, which decides
 * what to do with them.
 */
public final class Ipv4Repr {
    private int src;
    private int dst;
    private int protocol;
    private int payloadLength;
    private int ttl;
    private int identification;
    private boolean dontFragment;
    private boolean moreFragments;
    private int fragmentOffset;
    private int dscpEcn;

    /**
     * Reads {@code packet} into this repr. Returns what {@link Ipv4Packet#check()} returns for
     * malformed bytes, {@link Malformed#BAD_CHECKSUM} when {@code verifyChecksum} is set and the
     * header checksum fails, else {@code null}. The reserved flag is ignored.
     */
    public Malformed parse(Ipv4Packet packet, boolean verifyChecksum) {
        Malformed m = packet.check();
        if (m != null) {
            return m;
        }
        if (verifyChecksum && !packet.verifyChecksum()) {
            return Malformed.BAD_CHECKSUM;
        }
        src = packet.src();
        dst = packet.dst();
        protocol = packet.protocol();
        payloadLength = packet.payloadLength();
        ttl = packet.ttl();
        identification = packet.identification();
        dontFragment = packet.dontFragment();
        moreFragments = packet.moreFragments();
        fragmentOffset = packet.fragmentOffset();
        dscpEcn = packet.dscpEcn();
        return null;
    }

    /**
     * Writes a 20-byte header (version 4, IHL 5, no options, reserved flag clear) into
     * {@code packet}, which must be at least {@link Ipv4Packet#HEADER_LEN} bytes long; the total
     * length field says 20 + {@link #payloadLength()}. Fills the checksum when
     * {@code fillChecksum} is set, else leaves the checksum field zero. The payload is the
     * caller's to write, at {@link Ipv4Packet#payloadOffset()}.
     */
    public void emit(Ipv4Packet packet, boolean fillChecksum) {
        packet.setVersion(4);
        packet.setIhl(Ipv4Packet.HEADER_LEN / 4);
        packet.setDscpEcn(dscpEcn);
        packet.setTotalLength(Ipv4Packet.HEADER_LEN + payloadLength);
        packet.setIdentification(identification);
        packet.setReservedFlag(false);
        packet.setDontFragment(dontFragment);
        packet.setMoreFragments(moreFragments);
        packet.setFragmentOffset(fragmentOffset);
        packet.setTtl(ttl);
        packet.setProtocol(protocol);
        packet.setSrc(src);
        packet.setDst(dst);
        packet.setChecksum(0);
        if (fillChecksum) {
            packet.fillChecksum();
        }
    }

    /** Returns the packet length {@link #emit} produces: 20 header bytes plus the payload. */
    public int bufferLength() {
        return Ipv4Packet.HEADER_LEN + payloadLength;
    }

    /** Returns true when this is a fragment: More Fragments set or a non-zero offset. */
    public boolean isFragment() {
        return moreFragments || fragmentOffset != 0;
    }

    /** Returns the source address, first octet highest. */
    public int src() {
        return src;
    }

    /** Sets the source address, first octet highest; returns this. */
    public Ipv4Repr src(int address) {
        this.src = address;
        return this;
    }

    /** Returns the destination address, first octet highest. */
    public int dst() {
        return dst;
    }

    /** Sets the destination address, first octet highest; returns this. */
    public Ipv4Repr dst(int address) {
        this.dst = address;
        return this;
    }

    /** Returns the protocol number of the payload ({@link IpProtocol}). */
    public int protocol() {
        return protocol;
    }

    /** Sets the protocol number, 0..255; returns this. */
    public Ipv4Repr protocol(int protocol) {
        this.protocol = protocol;
        return this;
    }

    /** Returns the payload length in bytes (options and padding excluded). */
    public int payloadLength() {
        return payloadLength;
    }

    /** Sets the payload length in bytes, 0..65515 so that the total length fits 16 bits; returns this. */
    public Ipv4Repr payloadLength(int length) {
        this.payloadLength = length;
        return this;
    }

    /** Returns the time to live. */
    public int ttl() {
        return ttl;
    }

    /** Sets the time to live, 0..255; returns this. */
    public Ipv4Repr ttl(int ttl) {
        this.ttl = ttl;
        return this;
    }

    /** Returns the identification field. */
    public int identification() {
        return identification;
    }

    /** Sets the identification field, 0..65535; returns this. */
    public Ipv4Repr identification(int identification) {
        this.identification = identification;
        return this;
    }

    /** Returns the Don't Fragment flag. */
    public boolean dontFragment() {
        return dontFragment;
    }

    /** Sets the Don't Fragment flag; returns this. */
    public Ipv4Repr dontFragment(boolean set) {
        this.dontFragment = set;
        return this;
    }

    /** Returns the More Fragments flag. */
    public boolean moreFragments() {
        return moreFragments;
    }

    /** Sets the More Fragments flag; returns this. */
    public Ipv4Repr moreFragments(boolean set) {
        this.moreFragments = set;
        return this;
    }

    /** Returns the fragment offset in bytes, a multiple of 8 in 0..65528. */
    public int fragmentOffset() {
        return fragmentOffset;
    }

    /** Sets the fragment offset in bytes: a multiple of 8 in 0..65528 (emit drops the low 3 bits); returns this. */
    public Ipv4Repr fragmentOffset(int bytes) {
        this.fragmentOffset = bytes;
        return this;
    }

    /** Returns the DSCP/ECN byte. */
    public int dscpEcn() {
        return dscpEcn;
    }

    /** Sets the DSCP/ECN byte, 0..255; returns this. */
    public Ipv4Repr dscpEcn(int dscpEcn) {
        this.dscpEcn = dscpEcn;
        return this;
    }

    /**
     * Returns {@code IPv4 src=10.0.0.1 dst=10.0.0.2 proto=icmp ttl=64 id=4660 len=64} (len: the
     * payload length), followed by {@code  df}, {@code  mf} and {@code  offset=1480} (bytes) when
     * they apply.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96);
        sb.append("IPv4 src=").append(Ipv4Address.toString(src))
                .append(" dst=").append(Ipv4Address.toString(dst))
                .append(" proto=").append(IpProtocol.name(protocol))
                .append(" ttl=").append(ttl)
                .append(" id=").append(identification)
                .append(" len=").append(payloadLength);
        if (dontFragment) {
            sb.append(" df");
        }
        if (moreFragments) {
            sb.append(" mf");
        }
        if (fragmentOffset != 0) {
            sb.append(" offset=").append(fragmentOffset);
        }
        return sb.toString();
    }
}
