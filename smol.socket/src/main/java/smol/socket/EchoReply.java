package smol.socket;

import smol.wire.Ipv4Address;

/**
 * One outcome of an echo request, filled by {@link IcmpSocket#recv}: an echo reply (RFC 792 type 0)
 * or a destination unreachable (type 3) quoting the request. Reusable: each {@code recv} overwrites
 * every field, so a ping loop needs one instance. Not thread-safe.
 */
public final class EchoReply {
    private int source;
    private int seq;
    private int size;
    private int ttl;
    private long rttMicros = -1;
    private int unreachableCode = -1;

    void set(int source, int seq, int size, int ttl, long rttMicros, int unreachableCode) {
        this.source = source;
        this.seq = seq;
        this.size = size;
        this.ttl = ttl;
        this.rttMicros = rttMicros;
        this.unreachableCode = unreachableCode;
    }

    /**
     * Returns the IPv4 source of the message as an int: the host that replied, or for an
     * unreachable the router or host that reported it.
     */
    public int source() {
        return source;
    }

    /** Returns the echo sequence number, 0..65535, of the request this answers. */
    public int seq() {
        return seq;
    }

    /**
     * Returns the ICMP echo data length in bytes (the 8-byte ICMP header excluded; Linux ping prints
     * this plus 8): of the reply, or for an unreachable of the request as its quoted header claims.
     */
    public int size() {
        return size;
    }

    /** Returns the TTL of the IPv4 packet that carried the message, 0..255. */
    public int ttl() {
        return ttl;
    }

    /**
     * Returns the round-trip time in microseconds: arrival minus the time the request was handed to
     * the interface; -1 when that time is no longer known (the request is too old, or was not sent
     * by this socket).
     */
    public long rttMicros() {
        return rttMicros;
    }

    /** Returns true when this is a destination unreachable rather than an echo reply. */
    public boolean isUnreachable() {
        return unreachableCode >= 0;
    }

    /**
     * Returns the destination unreachable code (RFC 792, RFC 1812: 0 net, 1 host, 3 port, …; see
     * {@code smol.wire.Icmpv4Packet}), or -1 for an echo reply.
     */
    public int unreachableCode() {
        return unreachableCode;
    }

    /**
     * Returns {@code reply from 10.0.0.2 seq=1 size=56 ttl=64 rtt=1234us}, or
     * {@code unreachable code=1 from 10.0.0.1 seq=1 …}; {@code rtt=?} when unknown.
     */
    @Override
    public String toString() {
        return (isUnreachable() ? "unreachable code=" + unreachableCode + " from " : "reply from ")
                + Ipv4Address.toString(source) + " seq=" + seq + " size=" + size + " ttl=" + ttl
                + " rtt=" + (rttMicros < 0 ? "?" : rttMicros + "us");
    }
}
