package smol.socket.driver;

/**
 * What became of a packet a socket handed to {@link IpSender#send}: sent, or why not. The reason
 * tells the socket what to do with the packet and with its timers, and tells the interface how long
 * to hold the socket back before dispatching it again (so that a socket that cannot make progress
 * does not make the poll loop spin). A refused packet was not sent: nothing of it reached the device.
 *
 * <p>Three kinds of refusal:
 * <ul>
 *   <li>the path failed ({@link #NEIGHBOUR_PENDING}, {@link #NO_ROUTE}, {@link #TOO_BIG}): for TCP's
 *       timers the segment is as good as lost on the wire — the retransmission timer runs and its
 *       expiry counts a try, so a peer that vanished ends in a timeout;</li>
 *   <li>refused for good ({@link #NO_ROUTE}, {@link #TOO_BIG}, {@link #isForGood()}): the same packet
 *       will be refused again; a datagram is dropped and counted, never retried;</li>
 *   <li>the link is momentarily unable ({@link #DEVICE_BUSY}, {@link #NO_DEVICE}): says nothing about
 *       the path; the socket keeps the packet, counts no try and sends it when dispatched again.</li>
 * </ul>
 */
public enum SendOutcome {
    /** Handed to the device. */
    SENT,
    /**
     * The next hop's MAC is not known: an ARP request went out (or went out less than a second ago).
     * The socket keeps the packet and sends it when dispatched again; the interface dispatches it again
     * as soon as the neighbour answers, or at the next ARP request (1 s). For TCP timers a path failure:
     * the retransmission timer runs and each expiry counts a try.
     */
    NEIGHBOUR_PENDING,
    /**
     * The device refused the frame for now (its queue is full, a rate limit). The socket keeps the
     * packet, counts no try and leaves its timers alone; the interface dispatches it again once the
     * device took a frame again, or 1 ms later at the latest.
     */
    DEVICE_BUSY,
    /**
     * The packet is larger than the device's MTU: refused for good at this MTU. A datagram is dropped
     * ({@link smol.socket.SocketDrop#PAYLOAD_TOO_LARGE}); TCP, which sizes segments for {@link IpSender#mtu()} at
     * every dispatch, treats it as a segment lost on the wire.
     */
    TOO_BIG,
    /**
     * The destination is on none of the interface's subnets and there is no gateway, or the source
     * address the socket chose is not one of the interface's: refused for good. A datagram is dropped
     * ({@link smol.socket.SocketDrop#NO_ROUTE}); TCP treats the segment as lost on the wire.
     */
    NO_ROUTE,
    /**
     * No device is attached: the link is down. The socket keeps the packet, counts no try and leaves
     * its timers alone; the interface dispatches nothing until a device is attached, and then tells the
     * sockets with {@link DrivenSocket#linkUp}.
     */
    NO_DEVICE;

    /** Returns true when the same packet would be refused again ({@link #NO_ROUTE}, {@link #TOO_BIG}). */
    public boolean isForGood() {
        return this == NO_ROUTE || this == TOO_BIG;
    }
}
