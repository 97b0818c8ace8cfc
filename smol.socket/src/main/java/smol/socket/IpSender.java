package smol.socket;

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
 */
public interface IpSender {

    /**
     * Returns the IP MTU of the path packets take (the device's MTU), in bytes; TCP derives the MSS
     * it advertises from it (MTU − 40).
     */
    int mtu();

    /**
     * Sends a UDP datagram; returns false when it cannot go now (no route, next hop not yet resolved,
     * device busy), in which case the socket keeps it and tries again on a later poll.
     */
    boolean send(Ipv4Repr ip, UdpRepr udp);

    /** Sends a TCP segment; returns false when it cannot go now, as for UDP. */
    boolean send(Ipv4Repr ip, TcpRepr tcp);

    /** Sends an ICMPv4 message; returns false when it cannot go now, as for UDP. */
    boolean send(Ipv4Repr ip, Icmpv4Repr icmp);
}
