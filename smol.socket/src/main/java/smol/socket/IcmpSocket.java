package smol.socket;

import java.util.Arrays;
import java.util.Objects;
import smol.socket.driver.Delivery;
import smol.socket.driver.DrivenSocket;
import smol.socket.driver.IpSender;
import smol.socket.driver.PollContext;
import smol.socket.driver.SendOutcome;
import smol.wire.Bytes;
import smol.wire.Icmpv4Packet;
import smol.wire.Icmpv4Repr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;

/**
 * An ICMP echo socket, what a ping command uses: bound to an echo identifier, it sends echo requests
 * (RFC 792 type 8) and receives the echo replies carrying that identifier, with their round-trip
 * time, and the destination unreachable messages quoting one of its requests. Echo requests to this
 * host are the interface's business, never this socket's.
 *
 * <p>Buffers are sized at creation; nothing is allocated per packet. The time a request was sent is
 * kept in a table of {@value #TIMING_SLOTS} entries indexed by sequence number modulo its size, so a
 * reply to a request more than {@value #TIMING_SLOTS} sequence numbers old has no round-trip time.
 * Not thread-safe: the interface calls {@link #processIcmp} and {@link #dispatch} from its poll loop;
 * applications call the other methods under the socket set's lock.
 */
public final class IcmpSocket extends Socket {
    /** The most echo data an IPv4 packet carries: 65535 − 20 (IPv4 header) − 8 (ICMP header). */
    public static final int MAX_DATA = 65507;
    /** The TTL of requests sent, unless {@link #ttl(int)} changes it. */
    public static final int DEFAULT_TTL = 64;
    /** How many recent requests' send times are remembered (sequence numbers modulo this). */
    public static final int TIMING_SLOTS = 256;

    private static final int NO_CODE = -1;
    // Offsets in an ICMP echo message (RFC 792): type, code, checksum, identifier, sequence number.
    private static final int ECHO_TYPE = 0;
    private static final int ECHO_IDENTIFIER = 4;
    private static final int ECHO_SEQUENCE = 6;

    private final PacketBuffer tx;
    // Received outcomes, a ring of parallel arrays: one object per socket, none per packet.
    private final int[] rxSource;
    private final int[] rxSeq;
    private final int[] rxSize;
    private final int[] rxTtl;
    private final long[] rxRtt;
    private final int[] rxCode;
    private int rxHead;
    private int rxCount;

    private final int[] sentSeq = new int[TIMING_SLOTS];
    private final long[] sentAt = new long[TIMING_SLOTS];

    private final SocketCounters counters = new SocketCounters();
    private final Driver driver = new Driver();
    private final Ipv4Repr ipRepr = new Ipv4Repr();
    private final Icmpv4Repr icmpRepr = new Icmpv4Repr();
    private final Ipv4Packet quoted = new Ipv4Packet();

    private int identifier = -1;
    private int ttl = DEFAULT_TTL;

    /**
     * Creates an unbound socket that keeps up to {@code rxSlots} received outcomes and queues up to
     * {@code txSlots} requests holding together up to {@code txDataBytes} bytes of echo data.
     *
     * @throws IllegalArgumentException when a count is below 1
     */
    public IcmpSocket(int rxSlots, int txSlots, int txDataBytes) {
        if (rxSlots < 1) {
            throw new IllegalArgumentException("ICMP socket needs at least 1 receive slot: " + rxSlots);
        }
        tx = new PacketBuffer(txSlots, txDataBytes);
        rxSource = new int[rxSlots];
        rxSeq = new int[rxSlots];
        rxSize = new int[rxSlots];
        rxTtl = new int[rxSlots];
        rxRtt = new long[rxSlots];
        rxCode = new int[rxSlots];
        Arrays.fill(sentSeq, -1);
    }

    /**
     * Binds to echo {@code identifier}: requests carry it, and only replies carrying it are taken.
     *
     * @throws IllegalArgumentException when identifier is outside 0..65535
     * @throws IllegalStateException when the socket is already bound
     */
    public void bind(int identifier) {
        if (identifier < 0 || identifier > 0xffff) {
            throw new IllegalArgumentException("echo identifier out of range 0..65535: " + identifier);
        }
        if (this.identifier >= 0) {
            throw new IllegalStateException("ICMP socket is already bound to identifier " + this.identifier);
        }
        this.identifier = identifier;
    }

    /** Returns true when the socket is bound to an identifier. */
    public boolean isBound() {
        return identifier >= 0;
    }

    /** Returns the bound echo identifier, or -1 when unbound. */
    public int identifier() {
        return identifier;
    }

    /** Returns the TTL of requests sent, 1..255. */
    public int ttl() {
        return ttl;
    }

    /**
     * Sets the TTL of requests sent from now on.
     *
     * @throws IllegalArgumentException when ttl is outside 1..255
     */
    public void ttl(int ttl) {
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("TTL out of range 1..255: " + ttl);
        }
        this.ttl = ttl;
    }

    /** Unbinds the socket and forgets queued requests, outcomes and send times; counters stay. */
    public void close() {
        identifier = -1;
        tx.clear();
        rxHead = 0;
        rxCount = 0;
        Arrays.fill(sentSeq, -1);
    }

    /** Returns true when the transmit queue has a free slot. */
    public boolean canSend() {
        return !tx.isFull();
    }

    /** Returns true when an outcome waits to be read with {@link #recv}. */
    public boolean canRecv() {
        return rxCount > 0;
    }

    /**
     * Queues an echo request to {@code dstAddr} with sequence number {@code seq} and
     * {@code dataLength} bytes of data 0x00, 0x01, 0x02, … (wrapping at 0xff); it leaves on a later
     * poll, and its round-trip time counts from then. Returns {@link SendResult#OK} or why nothing
     * was queued, checked in this order: not bound, bad destination (0.0.0.0), data too large (over
     * {@link #MAX_DATA} or the transmit data area), buffer full.
     *
     * @throws IllegalArgumentException when seq is outside 0..65535 or dataLength negative
     */
    public SendResult sendEcho(int dstAddr, int seq, int dataLength) {
        if (dataLength < 0) {
            throw new IllegalArgumentException("echo data length must not be negative: " + dataLength);
        }
        SendResult refused = refuse(dstAddr, seq, dataLength);
        if (refused != null) {
            return refused;
        }
        int at = tx.reserve(dstAddr, seq, 0, dataLength);
        if (at < 0) {
            return SendResult.BUFFER_FULL;
        }
        byte[] storage = tx.payloadStorage();
        for (int i = 0; i < dataLength; i++) {
            storage[at + i] = (byte) i;
        }
        return SendResult.OK;
    }

    /**
     * Queues an echo request to {@code dstAddr} with sequence number {@code seq} carrying a copy of
     * {@code len} bytes of {@code data} from {@code off}; otherwise as {@link #sendEcho(int, int, int)}.
     *
     * @throws IllegalArgumentException when seq is outside 0..65535
     * @throws IndexOutOfBoundsException when the range is outside {@code data}
     */
    public SendResult sendEcho(int dstAddr, int seq, byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        SendResult refused = refuse(dstAddr, seq, len);
        if (refused != null) {
            return refused;
        }
        return tx.enqueue(dstAddr, seq, 0, data, off, len) ? SendResult.OK : SendResult.BUFFER_FULL;
    }

    private SendResult refuse(int dstAddr, int seq, int len) {
        if (seq < 0 || seq > 0xffff) {
            throw new IllegalArgumentException("echo sequence number out of range 0..65535: " + seq);
        }
        if (identifier < 0) {
            return SendResult.NOT_BOUND;
        }
        if (dstAddr == 0) {
            return SendResult.BAD_DESTINATION;
        }
        if (len > MAX_DATA || len > tx.payloadCapacity()) {
            return SendResult.PAYLOAD_TOO_LARGE;
        }
        return null;
    }

    /**
     * Moves the oldest received outcome (a reply, or an error about a request) into {@code into}.
     * Returns 1 when one was received, 0 when none has arrived yet, -1 when no more will come (the
     * socket is closed, or was never bound) — the same meaning as {@link TcpSocket#recv}; {@code into}
     * is untouched unless 1. Allocates nothing.
     */
    public int recv(EchoReply into) {
        if (rxCount == 0) {
            return identifier < 0 ? -1 : 0;
        }
        int i = rxHead;
        into.set(rxSource[i], rxSeq[i], rxSize[i], rxTtl[i], rxRtt[i], rxCode[i]);
        rxHead = (rxHead + 1) % rxSource.length;
        rxCount--;
        return 1;
    }

    /**
     * Returns this socket's statistics over its life, every binding included: messages and data bytes
     * in and out, drops by reason.
     */
    public SocketCounters counters() {
        return counters;
    }

    /**
     * Takes echo replies carrying the bound identifier, and destination unreachable messages quoting
     * an echo request carrying it; returns false for anything else, and always when unbound. An
     * outcome taken is stored, or dropped and counted ({@link SocketDrop#RX_BUFFER_FULL}) when
     * {@code rxSlots} outcomes already wait; either way the result is true.
     */
    private boolean receive(long nowMicros, Ipv4Repr ip, Icmpv4Repr icmp) {
        if (identifier < 0) {
            return false;
        }
        if (icmp.kind() == Icmpv4Repr.Kind.ECHO_REPLY) {
            if (icmp.id() != identifier) {
                return false;
            }
            store(ip.src(), icmp.seq(), icmp.dataLength(), ip.ttl(), rtt(icmp.seq(), nowMicros), NO_CODE);
            return true;
        }
        if (icmp.kind() == Icmpv4Repr.Kind.DESTINATION_UNREACHABLE) {
            // RFC 792: the message quotes the request's IP header and its first 64 bits of data, which
            // for an echo request are type, code, checksum, identifier and sequence number.
            quoted.wrap(icmp.dataBuffer(), icmp.dataOffset(), icmp.dataLength());
            if (quoted.checkHeader() != null || quoted.protocol() != IpProtocol.ICMP
                    || icmp.dataLength() - quoted.headerLength() < Icmpv4Packet.HEADER_LEN) {
                return false;
            }
            byte[] buf = quoted.buffer();
            int echo = quoted.payloadOffset();
            if (Bytes.u8(buf, echo + ECHO_TYPE) != Icmpv4Packet.ECHO_REQUEST
                    || Bytes.u16(buf, echo + ECHO_IDENTIFIER) != identifier) {
                return false;
            }
            int seq = Bytes.u16(buf, echo + ECHO_SEQUENCE);
            int size = Math.max(0, quoted.payloadLength() - Icmpv4Packet.HEADER_LEN);
            store(ip.src(), seq, size, ip.ttl(), rtt(seq, nowMicros), icmp.code());
            return true;
        }
        return false;
    }

    private long rtt(int seq, long nowMicros) {
        int i = seq % TIMING_SLOTS;
        return sentSeq[i] == seq ? nowMicros - sentAt[i] : -1;
    }

    private void store(int source, int seq, int size, int ttl, long rtt, int code) {
        if (rxCount == rxSource.length) {
            counters.dropped(SocketDrop.RX_BUFFER_FULL);
            return;
        }
        int i = (rxHead + rxCount) % rxSource.length;
        rxSource[i] = source;
        rxSeq[i] = seq;
        rxSize[i] = size;
        rxTtl[i] = ttl;
        rxRtt[i] = rtt;
        rxCode[i] = code;
        rxCount++;
        counters.received(code == NO_CODE ? size : 0);
    }

    /**
     * Sends queued echo requests, oldest first, through {@code out} (source 0.0.0.0 for the interface
     * to choose, TTL {@link #ttl()}), noting {@code nowMicros} as each one's send time. A request
     * refused for good ({@link SendOutcome#NO_ROUTE}, {@link SendOutcome#TOO_BIG}) is dropped and
     * counted ({@link SocketDrop#NO_ROUTE}, {@link SocketDrop#PAYLOAD_TOO_LARGE}) and the next one
     * tried; the first refused for now (a neighbour not resolved yet, a busy device, no device) stops
     * the dispatch and stays queued for a later poll.
     */
    private void transmit(long nowMicros, IpSender out) {
        while (!tx.isEmpty()) {
            int seq = tx.peekPort();
            int len = tx.peekLength();
            ipRepr.src(0).dst(tx.peekAddress()).protocol(IpProtocol.ICMP)
                    .payloadLength(Icmpv4Packet.HEADER_LEN + len).ttl(ttl);
            icmpRepr.echoRequest(identifier, seq, tx.payloadStorage(), tx.peekOffset(), len);
            switch (out.send(ipRepr, icmpRepr)) {
                case SENT -> {
                    int i = seq % TIMING_SLOTS;
                    sentSeq[i] = seq;
                    sentAt[i] = nowMicros;
                    counters.sent(len);
                }
                case NO_ROUTE -> counters.dropped(SocketDrop.NO_ROUTE);
                case TOO_BIG -> counters.dropped(SocketDrop.PAYLOAD_TOO_LARGE);
                default -> {
                    return; // NEIGHBOUR_PENDING, DEVICE_BUSY, NO_DEVICE: it may go later
                }
            }
            tx.remove();
        }
    }

    /** Returns {@code nowMicros} while requests wait to be sent, else {@link Long#MAX_VALUE}. */
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

    /** The interface's side of this socket: replies and errors in, echo requests out. */
    private final class Driver implements DrivenSocket {
        @Override
        public Delivery processIcmp(PollContext context, Ipv4Repr ip, Icmpv4Repr icmp) {
            return receive(context.nowMicros(), ip, icmp) ? Delivery.TAKEN : Delivery.DECLINED;
        }

        @Override
        public void dispatch(PollContext context) {
            transmit(context.nowMicros(), context.sender());
        }

        @Override
        public long pollAt(long nowMicros) {
            return nextPoll(nowMicros);
        }
    }

    // For snapshots (SocketSet#snapshot): packets queued and slots, each way.
    int rxQueued() {
        return rxCount;
    }

    int rxSlots() {
        return rxSource.length;
    }

    int txQueued() {
        return tx.count();
    }

    int txSlots() {
        return tx.slotCapacity();
    }

    /** Returns {@code ICMP id=4660 rx=0/4 tx=1/4} (queued / slots), or {@code ICMP unbound …}. */
    @Override
    public String toString() {
        return "ICMP " + (identifier < 0 ? "unbound" : "id=" + identifier) + " rx=" + rxCount + "/"
                + rxSource.length + " tx=" + tx.count() + "/" + tx.slotCapacity();
    }
}
