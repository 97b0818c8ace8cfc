package smol.wire;

/**
 * The meaningful fields of an ICMPv4 message (RFC 792): an echo request or reply (identifier,
 * sequence number, data), a destination unreachable (code, the quoted original datagram), or any
 * other type kept as type, code and the bytes after the checksum. Reusable: each {@link #parse}
 * overwrites every field.
 *
 * <p>The data is a slice of a byte array that this repr does not own: after {@link #parse} it
 * points into the parsed message (zero copy) and stays valid as long as those bytes do; for
 * {@link #emit} it is the caller's slice, copied into the message.
 */
public final class Icmpv4Repr {
    /** What an ICMPv4 message is, as far as smol handles it. */
    public enum Kind {
        /** Type 8. */
        ECHO_REQUEST,
        /** Type 0. */
        ECHO_REPLY,
        /** Type 3: the data is the original datagram's header and at least its first 8 payload bytes. */
        DESTINATION_UNREACHABLE,
        /** Any other type: the data is everything after the checksum. */
        OTHER
    }

    // RFC 1812 §4.3.2.3: an error quotes the original header and at least 8 bytes of its payload
    private static final int QUOTED_PAYLOAD = 8;

    // Re-pointed at the quoted datagram of each destination unreachable parsed: no allocation per packet.
    private final Ipv4Packet quoted = new Ipv4Packet();

    private Kind kind = Kind.OTHER;
    private int type;
    private int code;
    private int id;
    private int seq;
    private int nextHopMtu;
    private byte[] dataBuffer;
    private int dataOffset;
    private int dataLength;

    /**
     * Reads {@code packet} into this repr. Returns {@link Malformed#TRUNCATED} for fewer than 8
     * bytes, {@link Malformed#BAD_CHECKSUM} when {@code verifyChecksum} is set and the checksum over
     * the whole message fails, else {@code null}. A destination unreachable must quote an IPv4
     * header ({@link Ipv4Packet#checkHeader()}, whose reasons it returns) and the first 8 bytes of
     * its payload, or all of them when the original had fewer ({@link Malformed#TRUNCATED}); after
     * a successful parse an {@link Ipv4Packet} wrapped on the data reads the quoted header safely.
     */
    public Malformed parse(Icmpv4Packet packet, boolean verifyChecksum) {
        Malformed m = packet.check();
        if (m != null) {
            return m;
        }
        if (verifyChecksum && !packet.verifyChecksum()) {
            return Malformed.BAD_CHECKSUM;
        }
        int messageType = packet.type();
        int messageCode = packet.code();
        switch (messageType) {
            case Icmpv4Packet.ECHO_REQUEST, Icmpv4Packet.ECHO_REPLY -> {
                kind = messageType == Icmpv4Packet.ECHO_REQUEST ? Kind.ECHO_REQUEST : Kind.ECHO_REPLY;
                id = packet.echoIdentifier();
                seq = packet.echoSequence();
                nextHopMtu = 0;
                slice(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
            }
            case Icmpv4Packet.DEST_UNREACHABLE -> {
                m = checkQuoted(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
                if (m != null) {
                    return m;
                }
                kind = Kind.DESTINATION_UNREACHABLE;
                id = 0;
                seq = 0;
                nextHopMtu = messageCode == Icmpv4Packet.FRAGMENTATION_NEEDED ? packet.nextHopMtu() : 0;
                slice(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
            }
            default -> {
                kind = Kind.OTHER;
                id = 0;
                seq = 0;
                nextHopMtu = 0;
                slice(packet.buffer(), packet.restOfHeaderOffset(), packet.length() - 4);
            }
        }
        type = messageType;
        code = messageCode;
        return null;
    }

    private Malformed checkQuoted(byte[] buf, int off, int len) {
        Malformed m = quoted.wrap(buf, off, len).checkHeader();
        if (m != null) {
            return m;
        }
        int needed = quoted.headerLength() + Math.max(0, Math.min(QUOTED_PAYLOAD, quoted.payloadLength()));
        return len < needed ? Malformed.TRUNCATED : null;
    }

    /**
     * Writes the message into {@code packet}, which must be wrapped on exactly
     * {@link #bufferLength()} bytes: type, code, the type-dependent bytes (echo identifier and
     * sequence; for a destination unreachable zero and the next-hop MTU), then the data copied in.
     * Fills the checksum over the whole message when {@code fillChecksum} is set, else leaves it zero.
     */
    public void emit(Icmpv4Packet packet, boolean fillChecksum) {
        packet.setType(type);
        packet.setCode(code);
        packet.setChecksum(0);
        int at;
        if (kind == Kind.ECHO_REQUEST || kind == Kind.ECHO_REPLY) {
            packet.setEchoIdentifier(id);
            packet.setEchoSequence(seq);
            at = packet.payloadOffset();
        } else if (kind == Kind.DESTINATION_UNREACHABLE) {
            packet.setNextHopMtu(nextHopMtu);
            at = packet.payloadOffset();
        } else {
            at = packet.restOfHeaderOffset();
        }
        if (dataLength > 0) {
            System.arraycopy(dataBuffer, dataOffset, packet.buffer(), at, dataLength);
        }
        if (fillChecksum) {
            packet.fillChecksum();
        }
    }

    /** Returns the message length {@link #emit} writes: the header (4 bytes for other types, else 8) and the data. */
    public int bufferLength() {
        return (kind == Kind.OTHER ? 4 : Icmpv4Packet.HEADER_LEN) + dataLength;
    }

    /**
     * Makes this an echo request (type 8, code 0) carrying the {@code len} bytes of {@code buf} at
     * {@code off}; returns this.
     */
    public Icmpv4Repr echoRequest(int id, int seq, byte[] buf, int off, int len) {
        return echo(Kind.ECHO_REQUEST, Icmpv4Packet.ECHO_REQUEST, id, seq, buf, off, len);
    }

    /**
     * Makes this an echo reply (type 0, code 0) carrying the {@code len} bytes of {@code buf} at
     * {@code off} (RFC 792: the request's identifier, sequence number and data); returns this.
     */
    public Icmpv4Repr echoReply(int id, int seq, byte[] buf, int off, int len) {
        return echo(Kind.ECHO_REPLY, Icmpv4Packet.ECHO_REPLY, id, seq, buf, off, len);
    }

    private Icmpv4Repr echo(Kind echoKind, int echoType, int id, int seq, byte[] buf, int off, int len) {
        this.kind = echoKind;
        this.type = echoType;
        this.code = 0;
        this.id = id;
        this.seq = seq;
        this.nextHopMtu = 0;
        slice(buf, off, len);
        return this;
    }

    /**
     * Makes this a destination unreachable (type 3) with {@code code} about the offending IPv4
     * packet of {@code len} bytes at {@code off} in {@code buf}, which it quotes as RFC 1812
     * §4.3.2.3 asks at least: its header (options included) and at most 8 bytes of its payload.
     * Bytes beyond the packet's total length (link padding) are never quoted. The next-hop MTU is
     * reset to 0; set it with {@link #nextHopMtu(int)} for {@link Icmpv4Packet#FRAGMENTATION_NEEDED}.
     * Returns this. Never throws; the offending packet is expected to have passed
     * {@link Ipv4Packet#check()}.
     */
    public Icmpv4Repr destinationUnreachable(int code, byte[] buf, int off, int len) {
        int quotedLength = len;
        if (len >= Ipv4Packet.HEADER_LEN) {
            quoted.wrap(buf, off, len);
            quotedLength = Math.min(len, Math.min(quoted.totalLength(), quoted.headerLength() + QUOTED_PAYLOAD));
        }
        this.kind = Kind.DESTINATION_UNREACHABLE;
        this.type = Icmpv4Packet.DEST_UNREACHABLE;
        this.code = code;
        this.id = 0;
        this.seq = 0;
        this.nextHopMtu = 0;
        slice(buf, off, Math.max(0, quotedLength));
        return this;
    }

    /**
     * Makes this a message of any {@code type} and {@code code} whose bytes after the checksum
     * (the 4 type-dependent bytes, then the data) are the {@code len} bytes at {@code off} in
     * {@code buf}; {@code len} should be at least 4. Returns this.
     */
    public Icmpv4Repr other(int type, int code, byte[] buf, int off, int len) {
        this.kind = Kind.OTHER;
        this.type = type;
        this.code = code;
        this.id = 0;
        this.seq = 0;
        this.nextHopMtu = 0;
        slice(buf, off, len);
        return this;
    }

    private void slice(byte[] buf, int off, int len) {
        this.dataBuffer = buf;
        this.dataOffset = off;
        this.dataLength = len;
    }

    /** Returns what the message is. */
    public Kind kind() {
        return kind;
    }

    /** Returns the type field, 0..255. */
    public int type() {
        return type;
    }

    /** Returns the code field, 0..255. */
    public int code() {
        return code;
    }

    /** Sets the code field, 0..255; returns this. */
    public Icmpv4Repr code(int code) {
        this.code = code;
        return this;
    }

    /** Returns the echo identifier (0 for other kinds). */
    public int id() {
        return id;
    }

    /** Sets the echo identifier, 0..65535; returns this. */
    public Icmpv4Repr id(int id) {
        this.id = id;
        return this;
    }

    /** Returns the echo sequence number (0 for other kinds). */
    public int seq() {
        return seq;
    }

    /** Sets the echo sequence number, 0..65535; returns this. */
    public Icmpv4Repr seq(int seq) {
        this.seq = seq;
        return this;
    }

    /** Returns the next-hop MTU of a "fragmentation needed" (RFC 1191); 0 otherwise or when unknown. */
    public int nextHopMtu() {
        return nextHopMtu;
    }

    /** Sets the next-hop MTU a destination unreachable carries, 0..65535; returns this. */
    public Icmpv4Repr nextHopMtu(int mtu) {
        this.nextHopMtu = mtu;
        return this;
    }

    /** Returns the array holding the data (not owned by this repr; null when there never was any). */
    public byte[] dataBuffer() {
        return dataBuffer;
    }

    /** Returns the offset of the data in {@link #dataBuffer()}. */
    public int dataOffset() {
        return dataOffset;
    }

    /** Returns the data's length in bytes. */
    public int dataLength() {
        return dataLength;
    }

    /**
     * Returns {@code ICMPv4 echo request id=1 seq=2 len=56} (len: the data length), the same with
     * {@code echo reply}, {@code ICMPv4 destination unreachable (port unreachable)} (followed by
     * {@code  mtu=1000} for a fragmentation needed that names one), or {@code ICMPv4 type=11 code=0}.
     */
    @Override
    public String toString() {
        return switch (kind) {
            case ECHO_REQUEST -> "ICMPv4 echo request id=" + id + " seq=" + seq + " len=" + dataLength;
            case ECHO_REPLY -> "ICMPv4 echo reply id=" + id + " seq=" + seq + " len=" + dataLength;
            case DESTINATION_UNREACHABLE -> "ICMPv4 destination unreachable (" + Icmpv4Packet.unreachableReason(code)
                    + ")" + (code == Icmpv4Packet.FRAGMENTATION_NEEDED && nextHopMtu != 0 ? " mtu=" + nextHopMtu : "");
            case OTHER -> "ICMPv4 type=" + type + " code=" + code;
        };
    }
}
