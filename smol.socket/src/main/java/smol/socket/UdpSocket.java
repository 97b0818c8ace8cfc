package smol.socket;

import java.util.Objects;
import smol.socket.driver.Delivery;
import smol.socket.driver.DrivenSocket;
import smol.socket.driver.IpSender;
import smol.socket.driver.PollContext;
import smol.socket.driver.SendOutcome;
import smol.wire.IpEndpoint;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Repr;
import smol.wire.UdpPacket;
import smol.wire.UdpRepr;

/**
 * A UDP socket (RFC 768): bound to a local port, and optionally to one local address, it queues
 * datagrams to send in a transmit {@link PacketBuffer} and keeps datagrams received in a receive one.
 * Both are sized at creation; sending and receiving allocate nothing.
 *
 * <p>Not thread-safe: the interface calls {@link #processUdp} and {@link #dispatch} from its poll
 * loop; applications call the other methods under the socket set's lock (the runtime's).
 */
public final class UdpSocket extends Socket {
    /** The largest payload an IPv4 UDP datagram carries: 65535 − 20 (IPv4 header) − 8 (UDP header). */
    public static final int MAX_PAYLOAD = 65507;
    /** The TTL of datagrams sent, unless {@link #ttl(int)} changes it. */
    public static final int DEFAULT_TTL = 64;

    private final PacketBuffer rx;
    private final PacketBuffer tx;
    private final SocketCounters counters = new SocketCounters();
    private final Driver driver = new Driver();
    // Reused for every datagram dispatched: the interface copies what it needs during send.
    private final Ipv4Repr ipRepr = new Ipv4Repr();
    private final UdpRepr udpRepr = new UdpRepr();

    private int boundAddress;
    private int boundPort;
    private int ttl = DEFAULT_TTL;


    /**
     * Creates an unbound socket that receives into {@code rx} and sends from {@code tx}; the socket
     * owns both from now on.
     *
     * @throws IllegalArgumentException when a buffer is null or both are the same
     */
    public UdpSocket(PacketBuffer rx, PacketBuffer tx) {
        if (rx == null || tx == null) {
            throw new IllegalArgumentException("UDP socket needs a receive and a transmit buffer");
        }
        if (rx == tx) {
            throw new IllegalArgumentException("UDP socket needs two distinct buffers");
        }
        this.rx = rx;
        this.tx = tx;
    }

    /**
     * Creates an unbound socket with a receive buffer of {@code rxSlots} datagrams and
     * {@code rxBytes} payload bytes and a transmit buffer of {@code txSlots} and {@code txBytes}.
     *
     * @throws IllegalArgumentException when a count is below 1
     */
    public UdpSocket(int rxSlots, int rxBytes, int txSlots, int txBytes) {
        this(new PacketBuffer(rxSlots, rxBytes), new PacketBuffer(txSlots, txBytes));
    }

    /**
     * Binds to {@code port} on every address of the interface.
     *
     * @throws IllegalArgumentException when port is outside 1..65535
     * @throws IllegalStateException when the socket is already bound
     */
    public void bind(int port) {
        bind(0, port);
    }

    /**
     * Binds to {@code endpoint}: its port, and its address unless that is 0.0.0.0 (then every
     * address of the interface). Only datagrams to that address and port are received; datagrams
     * sent carry that address as source (0.0.0.0 lets the interface choose).
     *
     * @throws IllegalArgumentException when the endpoint is null or its port 0
     * @throws IllegalStateException when the socket is already bound
     */
    public void bind(IpEndpoint endpoint) {
        if (endpoint == null) {
            throw new IllegalArgumentException("cannot bind to a null endpoint");
        }
        bind(((Ipv4Address) endpoint.address()).bits(), endpoint.port());
    }

    /**
     * Binds to {@code port} on IPv4 {@code address} (0 for every address of the interface).
     *
     * @throws IllegalArgumentException when port is outside 1..65535
     * @throws IllegalStateException when the socket is already bound
     */
    public void bind(int address, int port) {
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("UDP port out of range 1..65535: " + port);
        }
        if (boundPort != 0) {
            throw new IllegalStateException("UDP socket is already bound to "
                    + Ipv4Address.toString(boundAddress) + ":" + boundPort);
        }
        boundAddress = address;
        boundPort = port;
    }

    /** Returns true when the socket is bound to a port. */
    public boolean isBound() {
        return boundPort != 0;
    }

    /** Returns the local endpoint (address 0.0.0.0 when bound to every address), or null when unbound. */
    public IpEndpoint endpoint() {
        return boundPort == 0 ? null : new IpEndpoint(Ipv4Address.of(boundAddress), boundPort);
    }

    /** Returns the bound local address as an int, 0 when bound to every address or unbound. */
    public int localAddress() {
        return boundAddress;
    }

    /** Returns the bound local port, 0 when unbound. */
    public int localPort() {
        return boundPort;
    }

    /** Returns the TTL of datagrams sent, 1..255. */
    public int ttl() {
        return ttl;
    }

    /**
     * Sets the TTL of datagrams sent from now on.
     *
     * @throws IllegalArgumentException when ttl is outside 1..255
     */
    public void ttl(int ttl) {
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("TTL out of range 1..255: " + ttl);
        }
        this.ttl = ttl;
    }

    /**
     * Unbinds the socket and forgets every datagram queued or received; counters stay. It may be
     * bound again.
     */
    public void close() {
        boundAddress = 0;
        boundPort = 0;
        rx.clear();
        tx.clear();
    }

    /** Returns true when the transmit buffer has a free slot (a datagram may still not fit its payload area). */
    public boolean canSend() {
        return !tx.isFull();
    }

    /** Returns true when a received datagram waits to be read. */
    public boolean canRecv() {
        return !rx.isEmpty();
    }

    /**
     * Queues a copy of {@code len} bytes of {@code buf} from {@code off} as one datagram to
     * {@code to}; it leaves on a later poll. Convenience form of {@link #send(int, int, byte[], int, int)}.
     *
     * @throws IllegalArgumentException when {@code to} is null
     * @throws IndexOutOfBoundsException when the range is outside {@code buf}
     */
    public SendResult send(IpEndpoint to, byte[] buf, int off, int len) {
        if (to == null) {
            throw new IllegalArgumentException("cannot send to a null endpoint");
        }
        return send(((Ipv4Address) to.address()).bits(), to.port(), buf, off, len);
    }

    /**
     * Queues a copy of {@code len} bytes of {@code buf} from {@code off} as one datagram to IPv4
     * {@code address} and {@code port}; it leaves on a later poll. Allocates nothing. Returns
     * {@link SendResult#OK}, or why nothing was queued, checked in this order: not bound, bad
     * destination (address 0 or port 0), payload too large (over {@link #MAX_PAYLOAD} or the
     * transmit payload area), buffer full.
     *
     * @throws IllegalArgumentException when port is outside 0..65535
     * @throws IndexOutOfBoundsException when the range is outside {@code buf}
     */
    public SendResult send(int address, int port, byte[] buf, int off, int len) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("UDP port out of range 0..65535: " + port);
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        if (boundPort == 0) {
            return SendResult.NOT_BOUND;
        }
        if (address == 0 || port == 0) {
            return SendResult.BAD_DESTINATION;
        }
        if (len > MAX_PAYLOAD || len > tx.payloadCapacity()) {
            return SendResult.PAYLOAD_TOO_LARGE;
        }
        return tx.enqueue(address, port, 0, buf, off, len) ? SendResult.OK : SendResult.BUFFER_FULL;
    }

    /**
     * Moves the oldest received datagram into {@code into}: its payload (truncated to the holder's
     * buffer, the rest discarded), its sender and the local address it was sent to. Returns 1 when a
     * datagram was received, 0 when none has arrived yet, -1 when no more will come (the socket is
     * closed, or was never bound) — the same meaning as {@link TcpSocket#recv}. Allocates nothing.
     *
     * @throws IllegalArgumentException when {@code into} is null
     */
    public int recv(UdpDatagram into) {
        if (into == null) {
            throw new IllegalArgumentException("recv needs a datagram holder");
        }
        if (rx.isEmpty()) {
            return boundPort == 0 ? -1 : 0;
        }
        byte[] dst = into.buffer();
        int sourceAddress = rx.peekAddress();
        int sourcePort = rx.peekPort();
        int localAddress = (int) rx.peekTag();
        int datagramLength = rx.peekLength();
        int length = rx.dequeue(dst, 0, dst.length);
        into.set(length, datagramLength, sourceAddress, sourcePort, localAddress);
        return 1;
    }

    /**
     * Returns this socket's statistics over its life, every binding included: datagrams and payload
     * bytes in and out, drops by reason.
     */
    public SocketCounters counters() {
        return counters;
    }

    /**
     * Takes datagrams to the bound port (and to the bound address, when bound to one); returns false
     * for any other, and always when unbound. A datagram taken is stored with its source, or dropped
     * and counted when the receive buffer is full ({@link SocketDrop#RX_BUFFER_FULL}) or its payload
     * area too small ({@link SocketDrop#PAYLOAD_TOO_LARGE}): it was still for this socket, so the
     * result is true and the interface sends no port unreachable.
     */
    private boolean receive(Ipv4Repr ip, UdpRepr udp) {
        if (boundPort == 0 || udp.dstPort() != boundPort) {
            return false;
        }
        if (boundAddress != 0 && ip.dst() != boundAddress) {
            return false;
        }
        int len = udp.payloadLength();
        if (len > rx.payloadCapacity()) {
            counters.dropped(SocketDrop.PAYLOAD_TOO_LARGE);
            return true;
        }
        int at = rx.reserve(ip.src(), udp.srcPort(), ip.dst(), len);
        if (at < 0) {
            counters.dropped(SocketDrop.RX_BUFFER_FULL);
            return true;
        }
        if (len > 0) {
            System.arraycopy(udp.payloadBuffer(), udp.payloadOffset(), rx.payloadStorage(), at, len);
        }
        counters.received(len);
        return true;
    }

    /**
     * Sends queued datagrams, oldest first, through {@code out}: source the bound address (0 lets the
     * interface choose), TTL {@link #ttl()}, the payload a slice of the transmit buffer. A datagram
     * refused for good ({@link SendOutcome#NO_ROUTE}, {@link SendOutcome#TOO_BIG}) is dropped and
     * counted ({@link SocketDrop#NO_ROUTE}, {@link SocketDrop#PAYLOAD_TOO_LARGE}) and the next one
     * tried; the first refused for now (a neighbour not resolved yet, a busy device, no device) stops
     * the dispatch and stays queued for a later poll.
     */
    private void transmit(IpSender out) {
        while (!tx.isEmpty()) {
            int len = tx.peekLength();
            ipRepr.src(boundAddress).dst(tx.peekAddress()).protocol(IpProtocol.UDP)
                    .payloadLength(UdpPacket.HEADER_LEN + len).ttl(ttl);
            udpRepr.srcPort(boundPort).dstPort(tx.peekPort()).payload(tx.payloadStorage(), tx.peekOffset(), len);
            switch (out.send(ipRepr, udpRepr)) {
                case SENT -> counters.sent(len);
                case NO_ROUTE -> counters.dropped(SocketDrop.NO_ROUTE);
                case TOO_BIG -> counters.dropped(SocketDrop.PAYLOAD_TOO_LARGE);
                default -> {
                    return; // NEIGHBOUR_PENDING, DEVICE_BUSY, NO_DEVICE: it may go later
                }
            }
            tx.remove();
        }
    }

    /** Returns {@code nowMicros} while datagrams wait to be sent, else {@link Long#MAX_VALUE}. */
    private long nextPoll(long nowMicros) {
        return tx.isEmpty() ? Long.MAX_VALUE : nowMicros;
    }

    @Override
    protected DrivenSocket driver() {
        return driver;
    }

    /** Its owner is gone: closes the socket. */
    @Override
    protected void ownerGone() {
        close();
    }

    /** The interface's side of this socket: datagrams in, datagrams out. */
    private final class Driver implements DrivenSocket {
        @Override
        public Delivery processUdp(PollContext context, Ipv4Repr ip, UdpRepr udp) {
            return receive(ip, udp) ? Delivery.TAKEN : Delivery.DECLINED;
        }

        @Override
        public void dispatch(PollContext context) {
            transmit(context.sender());
        }

        @Override
        public long pollAt(long nowMicros) {
            return nextPoll(nowMicros);
        }
    }

    // For snapshots (SocketSet#snapshot): packets queued and slots, each way.
    int rxQueued() {
        return rx.count();
    }

    int rxSlots() {
        return rx.slotCapacity();
    }

    int txQueued() {
        return tx.count();
    }

    int txSlots() {
        return tx.slotCapacity();
    }

    /** Returns {@code UDP 0.0.0.0:6969 rx=1/8 tx=0/8} (datagrams queued / slots), or {@code UDP unbound …}. */
    @Override
    public String toString() {
        return "UDP " + (boundPort == 0 ? "unbound" : Ipv4Address.toString(boundAddress) + ":" + boundPort)
                + " rx=" + rx.count() + "/" + rx.slotCapacity() + " tx=" + tx.count() + "/" + tx.slotCapacity();
    }
}
