package smol.iface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smol.phy.ChecksumCapabilities;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.Medium;
import smol.phy.ReceivedChecksum;
import smol.phy.WrappedDevice;
import smol.socket.SocketSet;
import smol.socket.driver.Delivery;
import smol.socket.driver.DrivenSocket;
import smol.socket.driver.InitialSequence;
import smol.socket.driver.IpSender;
import smol.socket.driver.PollContext;
import smol.socket.driver.SendOutcome;
import smol.wire.ArpPacket;
import smol.wire.ArpRepr;
import smol.wire.EtherType;
import smol.wire.EthernetAddress;
import smol.wire.EthernetFrame;
import smol.wire.EthernetRepr;
import smol.wire.Icmpv4Packet;
import smol.wire.Icmpv4Repr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;
import smol.wire.Malformed;
import smol.wire.TcpFlags;
import smol.wire.TcpPacket;
import smol.wire.TcpRepr;
import smol.wire.UdpPacket;
import smol.wire.UdpRepr;

/**
 * One Ethernet interface of the stack: its MAC and IPv4 addresses, a neighbour table filled by ARP
 * (read through {@link #arpTable()}), its routes (the connected subnets, static {@link Ipv4Route}s and an
 * optional default gateway), and the poll that moves frames between a {@link Device} and the sockets of a
 * {@link SocketSet}.
 *
 * <p><b>Poll.</b> {@link #poll(long)} takes the waiting frames from the device (at most
 * {@link InterfaceConfig#framesPerPoll()} per call), handles ARP, IPv4 and ICMP itself and offers UDP,
 * TCP and the ICMP messages it does not answer to the sockets in slot order (a TCP segment goes to
 * its connection's socket before any listener); then it lets every
 * socket {@link DrivenSocket#dispatch dispatch}; then it returns when it next needs polling.
 *
 * <p><b>Answers it gives by itself.</b> ARP requests for our addresses (RFC 826); echo requests, with
 * the request's identifier, sequence number and data (RFC 792); UDP datagrams no socket takes, with
 * ICMP port unreachable quoting the IPv4 header and the first 8 payload bytes (RFC 1122 §3.2.2.1 and
 * §4.1.3.1, never for a broadcast or multicast); TCP segments no socket takes, with a reset (RFC 793
 * §3.4, never for a reset). These answers go straight back to the Ethernet source of the frame that
 * caused them, without a route or ARP lookup, as smoltcp 0.1.0 (which snooped that address into its
 * cache). IP options of received packets are checked and skipped, not echoed (an echo reply carries
 * no record-route option).
 *
 * <p><b>Sending.</b> Sockets send through {@link #ipSender()}, which routes the packet (a connected
 * subnet, else the gateway), picks the source address when the socket left it 0 (our address on the
 * destination's subnet, else on the gateway's, else the first), fills TTL 64 when the socket left it 0,
 * numbers the IPv4 identification, fills the checksums the device's {@link ChecksumCapabilities} ask
 * for, and writes Ethernet, IPv4 and transport headers straight into the transmit buffer. When the next
 * hop's MAC is not known it sends an ARP request (at most one per address per second) and refuses the
 * packet as {@link SendOutcome#NEIGHBOUR_PENDING}: the socket keeps its data and sends again on a later
 * poll, as in smoltcp 0.1.0. Every refusal says why ({@link SendOutcome}: also no route, too big, a busy
 * device, no device) and is counted ({@link IfaceDrop}); after one, the socket is held back from
 * dispatch until the reason can have changed: the neighbour's ARP reply or the
 * next ARP request for it, the device taking a frame again (1 ms at the latest), an attach; after a
 * refusal for good its own timers govern. So a socket that cannot make progress never makes the poll
 * loop spin, and {@link #poll} says when the hold ends. Fragments are neither sent nor reassembled.
 *
 * <p><b>Our own addresses.</b> A packet to one of our addresses goes to our own MAC, without ARP:
 * over a loopback device (such as {@code smol.phy.LoopbackDevice}) it comes back and is received as
 * any other, so that a client and a server on one interface talk to each other (127.0.0.1/8 is a valid
 * address for that). The interface does not loop packets back by itself: on a real link no station
 * takes such a frame. A received packet whose IPv4 source is one of our addresses is accepted only
 * when its Ethernet source is our own MAC too (it came back through a loopback); from any other
 * station it is spoofed and dropped ({@link IfaceDrop#BAD_SOURCE}). Our own ARP packets coming back
 * are ignored ({@link IfaceDrop#NOT_FOR_US}).
 *
 * <p><b>Link.</b> {@link #attach} and {@link #detach} change the device at any time: the sockets and
 * their TCP state stay. Attaching clears the ARP cache (the link may lead elsewhere now), sizes the
 * frame buffers for the device's largest frame (growing them only when it is bigger than before) and
 * announces every address with a gratuitous ARP (RFC 5227 §2.3) on the next poll. While no device is
 * attached, a poll does nothing: the sockets are not dispatched (nothing could leave), so their timers
 * hold and no tries are counted; the first poll after an attach tells every socket
 * ({@link DrivenSocket#linkUp}) before dispatching them, and what fell due meanwhile goes out at once.
 *
 * <p><b>Robustness.</b> Whatever the bytes, a received frame never makes the interface throw: it is
 * either accepted or dropped for one {@link IfaceDrop} reason and counted in {@link #statistics()}.
 * Nothing is allocated per frame.
 *
 * <p><b>Threads.</b> Not thread-safe: one thread polls, and every other method is called on that
 * thread or under the lock the runtime holds while polling. Only {@link #addObserver} and
 * {@link #removeObserver} may be called from any thread at any time.
 */
public final class Interface {
    /** The TTL of packets whose socket left it 0 (RFC 1700's recommended default). */
    public static final int DEFAULT_TTL = 64;
    /** The MTU {@link IpSender#mtu()} reports before any device was attached: Ethernet's 1500. */
    public static final int DEFAULT_MTU = 1500;

    private static final long BROADCAST_MAC = 0xffff_ffff_ffffL;
    private static final FrameObserver[] NO_OBSERVERS = new FrameObserver[0];

    private InterfaceConfig config;
    private long mac;
    private Routes routes;
    private final SocketSet sockets;
    private final ArpCache arpCache;
    private final InterfaceStatistics stats = new InterfaceStatistics();
    /** Where everything this interface sends leaves: told of every change of device, addresses and time. */
    private final Egress egress;
    private final Context context = new Context();

    /** A device was attached since the last poll: the sockets are to hear of it ({@link DrivenSocket#linkUp}). */
    private boolean linkCameUp;

    /** The device frames go through: {@link #attached}, or {@link #interposed} around it; null while down. */
    private Device device;
    /** The device of the last {@link #attach}, or null while the link is down. */
    private Device attached;
    /** The wrapper between the interface and {@link #attached} ({@link #interpose}), or null. */
    private WrappedDevice interposed;
    private ChecksumCapabilities checksums = ChecksumCapabilities.ALL;
    private byte[] rxBuffer = new byte[0];
    /**
     * The device verified the transport checksum of the frame being received, or it is not filled in yet
     * ({@link Device#receivedChecksum}): TCP and UDP take it as it is.
     */
    private boolean rxChecksumTrusted;
    /** The next address to announce with a gratuitous ARP; {@code routes.count()} when none is pending. */
    private int nextAnnouncement;
    /** The time of the current (or last) poll, in microseconds. */
    private long now;

    private final Object observerLock = new Object();
    private volatile FrameObserver[] observers = NO_OBSERVERS;

    // Views and reprs, re-pointed at each frame: nothing is allocated per frame.
    private final EthernetFrame rxFrame = new EthernetFrame();
    private final EthernetRepr rxEthernet = new EthernetRepr();
    private final ArpPacket rxArpPacket = new ArpPacket();
    private final ArpRepr rxArp = new ArpRepr();
    private final Ipv4Packet rxIpPacket = new Ipv4Packet();
    private final Ipv4Repr rxIp = new Ipv4Repr();
    private final Icmpv4Packet rxIcmpPacket = new Icmpv4Packet();
    private final Icmpv4Repr rxIcmp = new Icmpv4Repr();
    private final UdpPacket rxUdpPacket = new UdpPacket();
    private final UdpRepr rxUdp = new UdpRepr();
    private final TcpPacket rxTcpPacket = new TcpPacket();
    private final TcpRepr rxTcp = new TcpRepr();
    // The answers to received packets, built here and sent by the egress.
    private final Icmpv4Repr txIcmp = new Icmpv4Repr();
    private final TcpRepr txTcp = new TcpRepr();

    /**
     * Creates an interface with no device attached (the link is down) that polls {@code sockets}.
     *
     * @throws IllegalArgumentException when {@code config} or {@code sockets} is null
     */
    public Interface(InterfaceConfig config, SocketSet sockets) {
        if (config == null) {
            throw new IllegalArgumentException("interface needs a configuration");
        }
        if (sockets == null) {
            throw new IllegalArgumentException("interface needs a socket set");
        }
        this.config = config;
        this.mac = config.mac().bits();
        this.routes = new Routes(config.addresses(), config.gateway(), config.routes());
        this.sockets = sockets;
        this.arpCache = new ArpCache(config.arpCacheCapacity(), ArpCache.DEFAULT_LIFETIME_MICROS);
        this.egress = new Egress(sockets, arpCache, config.arpCacheCapacity(), stats, this::notifyObservers, mac,
                routes);
        this.nextAnnouncement = routes.count();
    }

    /** Returns the configuration in force: the one it was created with, or the last {@link #reconfigure}. */
    public InterfaceConfig config() {
        return config;
    }

    /**
     * Applies {@code next} in place, without losing a socket: the MAC, the addresses, the gateway, the
     * frames per poll and the ISN generator may all change. Before an address goes, every TCP
     * connection that uses it ends with a reset sent to its peer from that address
     * ({@link smol.socket.TcpCloseReason#ADDRESS_REMOVED}); a new address, or every address when the MAC
     * changed, is announced with a gratuitous ARP at the next poll (RFC 5227 §2.3), so that neighbours
     * and bridges learn where it is now. Entries of the neighbour table stay.
     *
     * @throws IllegalArgumentException when {@code next} is null or changes the ARP cache's capacity,
     *     which is fixed when the interface is created
     */
    public void reconfigure(InterfaceConfig next) {
        if (next == null) {
            throw new IllegalArgumentException("interface needs a configuration");
        }
        if (next.arpCacheCapacity() != config.arpCacheCapacity()) {
            throw new IllegalArgumentException("the ARP cache capacity is fixed when the interface is created ("
                    + config.arpCacheCapacity() + "), not " + next.arpCacheCapacity()
                    + ": create a new interface to change it");
        }
        Routes nextRoutes = new Routes(next.addresses(), next.gateway(), next.routes());
        boolean added = false;
        for (int i = 0; i < nextRoutes.count(); i++) {
            added |= !routes.isOurs(nextRoutes.address(i));
        }
        for (int i = 0; i < routes.count(); i++) {
            if (!nextRoutes.isOurs(routes.address(i))) {
                resetConnectionsFrom(routes.address(i)); // while the address is still ours to send from
            }
        }
        boolean macChanged = next.mac().bits() != mac;
        config = next;
        mac = next.mac().bits();
        routes = nextRoutes;
        egress.addresses(mac, routes);
        if (device != null && (added || macChanged)) {
            nextAnnouncement = 0;
        } else {
            nextAnnouncement = Math.min(nextAnnouncement, routes.count());
        }
    }

    /** Adds {@code address} (RFC 5227 §2.3: announced at the next poll); see {@link #reconfigure}. */
    public void addAddress(Ipv4Cidr address) {
        List<Ipv4Cidr> addresses = new ArrayList<>(config.addresses());
        addresses.add(address);
        reconfigure(config.withAddresses(addresses));
    }

    /**
     * Removes {@code address}, resetting the TCP connections that use it; see {@link #reconfigure}.
     *
     * @throws IllegalArgumentException when it is not one of the interface's addresses, or is the last
     */
    public void removeAddress(Ipv4Address address) {
        List<Ipv4Cidr> addresses = new ArrayList<>(config.addresses());
        if (!addresses.removeIf(cidr -> cidr.address().equals(address))) {
            throw new IllegalArgumentException(address + " is not an address of this interface: " + config.addresses());
        }
        reconfigure(config.withAddresses(addresses));
    }

    /** Sets the default gateway (null: none); see {@link #reconfigure}. */
    public void gateway(Ipv4Address gateway) {
        reconfigure(config.withGateway(gateway));
    }

    /**
     * Adds a static route; see {@link #reconfigure}.
     *
     * @throws IllegalArgumentException as {@link InterfaceConfig} does: a router off every subnet or one
     *     of ours, or a route to that network already
     */
    public void addRoute(Ipv4Route route) {
        List<Ipv4Route> routes = new ArrayList<>(config.routes());
        routes.add(route);
        reconfigure(config.withRoutes(routes));
    }

    /**
     * Removes the static route to {@code destination} (as {@link Ipv4Route} keeps it: its network address);
     * see {@link #reconfigure}.
     *
     * @throws IllegalArgumentException when there is no route to that network
     */
    public void removeRoute(Ipv4Cidr destination) {
        List<Ipv4Route> routes = new ArrayList<>(config.routes());
        if (!routes.removeIf(r -> r.destination().equals(destination.network()))) {
            throw new IllegalArgumentException("no route to " + destination.network() + ": " + config.routes());
        }
        reconfigure(config.withRoutes(routes));
    }

    /** Returns the static routes in force, as configured. */
    public List<Ipv4Route> routes() {
        return config.routes();
    }

    /** Sets the MAC address, announcing every address with it at the next poll; see {@link #reconfigure}. */
    public void mac(EthernetAddress mac) {
        reconfigure(config.withMac(mac));
    }

    /**
     * Lets every socket whose connections use {@code address} end them, and sends their resets at once,
     * while the address is still ours.
     */
    private void resetConnectionsFrom(int address) {
        for (int i = 0; i < sockets.capacity(); i++) {
            DrivenSocket socket = sockets.driver(i);
            if (socket != null && socket.addressRemoved(address)) {
                egress.sendsFor(i);
                socket.dispatch(context);
                egress.sendsFor(-1);
            }
        }
    }

    /** Returns the MAC address in force. */
    public EthernetAddress mac() {
        return config.mac();
    }

    /** Returns the IPv4 addresses with their prefixes, the first being the default source. */
    public List<Ipv4Cidr> addresses() {
        return config.addresses();
    }

    /** Returns the socket set this interface polls. */
    public SocketSet sockets() {
        return sockets;
    }

    /**
     * Returns copies of the live entries of the neighbour table at the time of the last poll: read-only
     * (only ARP traffic fills the table). Allocates: for the shell, statistics and tests.
     */
    public List<ArpEntry> arpTable() {
        return arpCache.entries(now);
    }

    /** The neighbour table itself, for this package's tests. */
    ArpCache arpCache() {
        return arpCache;
    }

    /** Returns the counters; the same object for the interface's life, updated in place. */
    public InterfaceStatistics statistics() {
        return stats;
    }

    /**
     * Returns the interface as it is now (MAC, addresses, gateway, device, link, MTU, counters, neighbour
     * table), copied into an immutable record that any thread may keep and read. Call it on the poll thread
     * or under the runtime's lock ({@link InterfaceRuntime#snapshot()} does). Allocates: off the packet path.
     */
    public InterfaceSnapshot snapshot() {
        return new InterfaceSnapshot(config.mac(), config.addresses(), config.gateway(), config.routes(),
                attached == null ? null : attached.toString(), device != null, egress.mtu(), now, stats.snapshot(), arpTable());
    }

    /**
     * Returns where sockets send: the interface's {@link IpSender}, the same object for the interface's
     * life. A send routes the packet and writes it into the device at once ({@link SendOutcome#SENT}),
     * or refuses it, says why and counts it in {@link #statistics()}: {@link SendOutcome#NO_DEVICE},
     * {@link SendOutcome#NO_ROUTE} (also for a source address that is not ours),
     * {@link SendOutcome#TOO_BIG} (over the MTU), {@link SendOutcome#DEVICE_BUSY}, or
     * {@link SendOutcome#NEIGHBOUR_PENDING} for a next hop whose MAC is not known yet: then an ARP
     * request goes out (at most one per address per second). A socket whose send is refused during a
     * poll is held back from dispatch until the reason can have changed (see the class comment).
     * Sends use the time of the current poll (or of the last one, when called between polls). The
     * send sets the IPv4 repr's protocol and payload length; the socket's other fields are read only.
     */
    public IpSender ipSender() {
        return egress;
    }

    /**
     * Returns the device frames go through, which a runtime polls and waits on: the attached device, or
     * the wrapper {@linkplain #interpose interposed} around it; null while the link is down.
     */
    public Device device() {
        return device;
    }

    /** Returns the device given to the last {@link #attach}, never the interposed wrapper; null while down. */
    public Device attachedDevice() {
        return attached;
    }

    /** Returns the wrapper {@linkplain #interpose interposed} before the device, or null. */
    public WrappedDevice interposed() {
        return interposed;
    }

    /**
     * Puts {@code wrapper} (a {@code smol.phy.FaultInjector}, say) between the interface and its device,
     * now and after every later {@link #attach}, or takes the one there away ({@code null}): frames,
     * {@link Device#pollAt} and {@link Device#await} go through it from the next call on. The wrapper is
     * given the attached device (and no device while the link is down); the one taken away is detached
     * from it. The link does not change: the ARP cache, the pending announcements and the sockets stay
     * as they are; only the checksums to fill and verify are read again from the wrapper (a fault
     * injector asks for all of them, so that corruption is caught).
     *
     * @throws IllegalArgumentException when the attached device is {@code wrapper} or wraps it (see
     *     {@link WrappedDevice#attach}); nothing has changed then
     */
    public void interpose(WrappedDevice wrapper) {
        if (wrapper == interposed) {
            return;
        }
        if (wrapper != null) {
            if (attached != null) {
                wrapper.attach(attached); // may throw: nothing has changed yet
            } else {
                wrapper.detach();
            }
        }
        WrappedDevice old = interposed;
        interposed = wrapper;
        if (old != null) {
            old.detach(); // it must not hold on to our device, nor keep a stale one for the next interpose
        }
        if (attached != null) {
            device = wrapper != null ? wrapper : attached;
            checksums = device.capabilities().checksums();
            egress.through(device, checksums);
        }
    }

    /** Returns true while a device is attached. */
    public boolean isLinkUp() {
        return device != null;
    }

    /**
     * Attaches {@code device} (link up), replacing the device attached before, if any. The sockets
     * and their state stay; the ARP cache is cleared; a gratuitous ARP for each address goes out on
     * the next poll, which also tells every socket that the link is up ({@link DrivenSocket#linkUp}) before
     * dispatching them, and releases the sockets held back. The MTU is the new device's from now on.
     * The frame buffers grow to the device's {@link DeviceCapabilities#maxFrameLength()}
     * when they were smaller (the only allocation, here and not on the packet path). A wrapper
     * {@linkplain #interpose interposed} stays in place and wraps the new device.
     *
     * @throws IllegalArgumentException when {@code device} is null or its medium is not Ethernet
     */
    public void attach(Device device) {
        if (device == null) {
            throw new IllegalArgumentException("device must not be null; detach() takes the link down");
        }
        DeviceCapabilities caps = device.capabilities();
        if (caps.medium() != Medium.ETHERNET) {
            throw new IllegalArgumentException("interface needs an Ethernet device, not " + caps.medium());
        }
        int frameLength = caps.maxFrameLength();
        if (rxBuffer.length < frameLength) {
            rxBuffer = new byte[frameLength];
        }
        if (interposed != null) {
            interposed.attach(device);
        }
        this.attached = device;
        this.device = interposed != null ? interposed : device;
        this.checksums = this.device.capabilities().checksums();
        egress.attach(this.device, this.device.capabilities());
        arpCache.clear();
        linkCameUp = true;
        nextAnnouncement = 0;
    }

    /**
     * Detaches the device (link down) and returns it as it was attached (without the interposed wrapper,
     * which stays, holding no device), or null when none was attached. The sockets and their state stay;
     * nothing is sent or received until the next {@link #attach}.
     */
    public Device detach() {
        Device old = attached;
        attached = null;
        device = null;
        egress.detach();
        if (interposed != null) {
            interposed.detach();
        }
        nextAnnouncement = routes.count();
        return old;
    }

    /**
     * Adds an observer that sees every frame in and out from now on. Allocates (a copy of the observer
     * array); safe from any thread.
     *
     * @throws IllegalArgumentException when {@code observer} is null
     */
    public void addObserver(FrameObserver observer) {
        if (observer == null) {
            throw new IllegalArgumentException("observer must not be null");
        }
        synchronized (observerLock) {
            FrameObserver[] old = observers;
            FrameObserver[] copy = Arrays.copyOf(old, old.length + 1);
            copy[old.length] = observer;
            observers = copy;
        }
    }

    /**
     * Removes an observer (its first registration when added twice); returns false when it was not
     * there. Allocates; safe from any thread.
     */
    public boolean removeObserver(FrameObserver observer) {
        synchronized (observerLock) {
            FrameObserver[] old = observers;
            for (int i = 0; i < old.length; i++) {
                if (old[i] == observer) {
                    FrameObserver[] copy = new FrameObserver[old.length - 1];
                    System.arraycopy(old, 0, copy, 0, i);
                    System.arraycopy(old, i + 1, copy, i, old.length - i - 1);
                    observers = copy.length == 0 ? NO_OBSERVERS : copy;
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Does the interface's work at {@code nowMicros}: sends pending gratuitous ARPs, processes up to
     * {@link InterfaceConfig#framesPerPoll()} received frames, then lets every socket dispatch.
     *
     * <p>The first poll after an {@link #attach} tells every socket that the link is up
     * ({@link DrivenSocket#linkUp}) after receiving and before dispatching. A socket held back after a
     * refused send is not dispatched until its hold ends.
     *
     * <p>Returns when it next needs polling, in microseconds: {@code nowMicros} when frames may still
     * be waiting or an announcement could not go out; else the earliest of the sockets'
     * {@link DrivenSocket#pollAt pollAt}, where for a socket held back the end of its hold counts instead
     * (the end of the ARP request's silence for an unresolved neighbour, 1 ms for a busy device);
     * {@link Long#MAX_VALUE} when nothing is due (and always while no device is attached). Never
     * earlier than {@code nowMicros}, and never {@code nowMicros} for a socket that cannot make
     * progress.
     */
    public long poll(long nowMicros) {
        now = nowMicros;
        egress.now(nowMicros);
        if (device == null) {
            return Long.MAX_VALUE;
        }
        boolean pending = !announce();
        int frames = 0;
        while (device != null) {
            if (frames == config.framesPerPoll()) {
                pending = true; // a flood waits for the next poll, so that the sockets get their turn
                break;
            }
            int len = device.receive(rxBuffer, 0, now);
            if (len <= 0) {
                break;
            }
            frames++;
            rxChecksumTrusted = device.receivedChecksum() != ReceivedChecksum.UNKNOWN;
            receive(len);
        }
        if (device == null) {
            return Long.MAX_VALUE;
        }
        if (linkCameUp) {
            linkCameUp = false;
            for (int i = 0; i < sockets.capacity(); i++) {
                DrivenSocket socket = sockets.driver(i);
                if (socket != null) {
                    socket.linkUp(now);
                }
            }
        }
        long next = Long.MAX_VALUE;
        for (int i = 0; i < sockets.capacity(); i++) {
            DrivenSocket socket = sockets.driver(i);
            if (socket == null || egress.isHeld(i, socket)) {
                continue;
            }
            egress.sendsFor(i);
            socket.dispatch(context);
            egress.settleHold(i, socket);
        }
        egress.sendsFor(-1);
        for (int i = 0; i < sockets.capacity(); i++) {
            DrivenSocket socket = sockets.driver(i);
            if (socket != null) {
                next = Math.min(next, egress.isHeld(i, socket) ? egress.heldUntil(i) : socket.pollAt(now));
            }
        }
        if (pending) {
            next = now;
        }
        return Math.max(next, now);
    }

    // ---- announcements -------------------------------------------------------------------------

    /** Sends the pending gratuitous ARPs; returns false when the device refused one (retried next poll). */
    private boolean announce() {
        while (nextAnnouncement < routes.count()) {
            if (!egress.announce(routes.address(nextAnnouncement))) {
                return false;
            }
            stats.countArpAnnouncementSent();
            nextAnnouncement++;
        }
        return true;
    }

    // ---- receive ---------------------------------------------------------------------------------

    private void receive(int len) {
        stats.countFrameIn(len);
        if (len > rxBuffer.length) {
            // A device that claims more bytes than it may write: nothing to trust in the buffer.
            malformed(Malformed.BAD_LENGTH);
            return;
        }
        notifyObservers(FrameDirection.IN, rxBuffer, 0, len, now);
        Malformed m = rxEthernet.parse(rxFrame.wrap(rxBuffer, 0, len));
        if (m != null) {
            malformed(m);
            return;
        }
        long destination = rxEthernet.destination();
        if (destination != mac && destination != BROADCAST_MAC) {
            drop(IfaceDrop.NOT_FOR_US);
            return;
        }
        if (EthernetAddress.isMulticast(rxEthernet.source())) {
            drop(IfaceDrop.BAD_SOURCE);
            return;
        }
        switch (rxEthernet.etherType()) {
            case EtherType.ARP -> receiveArp();
            case EtherType.IPV4 -> receiveIpv4();
            default -> drop(IfaceDrop.UNKNOWN_ETHERTYPE);
        }
    }

    private void receiveArp() {
        Malformed m = rxArp.parse(rxArpPacket.wrap(rxBuffer, rxFrame.payloadOffset(), rxFrame.payloadLength()));
        if (m != null) {
            malformed(m);
            return;
        }
        long senderMac = rxArp.senderMac();
        int senderIp = rxArp.senderIp();
        int targetIp = rxArp.targetIp();
        if (senderMac == mac) {
            // Our own request or announcement, come back through a loopback device: nothing to learn.
            drop(IfaceDrop.NOT_FOR_US);
            return;
        }
        if (senderMac == 0 || EthernetAddress.isMulticast(senderMac) || routes.isOurs(senderIp)) {
            // Nobody else may claim our address (RFC 5227 §2.4 conflict), nor a group MAC as its own.
            drop(IfaceDrop.BAD_SOURCE);
            return;
        }
        // Only neighbours on our subnets are learned: nothing else is ever looked up. 0.0.0.0 is a
        // probe's sender (RFC 5227 §2.1.1), which has no address yet.
        boolean learnable = senderIp != 0 && routes.isOnLink(senderIp) && !routes.isBroadcast(senderIp);
        // RFC 826 "Packet Reception": if the sender is in the table, update its MAC (merge_flag)...
        boolean merged = learnable && arpCache.update(senderIp, senderMac, now);
        if (!routes.isOurs(targetIp)) {
            if (merged) {
                stats.countAccepted();
            } else {
                drop(IfaceDrop.NOT_FOR_US);
            }
            return;
        }
        // ... "Am I the target protocol address? Yes: if merge_flag is false, add the triplet".
        if (learnable && !merged) {
            arpCache.fill(senderIp, senderMac, now);
        }
        stats.countAccepted();
        if (rxArp.operation() == ArpPacket.REQUEST) {
            // "Swap hardware and protocol fields, putting the local hardware and protocol addresses in
            // the sender fields. Set the opcode to ares_op$REPLY. Send the packet to the (new) target
            // hardware address on the same hardware on which the request was received."
            if (egress.answerArp(targetIp, senderMac, senderIp)) {
                stats.countArpRequestAnswered();
            }
        }
    }

    private void receiveIpv4() {
        Malformed m = rxIp.parse(rxIpPacket.wrap(rxBuffer, rxFrame.payloadOffset(), rxFrame.payloadLength()),
                checksums.ipv4().verifyOnReceive());
        if (m == null) {
            m = checkOptions(rxBuffer, rxIpPacket.optionsOffset(), rxIpPacket.optionsLength());
        }
        if (m != null) {
            malformed(m);
            return;
        }
        int src = rxIp.src();
        int dst = rxIp.dst();
        boolean ipBroadcast = routes.isBroadcast(dst);
        if (!ipBroadcast && !routes.isOurs(dst)) {
            drop(IfaceDrop.NOT_FOR_US);
            return;
        }
        // RFC 1122 §3.2.1.3: a source that is a broadcast or multicast address is discarded; so is
        // one of ours, unless the frame also comes from our own MAC: then we sent it to ourselves and
        // a loopback device brought it back (route() sends packets to our addresses to our own MAC).
        // From any other station it is spoofed.
        if (routes.isBroadcast(src) || (src >>> 28) == 0xe
                || (routes.isOurs(src) && rxEthernet.source() != mac)) {
            drop(IfaceDrop.BAD_SOURCE);
            return;
        }
        // Traffic from a neighbour confirms it, so a busy peer's entry does not expire mid-transfer and
        // stall the sender behind a new ARP exchange (only from the MAC already cached).
        arpCache.confirm(src, rxEthernet.source(), now);
        if (rxIp.isFragment()) {
            drop(IfaceDrop.FRAGMENT); // not reassembled, as smoltcp 0.1.0
            return;
        }
        // RFC 1122 §3.2.2: no ICMP error about a datagram sent to a broadcast, at the IP or link layer
        boolean broadcast = ipBroadcast || rxEthernet.destination() == BROADCAST_MAC;
        switch (rxIp.protocol()) {
            case IpProtocol.ICMP -> receiveIcmp(broadcast);
            case IpProtocol.UDP -> receiveUdp(broadcast);
            case IpProtocol.TCP -> receiveTcp(broadcast);
            default -> drop(IfaceDrop.UNKNOWN_PROTOCOL);
        }
    }

    private void receiveIcmp(boolean broadcast) {
        Malformed m = rxIcmp.parse(rxIcmpPacket.wrap(rxBuffer, rxIpPacket.payloadOffset(), rxIp.payloadLength()),
                checksums.icmpv4().verifyOnReceive());
        if (m != null) {
            malformed(m);
            return;
        }
        if (rxIcmp.kind() == Icmpv4Repr.Kind.ECHO_REQUEST) {
            if (broadcast) {
                drop(IfaceDrop.BROADCAST); // RFC 1122 §3.2.2.6: a broadcast echo request MAY be ignored
                return;
            }
            if (rxIp.src() == 0) {
                drop(IfaceDrop.BAD_SOURCE); // no one to answer
                return;
            }
            stats.countAccepted();
            // RFC 792 echo reply: addresses swapped, type 0, the request's identifier, sequence and data
            txIcmp.echoReply(rxIcmp.id(), rxIcmp.seq(), rxIcmp.dataBuffer(), rxIcmp.dataOffset(), rxIcmp.dataLength());
            if (egress.answer(rxEthernet.source(), rxIp, txIcmp)) {
                stats.countIcmpEchoAnswered();
            }
            return;
        }
        for (int i = 0; i < sockets.capacity(); i++) {
            DrivenSocket socket = sockets.driver(i);
            if (socket != null) {
                egress.sendsFor(i);
                if (socket.processIcmp(context, rxIp, rxIcmp) != Delivery.DECLINED) {
                    egress.settleHold(i, socket);
                    egress.sendsFor(-1);
                    stats.countAccepted();
                    return;
                }
            }
        }
        egress.sendsFor(-1);
        drop(IfaceDrop.NO_SOCKET);
    }

    private void receiveUdp(boolean broadcast) {
        Malformed m = rxUdp.parse(rxUdpPacket.wrap(rxBuffer, rxIpPacket.payloadOffset(), rxIp.payloadLength()),
                rxIp.src(), rxIp.dst(), checksums.udp().verifyOnReceive() && !rxChecksumTrusted);
        if (m != null) {
            malformed(m);
            return;
        }
        for (int i = 0; i < sockets.capacity(); i++) {
            DrivenSocket socket = sockets.driver(i);
            if (socket != null) {
                egress.sendsFor(i);
                if (socket.processUdp(context, rxIp, rxUdp) != Delivery.DECLINED) {
                    egress.settleHold(i, socket);
                    egress.sendsFor(-1);
                    stats.countAccepted();
                    return;
                }
            }
        }
        egress.sendsFor(-1);
        drop(IfaceDrop.NO_SOCKET);
        // RFC 1122 §4.1.3.1: a datagram for a port nobody listens on SHOULD be answered with port
        // unreachable; §3.2.2: never one sent to a broadcast, nor one from an address that is no host.
        if (!broadcast && rxIp.src() != 0) {
            txIcmp.destinationUnreachable(Icmpv4Packet.PORT_UNREACHABLE, rxBuffer, rxIpPacket.offset(),
                    rxIpPacket.totalLength());
            if (egress.answer(rxEthernet.source(), rxIp, txIcmp)) {
                stats.countPortUnreachableSent();
            }
        }
    }

    private void receiveTcp(boolean broadcast) {
        Malformed m = rxTcp.parse(rxTcpPacket.wrap(rxBuffer, rxIpPacket.payloadOffset(), rxIp.payloadLength()),
                rxIp.src(), rxIp.dst(), checksums.tcp().verifyOnReceive() && !rxChecksumTrusted);
        if (m != null) {
            malformed(m);
            return;
        }
        if (broadcast) {
            drop(IfaceDrop.BROADCAST); // RFC 1122 §4.2.3.10: TCP to a broadcast is silently discarded
            return;
        }
        if (rxIp.src() == 0) {
            drop(IfaceDrop.BAD_SOURCE);
            return;
        }
        // RFC 9293 §3.10.7: the connection whose 4-tuple matches, in any slot, before any listener
        Delivery delivery = offerTcp(false);
        if (delivery == Delivery.DECLINED) {
            delivery = offerTcp(true);
        }
        if (delivery == Delivery.DROPPED) {
            drop(IfaceDrop.BACKLOG_FULL); // a listener with no room: the client retries, unanswered
            return;
        }
        if (delivery != Delivery.DECLINED) {
            stats.countAccepted();
            return;
        }
        drop(IfaceDrop.NO_SOCKET);
        int flags = rxTcp.flags();
        if ((flags & TcpFlags.RST) != 0) {
            return; // RFC 793 §3.4: "An incoming segment containing a RST is discarded"
        }
        // RFC 793 §3.4 Reset Generation, 1 (the connection does not exist): "If the incoming segment
        // has an ACK field, the reset takes its sequence number from the ACK field of the segment,
        // otherwise the reset has sequence number zero and the ACK field is set to the sum of the
        // sequence number and segment length of the incoming segment."
        txTcp.clear().srcPort(rxTcp.dstPort()).dstPort(rxTcp.srcPort());
        if ((flags & TcpFlags.ACK) != 0) {
            txTcp.seq(rxTcp.ack()).flags(TcpFlags.RST);
        } else {
            txTcp.seq(0).ack(rxTcp.seq() + rxTcp.segmentLength()).flags(TcpFlags.RST | TcpFlags.ACK);
        }
        if (egress.answer(rxEthernet.source(), rxIp, txTcp)) {
            stats.countRstSent();
        }
    }

    /**
     * Offers {@link #rxTcp} to the listening sockets or to the others, in slot order; returns what the
     * first that did not decline it did with it, {@link Delivery#DECLINED} when none took it.
     */
    private Delivery offerTcp(boolean listeners) {
        for (int i = 0; i < sockets.capacity(); i++) {
            DrivenSocket socket = sockets.driver(i);
            if (socket != null && socket.listensForTcp() == listeners) {
                egress.sendsFor(i);
                Delivery delivery = socket.processTcp(context, rxIp, rxTcp);
                if (delivery != Delivery.DECLINED) {
                    if (delivery == Delivery.TAKEN_ANSWER_NOW && !egress.isHeld(i, socket)) {
                        socket.dispatch(context); // the answer goes before the next frame is processed
                    }
                    egress.settleHold(i, socket);
                    egress.sendsFor(-1);
                    return delivery;
                }
            }
        }
        egress.sendsFor(-1);
        return Delivery.DECLINED;
    }

    /**
     * RFC 791 §3.1 options: each is End of Option List (0), No Operation (1), or type, length (at least
     * 2, covering type and length) and data, all inside the header. Options with a pointer octet
     * (record route, the source routes, timestamp) are at least 3 bytes long. Returns why not, or null.
     */
    private static Malformed checkOptions(byte[] buf, int off, int len) {
        int i = 0;
        while (i < len) {
            int type = buf[off + i] & 0xff;
            if (type == 0) {
                return null;
            }
            if (type == 1) {
                i++;
                continue;
            }
            if (i + 1 >= len) {
                return Malformed.BAD_OPTION;
            }
            int optionLength = buf[off + i + 1] & 0xff;
            boolean hasPointer = type == 7 || type == 68 || type == 131 || type == 137;
            if (optionLength < (hasPointer ? 3 : 2) || i + optionLength > len) {
                return Malformed.BAD_OPTION;
            }
            i += optionLength;
        }
        return null;
    }

    private void drop(IfaceDrop reason) {
        stats.countDrop(reason);
    }

    private void malformed(Malformed reason) {
        switch (reason) {
            case BAD_CHECKSUM -> stats.countDrop(IfaceDrop.BAD_CHECKSUM);
            case UNSUPPORTED -> stats.countDrop(IfaceDrop.UNSUPPORTED);
            default -> stats.countMalformed(reason);
        }
    }

    /** Shows a frame to every observer: the received ones from here, the sent ones from the egress. */
    private void notifyObservers(FrameDirection direction, byte[] buf, int off, int len, long nowMicros) {
        FrameObserver[] current = observers;
        for (FrameObserver observer : current) {
            observer.onFrame(direction, buf, off, len, nowMicros);
        }
    }

    /** What the sockets are polled with: the time of this poll, the sender, the ISN generator. */
    private final class Context implements PollContext {
        @Override
        public long nowMicros() {
            return now;
        }

        @Override
        public IpSender sender() {
            return egress;
        }

        @Override
        public InitialSequence initialSequence() {
            return config.initialSequence();
        }
    }
}
