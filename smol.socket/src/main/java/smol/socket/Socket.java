package smol.socket;

import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/**
 * What every socket offers the interface that polls it: packets in ({@code process…}), packets out
 * ({@link #dispatch}) and when it next needs to be polled ({@link #pollAt}).
 *
 * <p>The interface offers each received packet to the sockets in the set in turn; the first whose
 * {@code process…} returns true has taken it (TCP listeners come last: {@link #listensForTcp}). When none takes a UDP datagram the interface answers
 * with ICMP port unreachable, a TCP segment with RST. Not thread-safe: called from the poll loop, or
 * under the socket set's lock.
 */
public abstract class Socket {

    /** Takes the datagram and returns true when it is addressed to this socket; else false, untouched. */
    public boolean processUdp(long nowMicros, Ipv4Repr ip, UdpRepr udp) {
        return false;
    }

    /**
     * Takes the segment and returns true when it belongs to this socket; else false, untouched. A
     * socket may answer at once through {@code out} (an RST for an unacceptable segment).
     */
    public boolean processTcp(long nowMicros, Ipv4Repr ip, TcpRepr tcp, IpSender out) {
        return false;
    }

    /**
     * Returns true while the socket waits for new TCP connections. The interface offers a TCP segment
     * first to every socket that does not listen, and to listeners only when none of those took it,
     * so that a segment always reaches its own connection's socket, whatever the slots' order (RFC
     * 9293 §3.10.7).
     */
    public boolean listensForTcp() {
        return false;
    }

    /** Takes the ICMP message and returns true when it is addressed to this socket; else false, untouched. */
    public boolean processIcmp(long nowMicros, Ipv4Repr ip, Icmpv4Repr icmp) {
        return false;
    }

    /** Sends what the socket has to send at {@code nowMicros} (data, acknowledgements, retransmissions). */
    public abstract void dispatch(long nowMicros, IpSender out);

    /**
     * Returns when the socket next needs {@link #dispatch}: {@code nowMicros} or earlier when it has
     * something to send now, a later time for a timer, {@link Long#MAX_VALUE} when nothing is due.
     */
    public abstract long pollAt(long nowMicros);
}
