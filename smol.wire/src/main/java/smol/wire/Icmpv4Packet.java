package smol.wire;

/**
 * A view of an ICMPv4 message (RFC 792) inside a byte array: type, code, checksum, the 4 bytes
 * whose meaning depends on the type, and the data after them. Re-point it with {@link #wrap} (no
 * allocation). The view's length is the whole message (the IPv4 payload): the checksum covers it.
 *
 * <p>Call {@link #check()} before the accessors; once it returned {@code null} none of them can fail.
 */
public final class Icmpv4Packet extends ByteView {
    // RFC 792 message layout: byte offsets
    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int ECHO_IDENTIFIER = 4;
    private static final int ECHO_SEQUENCE = 6;
    // RFC 1191 §4: "fragmentation needed" carries the next-hop MTU in the low half of the unused word
    private static final int NEXT_HOP_MTU = 6;

    /** Length of the header: type, code, checksum and the 4 type-dependent bytes, 8 bytes. */
    public static final int HEADER_LEN = 8;

    /** Type 0, echo reply. */
    public static final int ECHO_REPLY = 0;
    /** Type 3, destination unreachable; the codes are the {@code *_UNREACHABLE} constants and others below. */
    public static final int DEST_UNREACHABLE = 3;
    /** Type 4, source quench (deprecated by RFC 6633). */
    public static final int SOURCE_QUENCH = 4;
    /** Type 5, redirect. */
    public static final int REDIRECT = 5;
    /** Type 8, echo request. */
    public static final int ECHO_REQUEST = 8;
    /** Type 9, router advertisement (RFC 1256). */
    public static final int ROUTER_ADVERTISEMENT = 9;
    /** Type 10, router solicitation (RFC 1256). */
    public static final int ROUTER_SOLICITATION = 10;
    /** Type 11, time exceeded (code 0: TTL exceeded in transit, 1: reassembly time exceeded). */
    public static final int TIME_EXCEEDED = 11;
    /** Type 12, parameter problem. */
    public static final int PARAMETER_PROBLEM = 12;
    /** Type 13, timestamp. */
    public static final int TIMESTAMP = 13;
    /** Type 14, timestamp reply. */
    public static final int TIMESTAMP_REPLY = 14;

    /** Destination unreachable code 0: net unreachable. */
    public static final int NET_UNREACHABLE = 0;
    /** Destination unreachable code 1: host unreachable. */
    public static final int HOST_UNREACHABLE = 1;
    /** Destination unreachable code 2: protocol unreachable. */
    public static final int PROTOCOL_UNREACHABLE = 2;
    /** Destination unreachable code 3: port unreachable. */
    public static final int PORT_UNREACHABLE = 3;
    /** Destination unreachable code 4: fragmentation needed and DF set (carries the next-hop MTU, RFC 1191). */
    public static final int FRAGMENTATION_NEEDED = 4;
    /** Destination unreachable code 5: source route failed. */
    public static final int SOURCE_ROUTE_FAILED = 5;
    /** Destination unreachable code 6: destination network unknown (RFC 1122). */
    public static final int NET_UNKNOWN = 6;
    /** Destination unreachable code 7: destination host unknown (RFC 1122). */
    public static final int HOST_UNKNOWN = 7;
    /** Destination unreachable code 8: source host isolated (RFC 1122). */
    public static final int SOURCE_HOST_ISOLATED = 8;
    /** Destination unreachable code 9: network administratively prohibited (RFC 1122). */
    public static final int NET_PROHIBITED = 9;
    /** Destination unreachable code 10: host administratively prohibited (RFC 1122). */
    public static final int HOST_PROHIBITED = 10;
    /** Destination unreachable code 11: network unreachable for type of service (RFC 1122). */
    public static final int NET_UNREACHABLE_FOR_TOS = 11;
    /** Destination unreachable code 12: host unreachable for type of service (RFC 1122). */
    public static final int HOST_UNREACHABLE_FOR_TOS = 12;
    /** Destination unreachable code 13: communication administratively prohibited (RFC 1812). */
    public static final int COMMUNICATION_PROHIBITED = 13;
    /** Destination unreachable code 14: host precedence violation (RFC 1812). */
    public static final int HOST_PRECEDENCE_VIOLATION = 14;
    /** Destination unreachable code 15: precedence cutoff in effect (RFC 1812). */
    public static final int PRECEDENCE_CUTOFF = 15;

    /** Points this view at {@code len} bytes of {@code buf} starting at {@code off}; returns this. */
    public Icmpv4Packet wrap(byte[] buf, int off, int len) {
        set(buf, off, len);
        return this;
    }

    /** Returns {@link Malformed#TRUNCATED} when the bytes cannot hold the 8-byte header, else {@code null}. */
    public Malformed check() {
        return len < HEADER_LEN ? Malformed.TRUNCATED : null;
    }

    /** Returns the type field, 0..255. */
    public int type() {
        return Bytes.u8(buf, off + TYPE);
    }

    /** Returns the code field, 0..255. */
    public int code() {
        return Bytes.u8(buf, off + CODE);
    }

    /** Returns the checksum field, 0..65535. */
    public int checksum() {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** Returns the echo identifier (echo request and reply), 0..65535. */
    public int echoIdentifier() {
        return Bytes.u16(buf, off + ECHO_IDENTIFIER);
    }

    /** Returns the echo sequence number (echo request and reply), 0..65535. */
    public int echoSequence() {
        return Bytes.u16(buf, off + ECHO_SEQUENCE);
    }

    /** Returns the next-hop MTU of a "fragmentation needed" message (RFC 1191), 0..65535; 0 from old routers. */
    public int nextHopMtu() {
        return Bytes.u16(buf, off + NEXT_HOP_MTU);
    }

    /** Returns the offset of the type-dependent 4 bytes (rest of header) in {@link #buffer()}. */
    public int restOfHeaderOffset() {
        return off + ECHO_IDENTIFIER;
    }

    /**
     * Returns the offset in {@link #buffer()} of the data after the 8-byte header: the echo data,
     * or the original datagram quoted by an error message.
     */
    public int payloadOffset() {
        return off + HEADER_LEN;
    }

    /** Returns the length of the data after the 8-byte header. */
    public int payloadLength() {
        return len - HEADER_LEN;
    }

    /** Returns true when the whole message sums to all ones (RFC 792). */
    public boolean verifyChecksum() {
        return Checksum.sum(buf, off, len) == 0xffff;
    }

    /** Computes the checksum over the whole message (the view's length) and stores it. */
    public void fillChecksum() {
        setChecksum(0);
        setChecksum(Checksum.complement(Checksum.add(0, buf, off, len)));
    }

    /** Sets the type field. */
    public void setType(int type) {
        Bytes.putU8(buf, off + TYPE, type);
    }

    /** Sets the code field. */
    public void setCode(int code) {
        Bytes.putU8(buf, off + CODE, code);
    }

    /** Sets the checksum field; see {@link #fillChecksum()}. */
    public void setChecksum(int checksum) {
        Bytes.putU16(buf, off + CHECKSUM, checksum);
    }

    /** Sets the echo identifier. */
    public void setEchoIdentifier(int identifier) {
        Bytes.putU16(buf, off + ECHO_IDENTIFIER, identifier);
    }

    /** Sets the echo sequence number. */
    public void setEchoSequence(int sequence) {
        Bytes.putU16(buf, off + ECHO_SEQUENCE, sequence);
    }

    /** Sets the unused word of a destination unreachable to zero and its low half to {@code mtu} (RFC 1191). */
    public void setNextHopMtu(int mtu) {
        Bytes.putU16(buf, off + ECHO_IDENTIFIER, 0);
        Bytes.putU16(buf, off + NEXT_HOP_MTU, mtu);
    }

    /**
     * Returns the reason a destination unreachable code gives, as the pretty printer shows it:
     * {@code "port unreachable"}, {@code "fragmentation needed"}, …, or {@code "code N"} for codes
     * no RFC defines.
     */
    public static String unreachableReason(int code) {
        return switch (code) {
            case NET_UNREACHABLE -> "net unreachable";
            case HOST_UNREACHABLE -> "host unreachable";
            case PROTOCOL_UNREACHABLE -> "protocol unreachable";
            case PORT_UNREACHABLE -> "port unreachable";
            case FRAGMENTATION_NEEDED -> "fragmentation needed";
            case SOURCE_ROUTE_FAILED -> "source route failed";
            case NET_UNKNOWN -> "net unknown";
            case HOST_UNKNOWN -> "host unknown";
            case SOURCE_HOST_ISOLATED -> "source host isolated";
            case NET_PROHIBITED -> "net prohibited";
            case HOST_PROHIBITED -> "host prohibited";
            case NET_UNREACHABLE_FOR_TOS -> "net unreachable for tos";
            case HOST_UNREACHABLE_FOR_TOS -> "host unreachable for tos";
            case COMMUNICATION_PROHIBITED -> "communication prohibited";
            case HOST_PRECEDENCE_VIOLATION -> "host precedence violation";
            case PRECEDENCE_CUTOFF -> "precedence cutoff";
            default -> "code " + code;
        };
    }
}
