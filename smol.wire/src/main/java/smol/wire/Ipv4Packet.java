package smol.wire;

/**
 * A view of an IPv4 packet (RFC 791): header, options and payload inside a byte array; re-point it
 * with {@link #wrap} (no allocation).
 *
 * <p>Call {@link #check()} before the accessors; once it returned {@code null} none of them can fail.
 * The packet ends at its total length: bytes after it in the view (Ethernet padding) are not part
 * of the payload.
 */
public final class Ipv4Packet extends ByteView {
    // RFC 791 §3.1 header layout: byte offsets
    private static final int VERSION_IHL = 0;
    private static final int DSCP_ECN = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_FRAGMENT_OFFSET = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;
    // Bits of the 16-bit flags + fragment offset word
    private static final int RESERVED_FLAG = 0x8000;
    private static final int DONT_FRAGMENT = 0x4000;
    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int OFFSET_MASK = 0x1fff;

    /** Length of the header without options, 20 bytes. */
    public static final int HEADER_LEN = 20;
    /** The largest header, options included: IHL 15, 60 bytes. */
    public static final int MAX_HEADER_LEN = 60;

    /** Points this view at {@code len} bytes of {@code buf} starting at {@code off}; returns this. */
    public Ipv4Packet wrap(byte[] buf, int off, int len) {
        set(buf, off, len);
        return this;
    }

    /**
     * Checks that the bytes hold a whole IPv4 packet, so that every accessor is safe. Returns
     * {@link Malformed#TRUNCATED} for fewer than 20 bytes, fewer than the header length or fewer
     * than the total length; {@link Malformed#BAD_VERSION} when the version is not 4;
     * {@link Malformed#BAD_HEADER_LENGTH} when IHL is below 5; {@link Malformed#BAD_LENGTH} when
     * the total length is below the header length; else {@code null}.
     */
    public Malformed check() {
        Malformed m = checkHeader();
        if (m != null) {
            return m;
        }
        int totalLength = totalLength();
        if (totalLength < headerLength()) {
            return Malformed.BAD_LENGTH;
        }
        if (totalLength > len) {
            return Malformed.TRUNCATED;
        }
        return null;
    }

    /**
     * Checks only the header, as for the original datagram quoted in an ICMP error, which is cut
     * short by design. Returns {@link Malformed#TRUNCATED}, {@link Malformed#BAD_VERSION} or
     * {@link Malformed#BAD_HEADER_LENGTH} as {@link #check()} does, ignoring the total length; else
     * {@code null}. Afterwards the header fields, options included, are safe to read, and
     * {@link #verifyChecksum()}; {@link #payloadLength()} is then what the header claims (the
     * original's length), which the bytes may not hold and which may even be negative.
     */
    public Malformed checkHeader() {
        if (len < HEADER_LEN) {
            return Malformed.TRUNCATED;
        }
        if (version() != 4) {
            return Malformed.BAD_VERSION;
        }
        int headerLength = headerLength();
        if (headerLength < HEADER_LEN) {
            return Malformed.BAD_HEADER_LENGTH;
        }
        if (len < headerLength) {
            return Malformed.TRUNCATED;
        }
        return null;
    }

    /** Returns the version field, 0..15 (4 once checked). */
    public int version() {
        return Bytes.u8(buf, off + VERSION_IHL) >>> 4;
    }

    /** Returns the IHL field: the header length in 32-bit words, 0..15 (5..15 once checked). */
    public int ihl() {
        return Bytes.u8(buf, off + VERSION_IHL) & 0x0f;
    }

    /** Returns the header length in bytes, options included: IHL × 4, 20..60 once checked. */
    public int headerLength() {
        return ihl() * 4;
    }

    /** Returns the DSCP/ECN byte (the former type-of-service octet, RFC 2474 and RFC 3168). */
    public int dscpEcn() {
        return Bytes.u8(buf, off + DSCP_ECN);
    }

    /** Returns the differentiated services code point, the high 6 bits of {@link #dscpEcn()}. */
    public int dscp() {
        return dscpEcn() >>> 2;
    }

    /** Returns the ECN codepoint, the low 2 bits of {@link #dscpEcn()}. */
    public int ecn() {
        return dscpEcn() & 0x03;
    }

    /** Returns the total length field: header plus payload in bytes, 0..65535. */
    public int totalLength() {
        return Bytes.u16(buf, off + TOTAL_LENGTH);
    }

    /** Returns the identification field, 0..65535. */
    public int identification() {
        return Bytes.u16(buf, off + IDENTIFICATION);
    }

    /** Returns true when the reserved flag (bit 0 of the flags, must be zero) is set. */
    public boolean reservedFlag() {
        return (Bytes.u16(buf, off + FLAGS_FRAGMENT_OFFSET) & RESERVED_FLAG) != 0;
    }

    /** Returns true when the Don't Fragment flag is set. */
    public boolean dontFragment() {
        return (Bytes.u16(buf, off + FLAGS_FRAGMENT_OFFSET) & DONT_FRAGMENT) != 0;
    }

    /** Returns true when the More Fragments flag is set. */
    public boolean moreFragments() {
        return (Bytes.u16(buf, off + FLAGS_FRAGMENT_OFFSET) & MORE_FRAGMENTS) != 0;
    }

    /** Returns the fragment offset field as carried: in units of 8 bytes, 0..8191. */
    public int fragmentOffsetUnits() {
        return Bytes.u16(buf, off + FLAGS_FRAGMENT_OFFSET) & OFFSET_MASK;
    }

    /** Returns the fragment offset in bytes, a multiple of 8 in 0..65528. */
    public int fragmentOffset() {
        return fragmentOffsetUnits() * 8;
    }

    /** Returns true when this packet is a fragment: More Fragments set or a non-zero offset. */
    public boolean isFragment() {
        return (Bytes.u16(buf, off + FLAGS_FRAGMENT_OFFSET) & (MORE_FRAGMENTS | OFFSET_MASK)) != 0;
    }

    /** Returns the time to live, 0..255. */
    public int ttl() {
        return Bytes.u8(buf, off + TTL);
    }

    /** Returns the protocol number of the payload ({@link IpProtocol}), 0..255. */
    public int protocol() {
        return Bytes.u8(buf, off + PROTOCOL);
    }

    /** Returns the header checksum field, 0..65535. */
    public int checksum() {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** Returns the source address, first octet highest. */
    public int src() {
        return Bytes.u32(buf, off + SOURCE);
    }

    /** Returns the destination address, first octet highest. */
    public int dst() {
        return Bytes.u32(buf, off + DESTINATION);
    }

    /** Returns the offset of the options in {@link #buffer()}: right after the fixed header. */
    public int optionsOffset() {
        return off + HEADER_LEN;
    }

    /** Returns the length of the options in bytes, 0..40 (their padding included). */
    public int optionsLength() {
        return headerLength() - HEADER_LEN;
    }

    /** Returns the offset of the payload in {@link #buffer()}: after the header and its options. */
    public int payloadOffset() {
        return off + headerLength();
    }

    /** Returns the payload's length: total length minus header length (padding excluded). */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** Returns true when the header, options included, sums to all ones (RFC 791 §3.1). */
    public boolean verifyChecksum() {
        return Checksum.sum(buf, off, headerLength()) == 0xffff;
    }

    /** Computes the header checksum over the header and its options and stores it. */
    public void fillChecksum() {
        setChecksum(0);
        setChecksum(Checksum.complement(Checksum.add(0, buf, off, headerLength())));
    }

    /** Sets the version field from the low 4 bits of {@code version}, keeping IHL. */
    public void setVersion(int version) {
        Bytes.putU8(buf, off + VERSION_IHL, (version & 0x0f) << 4 | ihl());
    }

    /** Sets the IHL field (header length in 32-bit words) from the low 4 bits of {@code ihl}, keeping the version. */
    public void setIhl(int ihl) {
        Bytes.putU8(buf, off + VERSION_IHL, version() << 4 | (ihl & 0x0f));
    }

    /** Sets the DSCP/ECN byte. */
    public void setDscpEcn(int dscpEcn) {
        Bytes.putU8(buf, off + DSCP_ECN, dscpEcn);
    }

    /** Sets the total length field: header plus payload in bytes. */
    public void setTotalLength(int totalLength) {
        Bytes.putU16(buf, off + TOTAL_LENGTH, totalLength);
    }

    /** Sets the identification field. */
    public void setIdentification(int identification) {
        Bytes.putU16(buf, off + IDENTIFICATION, identification);
    }

    /** Sets or clears the reserved flag, keeping the other flags and the offset. */
    public void setReservedFlag(boolean set) {
        setFlag(RESERVED_FLAG, set);
    }

    /** Sets or clears Don't Fragment, keeping the other flags and the offset. */
    public void setDontFragment(boolean set) {
        setFlag(DONT_FRAGMENT, set);
    }

    /** Sets or clears More Fragments, keeping the other flags and the offset. */
    public void setMoreFragments(boolean set) {
        setFlag(MORE_FRAGMENTS, set);
    }

    /**
     * Sets the fragment offset from {@code bytes}, keeping the flags. The field counts 8-byte units:
     * the low 3 bits of {@code bytes} are dropped, and so is anything above 65528.
     */
    public void setFragmentOffset(int bytes) {
        int word = Bytes.u16(buf, off + FLAGS_FRAGMENT_OFFSET);
        Bytes.putU16(buf, off + FLAGS_FRAGMENT_OFFSET, word & ~OFFSET_MASK | (bytes >>> 3) & OFFSET_MASK);
    }

    /** Sets the time to live. */
    public void setTtl(int ttl) {
        Bytes.putU8(buf, off + TTL, ttl);
    }

    /** Sets the protocol number. */
    public void setProtocol(int protocol) {
        Bytes.putU8(buf, off + PROTOCOL, protocol);
    }

    /** Sets the header checksum field; see {@link #fillChecksum()}. */
    public void setChecksum(int checksum) {
        Bytes.putU16(buf, off + CHECKSUM, checksum);
    }

    /** Sets the source address, first octet highest. */
    public void setSrc(int address) {
        Bytes.putU32(buf, off + SOURCE, address);
    }

    /** Sets the destination address, first octet highest. */
    public void setDst(int address) {
        Bytes.putU32(buf, off + DESTINATION, address);
    }

    private void setFlag(int bit, boolean set) {
        int word = Bytes.u16(buf, off + FLAGS_FRAGMENT_OFFSET);
        Bytes.putU16(buf, off + FLAGS_FRAGMENT_OFFSET, set ? word | bit : word & ~bit);
    }
}
