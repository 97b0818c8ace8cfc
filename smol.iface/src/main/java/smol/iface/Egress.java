package smol.iface;

import smol.phy.ChecksumCapabilities;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.socket.SocketSet;
import smol.socket.driver.DrivenSocket;
import smol.socket.driver.IpSender;
import smol.socket.driver.SendOutcome;
import smol.wire.ArpPacket;
import smol.wire.ArpRepr;
import smol.wire.EtherType;
import smol.wire.EthernetFrame;
import smol.wire.Icmpv4Packet;
import smol.wire.Icmpv4Repr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;
import smol.wire.TcpPacket;
import smol.wire.TcpRepr;
import smol.wire.UdpPacket;
import smol.wire.UdpRepr;

/**
 * The way out of an {@link Interface}: everything it sends leaves through here, written straight into
 * one transmit buffer and handed to the device.
 *
 * <p>For the sockets it is the {@link IpSender}: it routes each packet ({@link Routes}), resolves the
 * next hop's MAC in the ARP cache or asks for it with an ARP request (at most one per address per
 * second, {@link ArpRequestLimiter}), writes the Ethernet, IPv4 and transport headers, transmits, and
 * holds back from dispatch the socket whose send was refused ({@link SocketHolds}), for the interface's
 * poll to ask {@link #isHeld}. For the interface itself it sends the gratuitous ARPs, the ARP replies and
 * the answers to received packets, which go straight to the MAC they are given, without a route. Every
 * refusal is counted as an {@link IfaceDrop}; every frame the device takes is counted and shown to the
 * observers.
 *
 * <p>It knows the link only as the interface tells it: the interface calls {@link #attach},
 * {@link #detach}, {@link #addresses} and {@link #now} at every change, so that the packet path reads
 * its own fields. Nothing is allocated after {@link #attach}. Not thread-safe: it belongs to its
 * interface's poll.
 */
final class Egress implements IpSender {
    private static final long BROADCAST_MAC = 0xffff_ffff_ffffL;
    // RFC 1112 §6.4: an IPv4 multicast goes to 01-00-5e plus the group's low 23 bits
    private static final long IPV4_MULTICAST_MAC = 0x01_00_5e_00_00_00L;
    private static final int ETHERNET_HEADER = EthernetFrame.HEADER_LEN;
    private static final int IPV4_HEADER = Ipv4Packet.HEADER_LEN;

    private final SocketSet sockets;
    private final ArpCache arpCache;
    private final ArpRequestLimiter arpLimiter;
    /** The sockets held back from dispatch after a refused send, per slot. */
    private final SocketHolds holds;
    private final InterfaceStatistics stats;
    /** The interface's frame observers, as one. */
    private final FrameObserver observers;

    private Device device;
    private int mtu = Interface.DEFAULT_MTU;
    private ChecksumCapabilities checksums = ChecksumCapabilities.ALL;
    private byte[] txBuffer = new byte[0];
    private long mac;
    private Routes routes;
    /** The time of the current (or last) poll, in microseconds. */
    private long now;

    private int identification;
    /** The slot of the socket whose call the sends are, -1 for the interface's own. */
    private int callerSlot = -1;
    /** The source address {@link #route} chose for the packet being sent. */
    private int chosenSource;
    /** The destination MAC {@link #route} found for the packet being sent. */
    private long nextHopMac;
    /** The next hop whose MAC {@link #route} found missing, for the hold of {@link SendOutcome#NEIGHBOUR_PENDING}. */
    private int awaitedNeighbour;

    // Views and reprs, re-pointed at each frame: nothing is allocated per frame.
    private final EthernetFrame txFrame = new EthernetFrame();
    private final ArpPacket txArpPacket = new ArpPacket();
    private final ArpRepr txArp = new ArpRepr();
    private final Ipv4Packet txIpPacket = new Ipv4Packet();
    private final Ipv4Repr txIp = new Ipv4Repr();
    private final Icmpv4Packet txIcmpPacket = new Icmpv4Packet();
    private final UdpPacket txUdpPacket = new UdpPacket();
    private final TcpPacket txTcpPacket = new TcpPacket();

    /**
     * Creates the way out of an interface with {@code mac} and {@code routes} and no device: it sends
     * for the sockets of {@code sockets}, looks next hops up in {@code arpCache} (keeping the silences
     * of up to {@code arpRequests} addresses), counts into {@code stats} and shows every frame sent to
     * {@code observers}.
     */
    Egress(SocketSet sockets, ArpCache arpCache, int arpRequests, InterfaceStatistics stats,
            FrameObserver observers, long mac, Routes routes) {
        this.sockets = sockets;
        this.arpCache = arpCache;
        this.arpLimiter = new ArpRequestLimiter(arpRequests);
        this.holds = new SocketHolds(sockets.capacity());
        this.stats = stats;
        this.observers = observers;
        this.mac = mac;
        this.routes = routes;
    }

    // ---- the link, as the interface tells it -----------------------------------------------------

    /**
     * Sends through {@code device} from now on, with its MTU and checksum capabilities; grows the
     * transmit buffer to its largest frame (the only allocation). The ARP requests' silences end and
     * every held socket is released: the link may lead elsewhere now.
     */
    void attach(Device device, DeviceCapabilities caps) {
        int frameLength = caps.maxFrameLength();
        if (txBuffer.length < frameLength) {
            txBuffer = new byte[frameLength];
        }
        this.mtu = caps.mtu();
        this.checksums = caps.checksums();
        this.device = device;
        arpLimiter.clear();
        holds.releaseAll();
    }

    /**
     * Sends through {@code device} with {@code checksums} from now on, the link otherwise unchanged: a
     * wrapper interposed around the attached device, or taken away ({@link Interface#interpose}).
     */
    void through(Device device, ChecksumCapabilities checksums) {
        this.device = device;
        this.checksums = checksums;
    }

    /** Sends nothing from now on: every send is refused as {@link SendOutcome#NO_DEVICE}. */
    void detach() {
        device = null;
    }

    /** Sends from {@code mac} and {@code routes}'s addresses, along its routes, from now on. */
    void addresses(long mac, Routes routes) {
        this.mac = mac;
        this.routes = routes;
    }

    /** Sets the time of the poll under way, in microseconds, which sends use until the next one. */
    void now(long nowMicros) {
        now = nowMicros;
    }

    // ---- holds -----------------------------------------------------------------------------------

    /**
     * Says whose the sends that follow are: the socket in {@code slot}, which a refusal holds back, or
     * the interface's own for -1. The interface calls it around every call into a socket.
     */
    void sendsFor(int slot) {
        callerSlot = slot;
    }

    /** Returns true when the socket in {@code slot} is held back after a refused send, now. */
    boolean isHeld(int slot, DrivenSocket socket) {
        return holds.isHeld(slot, socket, now, arpCache, stats.framesOut());
    }

    /** Returns until when the socket in {@code slot} is held at the latest; meaningful while {@link #isHeld}. */
    long heldUntil(int slot) {
        return holds.until(slot);
    }

    /**
     * After the socket in {@code slot} sent or took a packet: a hold for a refusal for good lasts only
     * while the socket still asks to be polled at once; else its own deadline governs.
     */
    void settleHold(int slot, DrivenSocket socket) {
        if (holds.heldForGood(slot)) {
            holds.settle(slot, socket, socket.pollAt(now), now);
        }
    }

    // ---- the sockets' sends ----------------------------------------------------------------------

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, UdpRepr udp) {
        int length = udp.bufferLength();
        SendOutcome outcome = route(ip, length);
        if (outcome != SendOutcome.SENT) {
            return held(outcome);
        }
        int at = beginRouted(ip, IpProtocol.UDP, length);
        udp.emit(txUdpPacket.wrap(txBuffer, at, length), chosenSource, ip.dst(), checksums.udp().fillOnTransmit());
        return held(transmit(at + length));
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, TcpRepr tcp) {
        int length = tcp.bufferLength();
        SendOutcome outcome = route(ip, length);
        if (outcome != SendOutcome.SENT) {
            return held(outcome);
        }
        int at = beginRouted(ip, IpProtocol.TCP, length);
        tcp.emit(txTcpPacket.wrap(txBuffer, at, length), chosenSource, ip.dst(), checksums.tcp().fillOnTransmit());
        return held(transmit(at + length));
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, Icmpv4Repr icmp) {
        int length = icmp.bufferLength();
        SendOutcome outcome = route(ip, length);
        if (outcome != SendOutcome.SENT) {
            return held(outcome);
        }
        int at = beginRouted(ip, IpProtocol.ICMP, length);
        icmp.emit(txIcmpPacket.wrap(txBuffer, at, length), checksums.icmpv4().fillOnTransmit());
        return held(transmit(at + length));
    }

    /**
     * Routes a socket's packet with {@code payloadLength} bytes after the IPv4 header: chooses the
     * source address ({@link #chosenSource}) and finds the destination MAC ({@link #nextHopMac}), asking
     * for it with an ARP request when it is not known. Returns {@link SendOutcome#SENT} when the packet
     * can be emitted now, else why not (counted): the size is checked before the neighbour, so that no
     * ARP request goes out for a packet that could never be sent.
     */
    private SendOutcome route(Ipv4Repr ip, int payloadLength) {
        if (device == null) {
            stats.countDrop(IfaceDrop.LINK_DOWN);
            return SendOutcome.NO_DEVICE;
        }
        int dst = ip.dst();
        int src = ip.src();
        if (src == 0) {
            src = routes.sourceFor(dst);
        } else if (!routes.isOurs(src)) {
            stats.countDrop(IfaceDrop.FOREIGN_SOURCE);
            return SendOutcome.NO_ROUTE; // no route from an address that is not ours
        }
        chosenSource = src;
        int packetLength = IPV4_HEADER + payloadLength;
        if (packetLength > mtu || ETHERNET_HEADER + packetLength > txBuffer.length) {
            stats.countDrop(IfaceDrop.TOO_BIG);
            return SendOutcome.TOO_BIG;
        }
        if (routes.isBroadcast(dst)) {
            nextHopMac = BROADCAST_MAC;
            return SendOutcome.SENT;
        }
        if ((dst >>> 28) == 0xe) {
            nextHopMac = IPV4_MULTICAST_MAC | (dst & 0x7f_ffff);
            return SendOutcome.SENT;
        }
        if (routes.isOurs(dst)) {
            // To ourselves: the frame goes to our own MAC, without ARP. On a loopback device it comes
            // back and is received as any other; on a real link no station takes it.
            nextHopMac = mac;
            return SendOutcome.SENT;
        }
        int hop = dst == 0 ? Routes.NO_ROUTE : routes.nextHop(dst);
        if (hop == Routes.NO_ROUTE) {
            stats.countDrop(IfaceDrop.NO_ROUTE);
            return SendOutcome.NO_ROUTE;
        }
        long hopMac = arpCache.lookup(hop, now);
        if (hopMac != ArpCache.NO_ENTRY) {
            nextHopMac = hopMac;
            return SendOutcome.SENT;
        }
        if (arpLimiter.tryAcquire(hop, now)) {
            txArp.request(mac, routes.sourceFor(hop), hop);
            if (transmitArp(BROADCAST_MAC)) {
                stats.countArpRequestSent();
            }
        }
        stats.countDrop(IfaceDrop.NEIGHBOUR_UNRESOLVED);
        awaitedNeighbour = hop;
        return SendOutcome.NEIGHBOUR_PENDING;
    }

    /**
     * After a {@link #route} that said {@link SendOutcome#SENT}: completes {@code ip} as the
     * {@link IpSender} contract says (protocol, payload length) and writes the Ethernet and IPv4 headers
     * to the routed next hop from the chosen source; returns where the {@code length}-byte payload goes.
     */
    private int beginRouted(Ipv4Repr ip, int protocol, int length) {
        ip.protocol(protocol).payloadLength(length);
        int ttl = ip.ttl() == 0 ? Interface.DEFAULT_TTL : ip.ttl();
        return beginIpv4(nextHopMac, chosenSource, ip.dst(), protocol, ttl, ip.dscpEcn(), ip.dontFragment(), length);
    }

    /**
     * Returns {@code outcome}, having held back the socket whose call this is (when it is a socket's)
     * until the reason for a refusal can have changed, or released it for a send that went.
     */
    private SendOutcome held(SendOutcome outcome) {
        int slot = callerSlot;
        if (slot < 0) {
            return outcome;
        }
        DrivenSocket socket = sockets.driver(slot);
        switch (outcome) {
            case SENT -> holds.release(slot);
            case NEIGHBOUR_PENDING -> {
                long silentUntil = arpLimiter.silentUntil(awaitedNeighbour, now);
                holds.untilNeighbourAnswers(slot, socket, awaitedNeighbour,
                        silentUntil == Long.MIN_VALUE ? now + ArpRequestLimiter.INTERVAL_MICROS : silentUntil);
            }
            case DEVICE_BUSY -> holds.untilDeviceTakesAFrame(slot, socket, stats.framesOut(), now);
            case NO_DEVICE -> holds.untilAttach(slot, socket);
            default -> holds.refusedForGood(slot, socket, outcome, now); // NO_ROUTE, TOO_BIG
        }
        return outcome;
    }

    // ---- the interface's own frames --------------------------------------------------------------

    /** Broadcasts a gratuitous ARP for {@code address}; false (counted) when it could not go. */
    boolean announce(int address) {
        // RFC 5227 §2.3: an announcement is a request with our address as sender and target, target MAC 0
        txArp.announcement(mac, address);
        return transmitArp(BROADCAST_MAC);
    }

    /**
     * Answers an ARP request for our {@code address} from {@code askerMac} and {@code askerIp}, to
     * {@code askerMac}; false (counted) when it could not go.
     */
    boolean answerArp(int address, long askerMac, int askerIp) {
        txArp.reply(mac, address, askerMac, askerIp);
        return transmitArp(askerMac);
    }

    /**
     * Sends {@code icmp} to {@code toMac} in answer to the packet {@code received}: back to its source,
     * from the address it was sent to, with TTL 64 and without a route. False (counted) when it could
     * not go.
     */
    boolean answer(long toMac, Ipv4Repr received, Icmpv4Repr icmp) {
        int length = icmp.bufferLength();
        int at = beginIpv4(toMac, received.dst(), received.src(), IpProtocol.ICMP, Interface.DEFAULT_TTL, 0, false,
                length);
        if (at < 0) {
            return false;
        }
        icmp.emit(txIcmpPacket.wrap(txBuffer, at, length), checksums.icmpv4().fillOnTransmit());
        return transmit(at + length) == SendOutcome.SENT;
    }

    /** As {@link #answer(long, Ipv4Repr, Icmpv4Repr)}, for the TCP segment {@code tcp}. */
    boolean answer(long toMac, Ipv4Repr received, TcpRepr tcp) {
        int length = tcp.bufferLength();
        int at = beginIpv4(toMac, received.dst(), received.src(), IpProtocol.TCP, Interface.DEFAULT_TTL, 0, false,
                length);
        if (at < 0) {
            return false;
        }
        tcp.emit(txTcpPacket.wrap(txBuffer, at, length), received.dst(), received.src(), checksums.tcp().fillOnTransmit());
        return transmit(at + length) == SendOutcome.SENT;
    }

    // ---- framing and the device ------------------------------------------------------------------

    /** Sends {@link #txArp} in a frame to {@code destination}; false (counted) when the device refused it. */
    private boolean transmitArp(long destination) {
        int length = ETHERNET_HEADER + ArpPacket.ETHERNET_IPV4_LEN;
        txFrame.wrap(txBuffer, 0, length);
        txFrame.setDestination(destination);
        txFrame.setSource(mac);
        txFrame.setEtherType(EtherType.ARP);
        txArp.emit(txArpPacket.wrap(txBuffer, ETHERNET_HEADER, ArpPacket.ETHERNET_IPV4_LEN));
        return transmit(length) == SendOutcome.SENT;
    }

    /**
     * Writes the Ethernet and IPv4 headers of a packet with {@code payloadLength} bytes of payload into
     * the transmit buffer; returns where the payload goes, or -1 (counted) when the packet exceeds the
     * MTU or no device is attached.
     */
    private int beginIpv4(long destinationMac, int src, int dst, int protocol, int ttl, int dscpEcn,
            boolean dontFragment, int payloadLength) {
        if (device == null) {
            stats.countDrop(IfaceDrop.LINK_DOWN);
            return -1;
        }
        int packetLength = IPV4_HEADER + payloadLength;
        if (packetLength > mtu || ETHERNET_HEADER + packetLength > txBuffer.length) {
            stats.countDrop(IfaceDrop.TOO_BIG);
            return -1;
        }
        txFrame.wrap(txBuffer, 0, ETHERNET_HEADER + packetLength);
        txFrame.setDestination(destinationMac);
        txFrame.setSource(mac);
        txFrame.setEtherType(EtherType.IPV4);
        txIp.src(src).dst(dst).protocol(protocol).payloadLength(payloadLength).ttl(ttl)
                .identification(identification).dontFragment(dontFragment).moreFragments(false)
                .fragmentOffset(0).dscpEcn(dscpEcn);
        identification = (identification + 1) & 0xffff;
        txIp.emit(txIpPacket.wrap(txBuffer, ETHERNET_HEADER, packetLength), checksums.ipv4().fillOnTransmit());
        return ETHERNET_HEADER + IPV4_HEADER;
    }

    /**
     * Hands the {@code length} bytes of the transmit buffer to the device: {@link SendOutcome#SENT}, or
     * (counted) {@link SendOutcome#NO_DEVICE} or {@link SendOutcome#DEVICE_BUSY}.
     */
    private SendOutcome transmit(int length) {
        Device d = device;
        if (d == null) {
            stats.countDrop(IfaceDrop.LINK_DOWN);
            return SendOutcome.NO_DEVICE;
        }
        if (!d.transmit(txBuffer, 0, length, now)) {
            stats.countDrop(IfaceDrop.DEVICE_BUSY);
            return SendOutcome.DEVICE_BUSY;
        }
        stats.countFrameOut(length);
        observers.onFrame(FrameDirection.OUT, txBuffer, 0, length, now);
        return SendOutcome.SENT;
    }
}
