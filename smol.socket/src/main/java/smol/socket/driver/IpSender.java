package smol.socket.driver;

import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/**
 * Where sockets send packets: the interface implements it, routing, resolving the next hop and
 * emitting the frame into the device.
 *
 * <p>The socket fills {@code ip}'s source (0 lets the interface choose one of its addresses),
 * destination and TTL; the interface sets the protocol and payload length. The reprs are borrowed for
 * the call only; the interface copies what it needs before returning.
 *
 * <p>Every send returns a {@link SendOutcome}: {@link SendOutcome#SENT}, or why the packet was refused
 * (nothing of it was sent). What a socket does with a refused packet:
 * <ul>
 *   <li>{@link SendOutcome#NEIGHBOUR_PENDING}: keep it and send it when dispatched again; for TCP,
 *       run the retransmission timer as for a lost segment, each expiry counting a try;</li>
 *   <li>{@link SendOutcome#NO_ROUTE}, {@link SendOutcome#TOO_BIG}: refused for good; drop a datagram
 *       and count it, treat a TCP segment as lost on the wire (never ask to be polled at once for it);</li>
 *   <li>{@link SendOutcome#DEVICE_BUSY}, {@link SendOutcome#NO_DEVICE}: keep it, count no try, leave
 *       the timers alone, and send it when dispatched again.</li>
 * </ul>
 * After a refusal the interface holds the socket back until the reason can have changed (see
 * {@link SendOutcome}), so a socket may simply go on asking to be polled at once for a packet it keeps.
 * A send allocates nothing.
 */
public interface IpSender {

    /**
     * Returns the IP MTU of the path packets take (the device's MTU), in bytes, now: it changes when
     * the interface gets another device. TCP derives the MSS it advertises from it (MTU − 40), and
     * sizes its segments for it at every dispatch.
     */
    int mtu();

    /** Sends a UDP datagram; returns {@link SendOutcome#SENT} or why it was refused. */
    SendOutcome send(Ipv4Repr ip, UdpRepr udp);

    /** Sends a TCP segment; returns {@link SendOutcome#SENT} or why it was refused. */
    SendOutcome send(Ipv4Repr ip, TcpRepr tcp);

    /** Sends an ICMPv4 message; returns {@link SendOutcome#SENT} or why it was refused. */
    SendOutcome send(Ipv4Repr ip, Icmpv4Repr icmp);
}
