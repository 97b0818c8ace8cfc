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
 * {@code process…} returns true has taken it (TCP listeners come last: {@link #listensForTcp}). When
 * none takes a UDP datagram the interface answers with ICMP port unreachable, a TCP segment with RST.
 * Not thread-safe: called from the poll loop, or under the socket set's lock.
 *
 * <p>Sends through the {@link IpSender} may be refused; each refusal says why ({@link SendOutcome}), and
 * the socket reacts as {@link IpSender} describes. After a refusal the interface holds the socket back
 * (does not dispatch it) until the reason can have changed, so {@link #pollAt} may keep answering "now"
 * for a packet the socket keeps. While no device is attached the interface dispatches no socket at all:
 * timers hold, as nothing can be sent or received; when a device is attached again it calls
 * {@link #linkUp} on every socket before dispatching them.
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

    /**
     * The link is up again at {@code nowMicros}: a device was attached after a time without one, during
     * which the socket was not dispatched. Called once per attach, before the next {@link #dispatch}.
     * A socket whose timers fell due meanwhile sends what is due at the next dispatch; the outage
     * counts as no try against the path (a TCP retransmission due is sent without counting a retry or
     * backing off its timeout). Does nothing by default.
     */
    public void linkUp(long nowMicros) {
        // nothing is due by default
    }

    /** Sends what the socket has to send at {@code nowMicros} (data, acknowledgements, retransmissions). */
    public abstract void dispatch(long nowMicros, IpSender out);

    /**
     * Returns when the socket next needs {@link #dispatch}: {@code nowMicros} or earlier when it has
     * something to send now, a later time for a timer, {@link Long#MAX_VALUE} when nothing is due.
     */
    public abstract long pollAt(long nowMicros);
}
