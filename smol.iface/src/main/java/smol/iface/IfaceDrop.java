package smol.iface;

import smol.socket.driver.SendOutcome;

/**
 * Why the interface dropped a frame it received or a packet it was asked to send; each is counted in
 * {@link InterfaceStatistics}. Every received frame either reaches its protocol's handler (ARP, an
 * ICMP echo answer, a socket, a port unreachable or RST answer) or is dropped for exactly one of the
 * {@linkplain #received() receive-side} reasons.
 */
public enum IfaceDrop {
    /** A header that failed its format check: too short, a lying length, a bad option; the
     * {@link smol.wire.Malformed} reason is counted too ({@link InterfaceStatistics#malformed}). */
    MALFORMED(true),
    /** An IPv4 header, ICMP, UDP or TCP checksum that does not verify (checked as the device's
     * {@link smol.phy.ChecksumCapabilities} ask). */
    BAD_CHECKSUM(true),
    /** A well-formed header this stack does not handle: an 802.1Q tag, an IEEE 802.3 length field, ARP
     * for other than Ethernet/IPv4 or other than request and reply. */
    UNSUPPORTED(true),
    /** An EtherType other than IPv4 and ARP (IPv6 included). */
    UNKNOWN_ETHERTYPE(true),
    /** A frame to another station's MAC or a multicast MAC; an IPv4 packet to an address that is not
     * ours nor a broadcast on our subnets; an ARP packet asking for or telling about someone else, or
     * our own ARP packet come back through a loopback device. */
    NOT_FOR_US(true),
    /** A source that cannot be: a multicast Ethernet source, an IPv4 source that is broadcast,
     * multicast, or one of our own addresses in a frame from another station's MAC (spoofed), an ARP
     * sender that claims our address. */
    BAD_SOURCE(true),
    /** An IPv4 fragment: fragments are not reassembled (as smoltcp 0.1.0). */
    FRAGMENT(true),
    /** An IPv4 protocol other than ICMP, UDP and TCP. */
    UNKNOWN_PROTOCOL(true),
    /** A broadcast that its protocol does not take: a TCP segment (RFC 1122 §4.2.3.10) or an echo
     * request (RFC 1122 §3.2.2.6 lets a host ignore it). */
    BROADCAST(true),
    /** A datagram, segment or ICMP message that no socket took (answered with port unreachable or RST
     * where the RFCs ask for it; those answers are counted apart). */
    NO_SOCKET(true),
    /** A connection request (SYN) for a TCP listener whose backlog is full: dropped unanswered, as the
     * listener asked ({@link smol.socket.driver.Delivery#DROPPED}), so that the client retries rather
     * than being refused with RST. */
    BACKLOG_FULL(true),

    /** Send side: no device is attached (the link is down); the socket is told {@link SendOutcome#NO_DEVICE}. */
    LINK_DOWN(false),
    /** Send side: the destination is on none of our subnets and there is no default gateway;
     * {@link SendOutcome#NO_ROUTE}. */
    NO_ROUTE(false),
    /** Send side: the next hop's MAC is not known yet; an ARP request was sent or is rate-limited;
     * {@link SendOutcome#NEIGHBOUR_PENDING}. */
    NEIGHBOUR_UNRESOLVED(false),
    /** Send side: the packet is larger than the device's MTU; {@link SendOutcome#TOO_BIG}. */
    TOO_BIG(false),
    /** Send side: the source address the socket chose is not one of the interface's;
     * {@link SendOutcome#NO_ROUTE}. */
    FOREIGN_SOURCE(false),
    /** Send side: the device refused the frame (its queue is full, a rate limit);
     * {@link SendOutcome#DEVICE_BUSY}. */
    DEVICE_BUSY(false);

    private final boolean received;

    IfaceDrop(boolean received) {
        this.received = received;
    }

    /** Returns true for a reason that drops a received frame, false for one that stops a packet being sent. */
    public boolean received() {
        return received;
    }
}
