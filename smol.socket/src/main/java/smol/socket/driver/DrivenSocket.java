package smol.socket.driver;

import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/**
 * How an interface drives a socket: packets in ({@code process…}), packets out ({@link #dispatch}),
 * and when it next needs to be polled ({@link #pollAt}). Applications never call it; an interface
 * gets it from the socket set ({@code SocketSet.driver(slot)}).
 *
 * <p>The interface offers each received packet to the sockets in slot order, the first that does not
 * decline it having taken it; TCP listeners ({@link #listensForTcp}) come after every other socket, so
 * that a segment reaches the socket of its own 4-tuple, TIME-WAIT included, in whatever slot (RFC 9293
 * §3.10.7). When none takes a UDP datagram the interface answers with ICMP port unreachable, a TCP
 * segment with RST, unless a socket asked for it to be dropped unanswered ({@link Delivery#DROPPED}: a
 * listener whose backlog is full). A socket never sends while it processes a packet: an answer due at once is
 * returned ({@link Delivery#TAKEN_ANSWER_NOW}) and sent by the {@link #dispatch} the interface then
 * makes.
 *
 * <p>Sends through the {@link IpSender} may be refused; each refusal says why ({@link SendOutcome}),
 * and the socket reacts as {@link IpSender} describes. After a refusal the interface holds the socket
 * back (does not dispatch it) until the reason can have changed, so {@link #pollAt} may keep answering
 * "now" for a packet the socket keeps. While no device is attached the interface dispatches no socket
 * at all: timers hold, as nothing can be sent or received; when a device is attached again it calls
 * {@link #linkUp} on every socket before dispatching them.
 *
 * <p>Not thread-safe: called from the poll loop, or under the socket set's lock. The reprs are
 * borrowed for the call only.
 */
public interface DrivenSocket {

    /** Offers a UDP datagram; the default declines it. */
    default Delivery processUdp(PollContext context, Ipv4Repr ip, UdpRepr udp) {
        return Delivery.DECLINED;
    }

    /** Offers a TCP segment; the default declines it. */
    default Delivery processTcp(PollContext context, Ipv4Repr ip, TcpRepr tcp) {
        return Delivery.DECLINED;
    }

    /** Offers an ICMP message the interface does not answer itself; the default declines it. */
    default Delivery processIcmp(PollContext context, Ipv4Repr ip, Icmpv4Repr icmp) {
        return Delivery.DECLINED;
    }

    /**
     * Returns true while the socket waits for new TCP connections: it is offered a segment only after
     * every other socket declined it. The default is false. A connection that stands in for its full
     * listener says true as well: it then takes its own segments there and drops the listener's SYNs.
     */
    default boolean listensForTcp() {
        return false;
    }

    /**
     * Tells the socket that a device is attached again after a time without one, during which it was
     * not dispatched; called on the first poll after the attach, before the socket is dispatched. A
     * socket whose timer fell due meanwhile sends what it covers at that dispatch without counting a
     * try or backing its timer off: the outage lost nothing on the path. The default does nothing.
     */
    default void linkUp(long nowMicros) {
    }

    /**
     * Tells the socket that the interface is about to give up {@code address} (IPv4, as an int): a
     * connection that uses it as its local address ends now, with a reset for its peer. Returns true
     * when the socket has something to send about it, which the interface then sends at once with a
     * {@link #dispatch}, while the address is still its own. The default does nothing and returns false.
     */
    default boolean addressRemoved(int address) {
        return false;
    }

    /** Sends what the socket has to send at {@code context.nowMicros()}: data, acknowledgements, retransmissions. */
    void dispatch(PollContext context);

    /**
     * Returns when the socket next needs {@link #dispatch}: {@code nowMicros} or earlier when it has
     * something to send now, a later time for a timer, {@link Long#MAX_VALUE} when nothing is due.
     */
    long pollAt(long nowMicros);
}
