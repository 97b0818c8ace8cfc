package smol.socket;

import smol.socket.driver.Delivery;
import smol.socket.driver.DrivenSocket;
import smol.socket.driver.IpSender;
import smol.socket.driver.PollContext;
import smol.socket.driver.SendOutcome;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Repr;
import smol.wire.TcpFlags;
import smol.wire.TcpRepr;

/**
 * A TCP connection endpoint (RFC 9293, RFC 793) with fixed receive and transmit rings: the whole
 * state machine, retransmission (RFC 6298) with fast retransmit (RFC 5681 §3.2), out-of-order
 * reassembly, and the flow control of the peer's window.
 *
 * <p>Opening: {@link #listen(int)} waits for one peer (as smoltcp: a listening socket that takes a
 * SYN becomes that connection; keep several listening sockets on a port to serve several peers, or
 * let a {@link TcpListener} keep a backlog of them and hand over each connection with
 * {@link TcpListener#accept}); {@link #connect} opens actively; both are allowed in CLOSED and in
 * TIME-WAIT. The application then moves bytes with {@link #send} and {@link #recv} and ends with
 * {@link #close} (FIN after the queued data; receiving goes on), {@link #shutdownInput} (it reads no
 * more) or {@link #abort} (RST). {@link #closeReason()} says why a connection ended.
 *
 * <p>Demultiplexing (RFC 9293 §3.10.7): a segment belongs to the socket whose 4-tuple it matches,
 * TIME-WAIT included; a listener ({@link DrivenSocket#listensForTcp()}) is offered only what no
 * connection took. The peer's MSS is taken as at least {@link #MIN_PEER_MSS} bytes.
 *
 * <p>Timestamps (RFC 7323): our SYN offers the option and a listener answers it when the SYN carried
 * it; once both SYNs had it, every segment but RST carries TSval (the caller's clock in milliseconds,
 * {@code nowMicros / 1000}) and TSecr = TS.Recent (§4.3), and every ACK of new data gives an RTT sample
 * from its TSecr (RTTM, §4.1; weighted per Appendix G), valid even for retransmitted segments, so a
 * lossy path still yields samples and a sample after timeouts ends their back-off. The option takes
 * 12 bytes of each segment's MSS (RFC 6691). PAWS (§5) is not done: no segment is dropped for an old
 * TSval, nor for lacking the option (a SHOULD of §3.2).
 *
 * <p>What it does not do (on purpose, for now): window scaling and SACK are never advertised, so by
 * RFC 7323 and RFC 2018 the peer uses neither; there is no congestion control
 * beyond the peer's window; no delayed ACK (every segment that needs an acknowledgement gets one at
 * the next dispatch, out-of-order data at once, RFC 5681 §4.2); the payload of a SYN is ignored (the
 * peer sends it again);
 * challenge ACKs (RFC 5961) are not rate-limited; no keep-alive. FIN-WAIT-2 lasts until the peer's
 * FIN or an RST while the application may still read, as on Linux; once it has closed both directions
 * ({@link #close} and {@link #shutdownInput}) it ends after {@link #finWait2Timeout()} (60 s by default).
 *
 * <p>Resets follow RFC 9293 §3.10.7 with RFC 5961 §3.2: an RST exactly at RCV.NXT ends the
 * connection (a passive open in SYN-RECEIVED returns to LISTEN, and so does a connection a
 * {@link TcpListener} holds for accept; an RST in TIME-WAIT closes it, the
 * RFC 1337 alternative is not taken), one elsewhere in the window gets a challenge ACK. A SYN in a
 * synchronized state, whatever its sequence number, gets a challenge ACK and is dropped (RFC 5961
 * §4.2), except in TIME-WAIT for a new incarnation (RFC 6191). An ACK below SND.UNA − MAX.SND.WND is
 * dropped with an ACK (RFC 5961 §5.2). A segment wholly before RCV.NXT (an old duplicate) is answered
 * with an ACK, after its acknowledgement field has been processed, as Linux and BSD do.
 *
 * <p>Losses: a timeout retransmits go-back-N from the oldest unacknowledged byte (RFC 6298: initial
 * timeout 1 s, at least 200 ms, doubling per retry up to 60 s, Karn's rule for samples without
 * timestamps); after {@link #retryLimit(int)} retransmissions without progress the connection ends
 * with {@link TcpCloseReason#TIMEOUT} (a passive open in SYN-RECEIVED returns to LISTEN instead). When
 * the SYN or SYN-ACK had to be retransmitted and no RTT sample came, data starts with a 3 s RTO
 * (RFC 6298 §5.7). Three
 * duplicate ACKs resend the first unacknowledged segment at once (RFC 5681 §3.2) and start NewReno
 * fast recovery (RFC 6582): each partial ACK (one that leaves data sent before the loss unacknowledged)
 * resends the next hole at once, until all data sent before the loss is acknowledged; so several
 * losses in one window cost about one round trip each, not a timeout. Two departures, both because
 * there is no congestion window to protect: three duplicates start recovery even below the recovery
 * point of an earlier timeout (RFC 6582 §3.2 step 2 checks it only to avoid a second window
 * reduction; here a spurious resend costs one segment, while the check would leave the losses of a
 * go-back-N to the timer), and duplicates within recovery inflate nothing. A lost resend is still
 * repaired by the timer (no SACK). The receiver keeps out-of-order data in its ring (up to
 * {@link Assembler#DEFAULT_CAPACITY} holes).
 *
 * <p>Zero window: when the peer advertises window 0 while data waits, the persist timer runs (RFC 9293
 * §3.8.6.1); at each expiry one byte beyond the window is sent as a probe. The persist timer starts at
 * the RTO and backs off on its own, doubling up to 60 s (RFC 1122 §4.2.2.17), leaving the RTO and the
 * count of retransmission timeouts alone. Answers that keep the window at 0 prove the peer alive and
 * reset the retry count, so a connection is never timed out by a peer that merely does not read. When
 * the window opens again, a probe byte the peer did not take goes again at once from SND.UNA with what
 * follows it.
 *
 * <p>Silly windows (RFC 1122 §4.2.3.3 and §4.2.3.4): the right edge of the window we offer moves only
 * by at least min(half the receive ring, the MSS), and never back; new data goes only when a full
 * segment fits, or all that is queued, or half the largest window the peer offered, or after
 * {@link #SWS_OVERRIDE_MICROS} of waiting.
 *
 * <p>Refused sends and the device's MTU: each dispatch sizes segments for the MTU of the device in
 * use then ({@link IpSender#mtu()}, {@link #mss()}), so a device swapped for one with a smaller MTU
 * shrinks the segments of a live connection, its retransmissions included. A segment the interface
 * refuses counts by the reason ({@link SendOutcome}): refused because the neighbour does not answer
 * ARP, because there is no route, or as too big, it is lost for the retransmission timer, whose
 * expiries count tries, so a peer that vanished ends in {@link TcpCloseReason#TIMEOUT} (a passive open
 * in SYN-RECEIVED listens again); refused by a busy device or for want of one, it counts no try, the
 * timers are left alone and it goes when the socket is dispatched again. A retransmission that fell
 * due while no device was attached goes at once when the link is up again
 * ({@link DrivenSocket#linkUp}), without a try or a back-off.
 *
 * <p>Memory: the rings, the reassembly ranges, and the reprs and scratch array used for sending are
 * created with the socket; processing and sending segments allocate nothing. Not thread-safe:
 * driven by the interface's poll loop or under the socket set's lock.
 */
public final class TcpSocket extends Socket {
    /** Initial retransmission timeout, 1 s (RFC 6298 §2.1). */
    public static final long INITIAL_RTO_MICROS = 1_000_000L;
    /** Lower bound of the retransmission timeout, 200 ms (Linux's; RFC 6298 §2.4 recommends 1 s, a SHOULD). */
    public static final long MIN_RTO_MICROS = 200_000L;
    /** Upper bound of the retransmission timeout, 60 s (RFC 6298 §2.5). */
    public static final long MAX_RTO_MICROS = 60_000_000L;
    /** How many times a window update that reopened our window is repeated while the peer stays silent. */
    public static final int WINDOW_UPDATE_REPEATS = 2;
    /** Default retransmissions of one segment before the connection times out. */
    public static final int DEFAULT_RETRY_LIMIT = 12;
    /** Default TIME-WAIT duration, 10 s. */
    public static final long DEFAULT_TIME_WAIT_MICROS = 10_000_000L;
    /** The MSS assumed when the peer sends no MSS option (RFC 9293 §3.7.1). */
    public static final int DEFAULT_MSS = 536;
    /**
     * The smallest MSS taken from a peer, 48 bytes (Linux's and smoltcp's floor): a smaller option is
     * raised to it, so that no peer can make us send a segment per byte (CVE-2019-11479).
     */
    public static final int MIN_PEER_MSS = 48;
    /** Default FIN-WAIT-2 timeout once the application reads no more, 60 s (Linux's tcp_fin_timeout). */
    public static final long DEFAULT_FIN_WAIT_2_MICROS = 60_000_000L;
    /**
     * How long new data may wait for the window to open far enough to avoid a silly window before it
     * goes anyway, 200 ms (RFC 1122 §4.2.3.4's override timeout, 0.1 to 1 s).
     */
    public static final long SWS_OVERRIDE_MICROS = 200_000L;
    /** The RTO when data begins after a retransmitted SYN or SYN-ACK and no RTT sample, 3 s (RFC 6298 §5.7). */
    public static final long SYN_FALLBACK_RTO_MICROS = 3_000_000L;

    private static final int MAX_WINDOW = 0xffff; // no window scaling: the window field is 16 bits
    private static final int TTL = 64;
    private static final long CLOCK_GRANULARITY_MICROS = 1_000L; // G of RFC 6298 §2
    private static final int DUP_ACK_THRESHOLD = 3; // RFC 5681 §3.2
    private static final int TIMESTAMPS_OPTION_LENGTH = 12; // RFC 7323 §3: kind, length, TSval, TSecr, 2 NOPs
    private static final long TIMESTAMP_TICK_MICROS = 1_000L; // RFC 7323 §5.4: a 1 ms clock

    private final RingBuffer rx;
    private final RingBuffer tx;
    private final Assembler assembler = new Assembler();
    private final Driver driver = new Driver();
    private final SocketCounters lifeCounters = new SocketCounters();
    // counts the current connection and, through it, the socket's life
    private final SocketCounters counters = new SocketCounters(lifeCounters);
    private final Ipv4Repr ipOut = new Ipv4Repr();
    private final TcpRepr tcpOut = new TcpRepr();
    private byte[] scratch = new byte[0];

    private int retryLimit = DEFAULT_RETRY_LIMIT;
    private long timeWaitMicros = DEFAULT_TIME_WAIT_MICROS;
    private long finWait2Micros = DEFAULT_FIN_WAIT_2_MICROS;

    private TcpState state = TcpState.CLOSED;
    private TcpCloseReason closeReason = TcpCloseReason.NONE;
    private boolean passiveOpen;
    private int listenAddress;
    private int localAddress;
    private int localPort;
    private int remoteAddress;
    private int remotePort;

    // RFC 9293 §3.3.1 send sequence variables; sendMax is the highest sequence number sent (after a
    // go-back-N retransmission sendNext restarts at sendUnacked and climbs back to it)
    private int iss;
    private int sendUnacked;
    private int sendNext;
    private int sendMax;
    private int sendWindow;
    private int maxSendWindow; // MAX.SND.WND of RFC 5961 §5.2: the largest window the peer offered
    private int sendWl1;
    private int sendWl2;
    // receive sequence variables
    private int irs;
    private int recvNext;

    private int localMss;
    private int remoteMss = DEFAULT_MSS;
    private boolean issPending; // connect(): the ISS is chosen when the SYN first goes out
    private boolean answerNow; // the segment being processed calls for an answer at once
    // the RST answering an unacceptable segment (RFC 9293 §3.10.7.1), built when the segment arrives
    // (its reprs reused, as ipOut and tcpOut) and sent by the dispatch the interface makes at once
    private boolean answerResetPending;
    private final Ipv4Repr answerResetIp = new Ipv4Repr();
    private final TcpRepr answerResetTcp = new TcpRepr();
    private boolean closeRequested; // close() in SYN-RECEIVED: FIN once established
    private boolean inputShutdown; // shutdownInput(): the application reads no more
    private long finWait2Deadline = Long.MAX_VALUE;
    private boolean finAcked; // our FIN is acknowledged
    private boolean ackPending;
    private boolean resetPending; // abort(): RST to send with resetSeq
    private int resetSeq;
    private int lastAckSent;
    private int lastWindowSent;
    private boolean windowAdvertised; // lastAckSent and lastWindowSent hold our last offer
    // The window update that reopened a closed window, repeated while the peer stays silent (see repeatWindowUpdate)
    private long windowRepeatDeadline = Long.MAX_VALUE;
    private long windowRepeatInterval;
    private int windowRepeatsLeft;

    // RFC 6298 state, microseconds
    private final RttEstimator rtt =
            new RttEstimator(INITIAL_RTO_MICROS, MIN_RTO_MICROS, MAX_RTO_MICROS, CLOCK_GRANULARITY_MICROS);
    private long retransmitDeadline = Long.MAX_VALUE;
    private int retries;
    private boolean rttTiming;
    private int rttSeq;
    private long rttStart;
    private boolean windowProbe;
    // RFC 9293 §3.8.6.1 persist timer: its own back-off (0: start from the RTO), and whether the byte
    // in flight is a probe sent into a zero window
    private long persistInterval;
    private boolean probeOutstanding;
    // RFC 1122 §4.2.3.4: when new data waiting for a usable window goes anyway
    private long sillyWindowDeadline = Long.MAX_VALUE;
    private int duplicateAcks;
    private boolean fastRetransmitPending;
    // RFC 6582 NewReno: in fast recovery until SND.UNA reaches recoverPoint (one past the highest
    // sequence number sent when it began, "recover" + 1 in the RFC's terms)
    private boolean inRecovery;
    private int recoverPoint;
    private long timeWaitDeadline = Long.MAX_VALUE;
    // RFC 7323 timestamps: negotiated in the SYN exchange; TS.Recent is the peer's TSval we echo
    private boolean timestamps;
    private int tsRecent;
    private long retransmitTimeouts; // over the socket's life, for diagnostics
    private long fastRetransmits;
    private long windowUpdatesRepeated;
    // Sends the interface refused (see SendOutcome and dispatch). A timer expiry's try is counted once
    // its retransmission left or the path refused it (tryPending), not while a busy device or a missing
    // one keeps it; void when SND.UNA moved meanwhile (trySendUnacked), as then nothing was resent.
    private boolean tryPending;
    private boolean tryIsProbe;
    private int trySendUnacked;
    // a segment refused for the path never left: an expiry with nothing in flight retransmits it (and
    // counts), it is not the persist timer of a zero window
    private boolean refusedUnsent;
    // the RST of abort() waited once for the neighbour's MAC: the next refusal gives it up
    private boolean resetRefusedOnce;
    // the MSS the device's MTU allows now (MTU − 40), read at every dispatch; 0 before any
    private int pathMss;
    // the listener whose backlog this socket serves, and its place there, until accept hands it over;
    // null for a socket of the application's own
    TcpListener listener;
    int reserveIndex;

    /**
     * Creates a closed socket with a receive ring of {@code rxCapacity} and a transmit ring of
     * {@code txCapacity} bytes. The receive window advertised is the free receive space, at most 65535
     * bytes. Everything else a connection needs (the time, the MTU, the ISN generator) comes from the
     * interface that polls the socket.
     *
     * @throws IllegalArgumentException when a capacity is below 1
     */
    public TcpSocket(int rxCapacity, int txCapacity) {
        this.rx = new RingBuffer(rxCapacity);
        this.tx = new RingBuffer(txCapacity);
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Sets how many times one segment is retransmitted on timeout before the connection ends with
     * {@link TcpCloseReason#TIMEOUT}; returns this.
     *
     * @throws IllegalArgumentException when below 0
     */
    public TcpSocket retryLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("retry limit must be at least 0: " + limit);
        }
        this.retryLimit = limit;
        return this;
    }

    /** Returns the retry limit. */
    public int retryLimit() {
        return retryLimit;
    }

    /**
     * Sets how long TIME-WAIT lasts, in microseconds (0 ends it at the next dispatch); returns this.
     *
     * @throws IllegalArgumentException when negative
     */
    public TcpSocket timeWait(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("TIME-WAIT duration must be at least 0: " + micros);
        }
        this.timeWaitMicros = micros;
        return this;
    }

    /** Returns the TIME-WAIT duration in microseconds. */
    public long timeWait() {
        return timeWaitMicros;
    }

    /**
     * Sets how long FIN-WAIT-2 may last once the application has closed both directions ({@link #close}
     * and {@link #shutdownInput}), in microseconds; then the connection ends with
     * {@link TcpCloseReason#TIMEOUT}, without a segment, as Linux's {@code tcp_fin_timeout}. Returns this.
     *
     * @throws IllegalArgumentException when negative
     */
    public TcpSocket finWait2Timeout(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("FIN-WAIT-2 timeout must be at least 0: " + micros);
        }
        this.finWait2Micros = micros;
        return this;
    }

    /** Returns the FIN-WAIT-2 timeout in microseconds. */
    public long finWait2Timeout() {
        return finWait2Micros;
    }

    // ---------------------------------------------------------------- opening and closing

    /**
     * Waits for a connection to {@code port} on any local address (passive open).
     *
     * @throws IllegalArgumentException when port is not 1..65535
     * @throws IllegalStateException when the socket is neither CLOSED nor in TIME-WAIT
     */
    public void listen(int port) {
        listen(new IpEndpoint(Ipv4Address.UNSPECIFIED, port));
    }

    /**
     * Waits for a connection to {@code local} (passive open); an unspecified address (0.0.0.0) takes
     * a SYN to any local address. The first SYN from any remote makes this socket that connection.
     * A socket in TIME-WAIT leaves it (as in smoltcp, so that {@code if (!s.isOpen()) s.listen(port)}
     * serves the next peer).
     *
     * @throws IllegalArgumentException when the port is 0
     * @throws IllegalStateException when the socket is neither CLOSED nor in TIME-WAIT
     */
    public void listen(IpEndpoint local) {
        requireReopenable("listen");
        if (local.port() == 0) {
            throw new IllegalArgumentException("listen needs a local port, not 0");
        }
        reset();
        listenAddress = ((Ipv4Address) local.address()).bits();
        localAddress = listenAddress;
        localPort = local.port();
        passiveOpen = true;
        state = TcpState.LISTEN; // RFC 9293 §3.10.1 OPEN call, passive
    }

    /**
     * Opens a connection to {@code remote} from {@code local} (active open): the SYN goes out at the
     * next poll. The local port is required; an unspecified local address (0.0.0.0)
     * lets the interface choose the source address, and the socket then adopts the address the peer
     * answers to. The ISN comes from the interface's generator (RFC 6528), for this 4-tuple, when the
     * SYN first goes out. A socket in TIME-WAIT leaves it.
     *
     * @throws IllegalArgumentException when a port is 0 or the remote address is not unicast
     * @throws IllegalStateException when the socket is neither CLOSED nor in TIME-WAIT
     */
    public void connect(IpEndpoint remote, IpEndpoint local) {
        requireReopenable("connect");
        if (remote.port() == 0 || local.port() == 0) {
            throw new IllegalArgumentException("connect needs both ports, got remote " + remote + " local " + local);
        }
        if (!remote.address().isUnicast()) {
            throw new IllegalArgumentException("connect needs a unicast remote address: " + remote);
        }
        reset();
        localAddress = ((Ipv4Address) local.address()).bits();
        localPort = local.port();
        remoteAddress = ((Ipv4Address) remote.address()).bits();
        remotePort = remote.port();
        passiveOpen = false;
        // RFC 9293 §3.10.1 OPEN call, active: select an ISS (at the next poll, from the interface's
        // generator), send SYN, enter SYN-SENT
        issPending = true;
        state = TcpState.SYN_SENT;
    }

    /** Selects the ISS of an active open from the interface's generator, once (RFC 9293 §3.10.1). */
    private void chooseIss(PollContext context) {
        if (!issPending) {
            return;
        }
        issPending = false;
        iss = context.initialSequence().next(localAddress, localPort, remoteAddress, remotePort,
                context.nowMicros());
        sendUnacked = iss;
        sendNext = iss;
        sendMax = iss;
        recoverPoint = iss; // RFC 6582 §3.2 step 1
    }

    /**
     * Closes our direction gracefully: a FIN follows the data already queued. Receiving goes on
     * until the peer's FIN (half close). In LISTEN or SYN-SENT the socket just becomes CLOSED; after
     * close has been called, calling it again does nothing (RFC 9293 §3.10.4 CLOSE call).
     */
    public void close() {
        switch (state) {
            case LISTEN, SYN_SENT -> {
                // RFC 9293 §3.10.4: delete the TCB, enter CLOSED
                reset();
                state = TcpState.CLOSED;
            }
            // queue the FIN until the handshake completes
            case SYN_RECEIVED -> closeRequested = true;
            case ESTABLISHED -> state = TcpState.FIN_WAIT_1;
            case CLOSE_WAIT -> state = TcpState.LAST_ACK;
            default -> {
                // already closing or closed
            }
        }
    }

    /**
     * Ends the connection at once: queued data is discarded, an RST goes to the peer at the next
     * poll when the connection was synchronized, and the socket is CLOSED with reason
     * {@link TcpCloseReason#ABORTED} (RFC 9293 §3.10.5 ABORT call). Does nothing when CLOSED.
     */
    public void abort() {
        switch (state) {
            case CLOSED -> {
                return;
            }
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> {
                resetPending = true;
                resetSeq = sendNext;
            }
            default -> {
                // LISTEN, SYN-SENT: nothing to tell; CLOSING, LAST-ACK, TIME-WAIT: RFC 9293 just closes
            }
        }
        enterClosed(TcpCloseReason.ABORTED);
    }

    /**
     * The interface gives up {@code address}: a connection that uses it ends as an abort would
     * (RFC 9293 §3.10.5: an RST when synchronized), with reason {@link TcpCloseReason#ADDRESS_REMOVED}.
     * A listener on that address keeps listening (the address may come back). Returns true when an RST
     * is to go.
     */
    private boolean addressRemoved(int address) {
        if (localAddress != address || address == 0 || !isActive()) {
            return false;
        }
        abort();
        closeReason = TcpCloseReason.ADDRESS_REMOVED;
        return resetPending;
    }

    /**
     * Says that the application reads no more from this connection: what waits in the receive ring is
     * discarded, what arrives later is acknowledged and discarded, and {@link #recv} returns -1. With
     * {@link #close} as well (both directions closed), FIN-WAIT-2 ends after {@link #finWait2Timeout}
     * rather than waiting for the peer's FIN forever. Applies to the current connection; listening or
     * connecting again reads again.
     */
    public void shutdownInput() {
        inputShutdown = true;
        rx.skip(rx.length());
    }

    // ---------------------------------------------------------------- application data

    /**
     * Queues up to {@code len} bytes of {@code src} from {@code off} for sending; returns how many
     * were queued, 0 when the transmit ring is full. Data queued before the handshake completes goes
     * out once it does.
     *
     * @throws IllegalStateException naming the state when it cannot send (after close, or never opened)
     */
    public int send(byte[] src, int off, int len) {
        switch (state) {
            case SYN_SENT, SYN_RECEIVED, ESTABLISHED, CLOSE_WAIT -> {
                if (closeRequested) {
                    throw new IllegalStateException("cannot send after close in state " + state);
                }
                return tx.write(src, off, len);
            }
            default -> throw new IllegalStateException("cannot send in state " + state);
        }
    }

    /**
     * Reads up to {@code len} received bytes into {@code dst} from {@code off}; returns how many, 0
     * when nothing has arrived yet, -1 at the end of the stream: the peer's FIN arrived and every
     * byte before it was read, the connection ended (see {@link #closeReason()}), or the application
     * called {@link #shutdownInput}.
     */
    public int recv(byte[] dst, int off, int len) {
        if (inputShutdown) {
            return -1;
        }
        if (!rx.isEmpty()) {
            return rx.read(dst, off, len);
        }
        return switch (state) {
            case LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> 0;
            default -> -1;
        };
    }

    /** Returns true when {@link #send} would queue at least one byte. */
    public boolean canSend() {
        return maySend() && tx.free() > 0;
    }

    /** Returns true when {@link #recv} would return at least one byte. */
    public boolean canRecv() {
        return !rx.isEmpty();
    }

    /** Returns true when the connection may still send: ESTABLISHED or CLOSE-WAIT, and not closed by us. */
    public boolean maySend() {
        return (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT) && !closeRequested;
    }

    /** Returns true when more data may still arrive: ESTABLISHED, FIN-WAIT-1 or FIN-WAIT-2. */
    public boolean mayRecv() {
        return state == TcpState.ESTABLISHED || state == TcpState.FIN_WAIT_1 || state == TcpState.FIN_WAIT_2;
    }

    /** Returns true unless CLOSED or TIME-WAIT: the socket is in use and cannot be opened again. */
    public boolean isOpen() {
        return state != TcpState.CLOSED && state != TcpState.TIME_WAIT;
    }

    /** Returns true when a connection with a peer exists: neither CLOSED, LISTEN nor TIME-WAIT. */
    public boolean isActive() {
        return state != TcpState.CLOSED && state != TcpState.LISTEN && state != TcpState.TIME_WAIT;
    }

    /** Returns the state. */
    public TcpState state() {
        return state;
    }

    /** Returns why the last connection ended, {@link TcpCloseReason#NONE} while it lives. */
    public TcpCloseReason closeReason() {
        return closeReason;
    }

    /** Returns the local endpoint (address 0.0.0.0 while not yet known), or null when never opened. */
    public IpEndpoint localEndpoint() {
        return localPort == 0 ? null : new IpEndpoint(Ipv4Address.of(localAddress), localPort);
    }

    /** Returns the remote endpoint, or null when there is none (CLOSED before any, or LISTEN). */
    public IpEndpoint remoteEndpoint() {
        return remotePort == 0 ? null : new IpEndpoint(Ipv4Address.of(remoteAddress), remotePort);
    }

    /**
     * Returns this socket's counters over its whole life, every connection it had included (segments,
     * payload bytes, retransmissions, drops).
     */
    public SocketCounters counters() {
        return lifeCounters;
    }

    /**
     * Returns the counters of the current (or last) connection alone: set to zero by {@link #listen}
     * and {@link #connect}.
     */
    public SocketCounters connectionCounters() {
        return counters;
    }

    /** Returns the bytes waiting to be read. */
    public int recvQueue() {
        return rx.length();
    }

    /** Returns the bytes queued for sending and not yet acknowledged. */
    public int sendQueue() {
        return tx.length();
    }

    /** Returns the size of the receive ring in bytes; constant. */
    public int recvCapacity() {
        return rx.capacity();
    }

    /** Returns the size of the transmit ring in bytes; constant. */
    public int sendCapacity() {
        return tx.capacity();
    }

    /** Returns the current retransmission timeout in microseconds (RFC 6298 RTO). */
    public long retransmitTimeout() {
        return rtt.retransmitTimeout();
    }

    /**
     * Returns how many times the retransmission timer expired with data, SYN or FIN in flight, over
     * the socket's life (persist-timer expiries against a zero window are not counted).
     */
    public long retransmitTimeouts() {
        return retransmitTimeouts;
    }

    /**
     * Returns how many segments were resent without waiting for the timer, over the socket's life:
     * on the third duplicate ACK (RFC 5681 §3.2) and on partial ACKs during recovery (RFC 6582).
     */
    public long fastRetransmits() {
        return fastRetransmits;
    }

    /** Returns how many window updates were repeated because the peer stayed silent after our window reopened. */
    public long windowUpdatesRepeated() {
        return windowUpdatesRepeated;
    }

    /** Returns the smoothed round-trip time in microseconds (RFC 6298 SRTT), 0 before any sample. */
    public long smoothedRtt() {
        return rtt.smoothedRtt();
    }

    /**
     * Returns the MSS used for sending: min(the MTU of the device at the last dispatch − 40, the
     * peer's MSS); meaningful once a SYN was exchanged. It follows the MTU: a device swapped for one
     * with a smaller MTU shrinks the segments sent from then on, retransmissions included. Like the
     * MSS option it excludes TCP options (RFC 6691 §2): with timestamps each segment carries 12 bytes
     * fewer of data, so that no frame exceeds the MTU.
     */
    public int mss() {
        int path = pathMss != 0 ? pathMss : localMss != 0 ? localMss : DEFAULT_MSS;
        return Math.min(path, remoteMss);
    }

    /** Returns true when the connection uses the RFC 7323 timestamps option (both SYNs carried it). */
    public boolean timestamps() {
        return timestamps;
    }

    /** The data bytes in a full segment: the MSS less the options every segment carries (RFC 6691 §2). */
    private int segmentPayload() {
        return Math.max(1, mss() - (timestamps ? TIMESTAMPS_OPTION_LENGTH : 0));
    }

    /**
     * RFC 7323 §5.4: TSval is a 1 ms clock, here the caller's clock in milliseconds (monotonic as that
     * is; wrapping after 2^32 ms). The randomized offset of §7.1 is not added: the clock is the
     * caller's, not the host's uptime.
     */
    private static int timestampNow(long nowMicros) {
        return (int) (nowMicros / TIMESTAMP_TICK_MICROS);
    }

    /** Returns the peer's last advertised window in bytes. */
    public int sendWindow() {
        return sendWindow;
    }

    /** Returns the initial send sequence number of the connection (ISS). */
    public int initialSendSequence() {
        return iss;
    }

    // ---------------------------------------------------------------- segments in

    /**
     * Takes a segment of this connection and follows RFC 9293 §3.10.7 SEGMENT ARRIVES. Declines,
     * untouched, segments that are not ours: any segment while CLOSED; in LISTEN anything but a SYN
     * (without ACK or RST) to the local port (and address, when one was given); otherwise anything
     * outside the 4-tuple. The segment's payload is copied into the receive ring before returning.
     * Answers that the RFC sends at once (RST for a bad ACK, the immediate ACK of out-of-order data)
     * are returned as {@link Delivery#TAKEN_ANSWER_NOW}, for the dispatch the interface makes at once;
     * other acknowledgements wait for the next poll.
     *
     * <p>In TIME-WAIT, a SYN that starts a new incarnation of the connection (RFC 6191: a newer
     * timestamp when both used them, else a sequence number beyond RCV.NXT) ends TIME-WAIT and is
     * declined, so that a listener can take it; any other SYN there gets an ACK.
     */
    private Delivery receive(PollContext context, Ipv4Repr ip, TcpRepr tcp) {
        if (!accepts(ip, tcp)) {
            // a connection request for a listener whose backlog is full: dropped, unanswered
            return listener != null && listener.dropsWhileFull(this, ip, tcp) ? Delivery.DROPPED : Delivery.DECLINED;
        }
        if (state == TcpState.TIME_WAIT && startsNewIncarnation(tcp)) {
            // RFC 9293 §3.10.7.4 and RFC 6191: the old connection's TIME-WAIT ends and the SYN is left,
            // untouched, to a listener (the interface offers it to one next), as Linux does
            enterClosed(TcpCloseReason.GRACEFUL);
            return Delivery.DECLINED;
        }
        chooseIss(context); // a segment before our first SYN left (a crossing SYN)
        long nowMicros = context.nowMicros();
        answerNow = false;
        counters.received(tcp.payloadLength());
        switch (state) {
            case LISTEN -> processListen(context, ip, tcp);
            case SYN_SENT -> processSynSent(nowMicros, ip, tcp, context.sender());
            default -> processSynchronized(nowMicros, ip, tcp);
        }
        armRetransmitTimer(nowMicros);
        return answerNow ? Delivery.TAKEN_ANSWER_NOW : Delivery.TAKEN;
    }

    /**
     * RFC 6191 §2: a plain SYN for the 4-tuple of a connection in TIME-WAIT starts a new one when its
     * TSval is newer than TS.Recent (when the old connection used timestamps and the SYN carries
     * them), else when its sequence number lies beyond RCV.NXT.
     */
    private boolean startsNewIncarnation(TcpRepr tcp) {
        if (!isConnectionRequest(tcp)) {
            return false;
        }
        if (timestamps && tcp.hasTimestamps()) {
            return tcp.tsVal() - tsRecent > 0;
        }
        return TcpSeq.greaterThan(tcp.seq(), recvNext);
    }

    /**
     * Which segments belong here: in LISTEN only a SYN without ACK or RST to our port (so that a
     * listener never steals another connection's segments; the interface answers the rest with RST);
     * otherwise exactly our 4-tuple.
     */
    private boolean accepts(Ipv4Repr ip, TcpRepr tcp) {
        if (state == TcpState.CLOSED || tcp.dstPort() != localPort) {
            return false;
        }
        if (localAddress != 0 && ip.dst() != localAddress) {
            return false;
        }
        if (state == TcpState.LISTEN) {
            return isConnectionRequest(tcp);
        }
        return ip.src() == remoteAddress && tcp.srcPort() == remotePort;
    }

    /** True for a plain SYN, without ACK or RST: what asks a listener for a new connection. */
    static boolean isConnectionRequest(TcpRepr tcp) {
        return (tcp.flags() & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) == TcpFlags.SYN;
    }

    // RFC 9293 §3.10.7.2 SEGMENT ARRIVES, if the state is LISTEN (only a plain SYN gets here)
    private void processListen(PollContext context, Ipv4Repr ip, TcpRepr tcp) {
        // first: check for RST, second: ACK — filtered out by accepts(); third: SYN
        localAddress = ip.dst();
        remoteAddress = ip.src();
        remotePort = tcp.srcPort();
        irs = tcp.seq();
        recvNext = irs + 1;
        iss = context.initialSequence().next(localAddress, localPort, remoteAddress, remotePort,
                context.nowMicros());
        sendUnacked = iss;
        sendNext = iss; // the SYN-ACK <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> goes out in dispatch
        sendMax = iss;
        recoverPoint = iss; // RFC 6582 §3.2 step 1
        learnPeerOptions(tcp, context.sender().mtu());
        // RFC 7323 §3.2: TSopt in the SYN-ACK only when the SYN carried it
        timestamps = tcp.hasTimestamps();
        tsRecent = tcp.tsVal();
        updateSendWindow(tcp);
        // the text of a SYN is not queued: the peer sends it again once we acknowledge only the SYN
        state = TcpState.SYN_RECEIVED;
        if (listener != null) {
            listener.halfOpened(this);
        }
    }

    // RFC 9293 §3.10.7.3 SEGMENT ARRIVES, if the state is SYN-SENT
    private void processSynSent(long nowMicros, Ipv4Repr ip, TcpRepr tcp, IpSender out) {
        int flags = tcp.flags();
        boolean hasAck = (flags & TcpFlags.ACK) != 0;
        // first: check the ACK bit; an ACK of anything but our SYN is answered by <SEQ=SEG.ACK><CTL=RST>
        if (hasAck && (TcpSeq.lessOrEqual(tcp.ack(), iss) || TcpSeq.greaterThan(tcp.ack(), iss + 1))) {
            counters.dropped(SocketDrop.UNACCEPTABLE);
            if ((flags & TcpFlags.RST) == 0) {
                answerWithReset(ip, tcp);
            }
            return;
        }
        // second: check the RST bit; acceptable only with an acceptable ACK: the connection is refused
        if ((flags & TcpFlags.RST) != 0) {
            if (hasAck) {
                enterClosed(TcpCloseReason.REFUSED);
            } else {
                counters.dropped(SocketDrop.UNACCEPTABLE);
            }
            return;
        }
        // third: security and precedence — not used (RFC 9293 dropped precedence)
        // fourth: check the SYN bit
        if ((flags & TcpFlags.SYN) == 0) {
            counters.dropped(SocketDrop.UNACCEPTABLE);
            return;
        }
        if (localAddress == 0) {
            localAddress = ip.dst(); // the interface chose our source address; adopt it
        }
        irs = tcp.seq();
        recvNext = irs + 1;
        learnPeerOptions(tcp, out.mtu());
        // RFC 7323 §3.2: our SYN offered TSopt; it is in use only when the peer's SYN carries it too
        timestamps = tcp.hasTimestamps();
        tsRecent = tcp.tsVal();
        if (hasAck) {
            // our SYN is acknowledged: ESTABLISHED, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> goes out
            sendUnacked = tcp.ack();
            sendNext = TcpSeq.max(sendNext, sendUnacked);
            sendMax = TcpSeq.max(sendMax, sendNext);
            updateSendWindow(tcp); // the window of a SYN is never scaled (RFC 7323 §2.2)
            sendWl1 = tcp.seq();
            sendWl2 = tcp.ack();
            boolean synRetransmitted = retries > 0;
            if (!synRetransmitted) {
                // after a retransmitted SYN the SYN-ACK may be the peer's timer retransmission, its
                // TSecr echoing our first SYN across the peer's timeout: no sample then
                takeRttSample(nowMicros, tcp.ack(), tcp, 1);
            }
            startDataRto(synRetransmitted);
            retries = 0;
            retransmitDeadline = Long.MAX_VALUE;
            state = TcpState.ESTABLISHED;
            ackPending = true;
        } else {
            // simultaneous open: SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> goes out
            updateSendWindow(tcp);
            sendNext = iss;
            rttTiming = false;
            state = TcpState.SYN_RECEIVED;
        }
        // fifth: the text of a SYN is not queued (the peer sends it again)
    }

    // RFC 9293 §3.10.7.4 SEGMENT ARRIVES, otherwise (SYN-RECEIVED and every synchronized state)
    private void processSynchronized(long nowMicros, Ipv4Repr ip, TcpRepr tcp) {
        int flags = tcp.flags();
        int seq = tcp.seq();
        int payloadLength = tcp.payloadLength();
        boolean syn = (flags & TcpFlags.SYN) != 0;
        boolean rst = (flags & TcpFlags.RST) != 0;
        if (syn && !rst) {
            if (state != TcpState.SYN_RECEIVED) {
                // RFC 5961 §4.2 (RFC 9293 §3.10.7.4, fourth): a SYN in a synchronized state, whatever its
                // sequence number, gets a challenge ACK and is dropped, never processed for its ACK or
                // window (a stale SYN-ACK duplicated by the network, a blind SYN). TIME-WAIT's new
                // incarnations were handed on in processTcp.
                counters.dropped(SocketDrop.UNACCEPTABLE);
                ackPending = true;
                return;
            }
            if (seq == irs) {
                if ((flags & TcpFlags.ACK) == 0) {
                    // a retransmission of the peer's SYN (our SYN-ACK was lost): answer it again
                    sendNext = iss;
                    // RFC 7323 §4.3 (2): SEG.SEQ = IRS is before Last.ACK.sent; echo this copy's TSval,
                    // so that the peer's sample measures this exchange, not the one since its first SYN
                    if (timestamps && tcp.hasTimestamps() && tcp.tsVal() - tsRecent >= 0) {
                        tsRecent = tcp.tsVal();
                    }
                    return;
                }
                // simultaneous open: the peer's SYN-ACK, whose SYN lies before RCV.NXT; strip it and
                // treat the rest (its ACK of our SYN)
                syn = false;
                seq = seq + 1;
                ackPending = true;
            }
        }
        boolean fin = (flags & TcpFlags.FIN) != 0;
        int segmentLength = payloadLength + (syn ? 1 : 0) + (fin ? 1 : 0);
        int window = receiveWindow();

        // first: check the sequence number (the four cases of RFC 9293 §3.10.7.4)
        boolean acceptable;
        boolean textFits = true; // with a zero window the ACK, URG and RST still count, the text not
        if (segmentLength == 0) {
            acceptable = window == 0 ? seq == recvNext : TcpSeq.inRange(seq, recvNext, recvNext + window);
        } else if (window == 0) {
            acceptable = seq == recvNext;
            textFits = false;
        } else {
            acceptable = TcpSeq.inRange(seq, recvNext, recvNext + window)
                    || TcpSeq.inRange(seq + segmentLength - 1, recvNext, recvNext + window);
        }
        if (!acceptable) {
            // an unacceptable segment is answered with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> unless it is a RST
            counters.dropped(SocketDrop.OUT_OF_WINDOW);
            if (rst) {
                return;
            }
            ackPending = true;
            if (state == TcpState.TIME_WAIT) {
                // the only thing that can arrive is a retransmitted FIN: restart the 2 MSL timeout
                timeWaitDeadline = nowMicros + timeWaitMicros;
            } else if (state != TcpState.SYN_RECEIVED && (flags & TcpFlags.ACK) != 0
                    && TcpSeq.lessThan(seq, recvNext)
                    && TcpSeq.lessOrEqual(seq + Math.max(1, segmentLength), recvNext)) {
                // An old duplicate, wholly before RCV.NXT (a retransmission of data we hold): its ACK
                // may still be news, as when our ACK of that data was lost. Linux and BSD take it before
                // dropping the text; without that we would resend what the peer already holds.
                processAck(nowMicros, ip, tcp, seq, false);
                // RFC 7323 §4.3 (2): it starts before the last ACK we sent, so a newer TSval is echoed. Our
                // answer acknowledges what the peer resent; echoing the first copy's TSval instead would
                // make the peer's RTT sample span its whole retransmission timeout, and its RTO grow.
                if (timestamps && tcp.hasTimestamps() && TcpSeq.lessOrEqual(seq, lastAckSent)
                        && tcp.tsVal() - tsRecent >= 0) {
                    tsRecent = tcp.tsVal();
                }
            }
            return;
        }

        // RFC 7323 §4.3 (2), §5.3 R3 (PAWS, R1, is not done): an acceptable segment that is not older
        // than TS.Recent and starts at or before the last ACK we sent sets TS.Recent, so that we echo
        // the segment that filled a hole, never one that arrived out of order past it
        if (timestamps && tcp.hasTimestamps() && TcpSeq.lessOrEqual(seq, lastAckSent)
                && tcp.tsVal() - tsRecent >= 0) {
            tsRecent = tcp.tsVal();
        }

        // second: check the RST bit, with RFC 5961 §3.2: only an exact RCV.NXT resets; elsewhere in the
        // window it gets a challenge ACK
        if (rst) {
            if (seq != recvNext) {
                counters.dropped(SocketDrop.UNACCEPTABLE);
                ackPending = true;
                return;
            }
            if (state == TcpState.SYN_RECEIVED && passiveOpen) {
                returnToListen(); // the peer gave up on the connection it started
            } else if (listener != null) {
                // a connection of a backlog, reset before the application accepted it: nobody holds
                // it, so its socket serves the listener again (RFC 9293 §3.10.7.4 flushes its queues)
                returnToListen();
            } else if (state == TcpState.SYN_RECEIVED) {
                enterClosed(TcpCloseReason.REFUSED);
            } else if (state == TcpState.TIME_WAIT) {
                enterClosed(TcpCloseReason.GRACEFUL);
            } else {
                enterClosed(TcpCloseReason.RESET_BY_PEER);
            }
            return;
        }

        // third: security — not used
        // fourth: check the SYN bit; RFC 5961 §4.2: a SYN in a synchronized state gets a challenge ACK
        if (syn) {
            counters.dropped(SocketDrop.UNACCEPTABLE);
            ackPending = true;
            return;
        }

        // fifth: check the ACK field; without ACK the segment is dropped
        if ((flags & TcpFlags.ACK) == 0) {
            counters.dropped(SocketDrop.UNACCEPTABLE);
            return;
        }
        if (!processAck(nowMicros, ip, tcp, seq, payloadLength == 0 && !fin)) {
            return;
        }

        // sixth: check the URG bit — urgent data is delivered inline, in sequence, like any other
        // (RFC 9293 §3.8.5, RFC 6093); the urgent pointer itself is not reported

        // seventh: process the segment text in ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2
        boolean allTextTaken = true;
        if (payloadLength > 0) {
            if (mayRecv() && textFits) {
                allTextTaken = receiveText(tcp, seq);
            } else {
                allTextTaken = false;
                counters.dropped(textFits ? SocketDrop.BAD_STATE : SocketDrop.RX_BUFFER_FULL);
            }
            ackPending = true;
            if (!assembler.isEmpty()) {
                // RFC 5681 §4.2: out-of-order data is acknowledged at once, so that the sender counts
                // one duplicate ACK per segment past the hole and retransmits fast (§3.2)
                answerNow = true;
            }
        }

        // eighth: check the FIN bit, taken only when every byte before it arrived
        if (fin && allTextTaken && seq + payloadLength == recvNext) {
            recvNext = recvNext + 1;
            ackPending = true;
            switch (state) {
                case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
                case FIN_WAIT_1 -> {
                    if (finAcked) {
                        enterTimeWait(nowMicros);
                    } else {
                        state = TcpState.CLOSING;
                    }
                }
                case FIN_WAIT_2 -> enterTimeWait(nowMicros);
                case TIME_WAIT -> timeWaitDeadline = nowMicros + timeWaitMicros;
                default -> {
                    // CLOSE-WAIT, CLOSING, LAST-ACK: a retransmitted FIN; the ACK is enough
                }
            }
        } else if (fin) {
            ackPending = true; // a FIN past a hole: acknowledge what we have; the peer sends it again
        }
    }

    /**
     * RFC 9293 §3.10.7.4, fifth: the ACK field of a segment that has one. Frees what it acknowledges,
     * counts duplicates, takes the window, and moves the closing states on. Returns false when the
     * segment is to be dropped here (or the connection ended); {@code pureAck} says whether it carries
     * neither text nor FIN (only such an ACK can be a duplicate, RFC 5681 §2).
     */
    private boolean processAck(long nowMicros, Ipv4Repr ip, TcpRepr tcp, int seq, boolean pureAck) {
        int ack = tcp.ack();
        if (state == TcpState.SYN_RECEIVED) {
            // SND.UNA < SEG.ACK =< SND.NXT enters ESTABLISHED; else <SEQ=SEG.ACK><CTL=RST>
            if (TcpSeq.lessOrEqual(ack, sendUnacked) || TcpSeq.greaterThan(ack, sendMax)) {
                counters.dropped(SocketDrop.UNACCEPTABLE);
                answerWithReset(ip, tcp);
                return false;
            }
            boolean synRetransmitted = retries > 0;
            acknowledge(nowMicros, ack, tcp); // while still SYN-RECEIVED, so that the SYN is what it takes away
            startDataRto(synRetransmitted);
            state = closeRequested ? TcpState.FIN_WAIT_1 : TcpState.ESTABLISHED;
            closeRequested = false;
            sendWl1 = seq - 1; // make the window of this segment count
            if (listener != null) {
                listener.completed(this); // ready for accept, in the order of completion
            }
        }
        if (TcpSeq.lessThan(ack, sendUnacked - maxSendWindow)) {
            // RFC 5961 §5.2: below SND.UNA - MAX.SND.WND, too old to be anything but a blind injection:
            // drop the segment and send an ACK
            counters.dropped(SocketDrop.UNACCEPTABLE);
            ackPending = true;
            return false;
        }
        if (TcpSeq.greaterThan(ack, sendMax)) {
            // it acknowledges something not yet sent: send an ACK, drop the segment
            counters.dropped(SocketDrop.UNACCEPTABLE);
            ackPending = true;
            return false;
        }
        if (TcpSeq.greaterThan(ack, sendUnacked)) {
            acknowledge(nowMicros, ack, tcp);
        } else if (ack == sendUnacked && pureAck && tcp.window() == sendWindow && sendMax != sendUnacked) {
            // RFC 5681 §3.2: a duplicate ACK; the third sends the missing segment at once and starts
            // fast recovery (RFC 6582 §3.2 step 2, without its check against the last recovery point:
            // see the class comment); within fast recovery they change nothing (no window to inflate)
            duplicateAcks++;
            if (duplicateAcks == DUP_ACK_THRESHOLD && !inRecovery) {
                inRecovery = true;
                recoverPoint = sendMax;
                fastRetransmitPending = true;
                rttTiming = false; // Karn: the resent segment gives no sample
            }
        }
        // update the send window when SND.UNA =< SEG.ACK and the segment is newer than the last one
        // that set it (SND.WL1, SND.WL2), so that a reordered old segment cannot shrink it
        if (TcpSeq.lessOrEqual(sendUnacked, ack)
                && (TcpSeq.lessThan(sendWl1, seq) || (sendWl1 == seq && TcpSeq.lessOrEqual(sendWl2, ack)))) {
            updateSendWindow(tcp);
            sendWl1 = seq;
            sendWl2 = ack;
            if (sendWindow == 0) {
                retries = 0; // the peer answers: a zero window is not a dead peer
            } else {
                windowReopened();
            }
        }
        if (finAcked) {
            switch (state) {
                case FIN_WAIT_1 -> {
                    state = TcpState.FIN_WAIT_2;
                    armFinWait2Timer(nowMicros);
                }
                case CLOSING -> enterTimeWait(nowMicros);
                case LAST_ACK -> {
                    enterClosed(TcpCloseReason.GRACEFUL);
                    return false;
                }
                default -> {
                    // FIN-WAIT-2, TIME-WAIT: nothing more to learn from the ACK
                }
            }
        }
        return true;
    }

    /**
     * RFC 6298 §5.7: when data transmission begins after a retransmitted SYN or SYN-ACK and no RTT
     * sample was taken, the RTO is re-initialized to 3 s (the backed-off 2 s is too short for a path
     * whose handshake needed a retransmission).
     */
    private void startDataRto(boolean synRetransmitted) {
        if (synRetransmitted) {
            rtt.fallBackUnlessMeasured(SYN_FALLBACK_RTO_MICROS);
        }
    }

    /**
     * Stores the acceptable part of the text at its place in the receive ring and commits what is
     * contiguous; returns true when all of it was taken.
     */
    private boolean receiveText(TcpRepr tcp, int seq) {
        int length = tcp.payloadLength();
        int skip = 0;
        if (TcpSeq.lessThan(seq, recvNext)) {
            skip = recvNext - seq; // already received: trim the front
        }
        int offset = seq + skip - recvNext;
        int wanted = length - skip;
        if (wanted <= 0) {
            return true;
        }
        int room = rx.free() - offset;
        int take = Math.max(0, Math.min(wanted, room));
        if (take == 0) {
            counters.dropped(SocketDrop.RX_BUFFER_FULL);
            return wanted == 0;
        }
        if (!assembler.add(offset, take)) {
            counters.dropped(SocketDrop.REASSEMBLY_FULL);
            return false;
        }
        rx.writeAt(offset, tcp.payloadBuffer(), tcp.payloadOffset() + skip, take);
        int contiguous = assembler.removeFront();
        if (contiguous > 0) {
            rx.commit(contiguous);
            recvNext = recvNext + contiguous;
            windowRepeatDeadline = Long.MAX_VALUE; // the peer heard the update: it sends again
            if (inputShutdown) {
                rx.skip(rx.length()); // acknowledged, but the application reads no more
            }
        }
        if (take < wanted) {
            counters.dropped(SocketDrop.RX_BUFFER_FULL);
            return false;
        }
        return true;
    }

    /** SND.UNA < ack ≤ SND.MAX: frees acknowledged data, samples the RTT, restarts the timer. */
    private void acknowledge(long nowMicros, int ack, TcpRepr tcp) {
        int flight = sendMax - sendUnacked;
        int advance = ack - dataStartSeq(); // data bytes, plus 1 when it covers our FIN
        if (finQueued() && advance > tx.length()) {
            finAcked = true;
        }
        tx.skip(Math.min(Math.max(0, advance), tx.length()));
        // RFC 7323 Appendix G: with timestamps, ExpectedSamples = ceil(FlightSize / (SMSS * 2)) per RTT
        int twoSegments = 2 * segmentPayload();
        takeRttSample(nowMicros, ack, tcp, Math.max(1, (flight + twoSegments - 1) / twoSegments));
        sendUnacked = ack;
        if (TcpSeq.lessThan(sendNext, ack)) {
            sendNext = ack; // after a go-back-N the peer may acknowledge what it had reassembled
        }
        duplicateAcks = 0;
        fastRetransmitPending = false;
        if (inRecovery) {
            if (TcpSeq.greaterOrEqual(ack, recoverPoint)) {
                inRecovery = false; // RFC 6582 §3.2 step 3: a full acknowledgment ends fast recovery
            } else {
                // RFC 6582 §3.2 step 3, partial acknowledgment: the next hole of the same window is
                // lost too; resend its first segment at once and stay in fast recovery. The timer
                // restarts below on every partial ACK, as RFC 6298 §5.3 does for any new ACK (RFC
                // 3782's "Slow-but-Steady"; RFC 6582 restarts it on the first one only)
                fastRetransmitPending = true;
                rttTiming = false;
            }
        }
        retries = 0;
        windowProbe = false;
        probeOutstanding = false; // whatever was in flight, the probe byte included, is taken
        // RFC 6298 §5.3: new data acknowledged restarts the timer (or stops it when nothing is in flight)
        retransmitDeadline = sendMax == sendUnacked ? Long.MAX_VALUE : nowMicros + rtt.retransmitTimeout();
    }

    /**
     * An ACK of new data (or of our SYN) arrived: with timestamps every such ACK gives a sample from
     * its TSecr, weighted as one of {@code expectedSamples} per round trip; without, only the ACK
     * covering the one timed segment does.
     */
    private void takeRttSample(long nowMicros, int ack, TcpRepr tcp, int expectedSamples) {
        long sample;
        int weight = 1;
        if (timestamps) {
            // RFC 7323 §4.1: TSecr echoes the TSval of the segment that advanced the peer's left edge,
            // so the sample is valid even when that segment was a retransmission (no Karn's rule).
            // A segment without TSopt (RFC 7323 §3.2 lets us not drop it) gives none, nor does an echo
            // from the future or from longer ago than the largest timeout (a peer echoing garbage,
            // e.g. 0): no round trip takes that long while the connection lives.
            int elapsed = timestampNow(nowMicros) - tcp.tsEcr();
            if (!tcp.hasTimestamps() || elapsed < 0 || elapsed > MAX_RTO_MICROS / TIMESTAMP_TICK_MICROS) {
                return;
            }
            sample = elapsed * TIMESTAMP_TICK_MICROS;
            weight = expectedSamples;
        } else {
            if (!rttTiming || TcpSeq.lessThan(ack, rttSeq)) {
                return;
            }
            rttTiming = false;
            sample = Math.max(0, nowMicros - rttStart);
        }
        rtt.sample(sample, weight);
    }

    private void learnPeerOptions(TcpRepr tcp, int mtu) {
        // RFC 9293 §3.7.1: without the MSS option the peer takes 536; the window scale option is
        // ignored because we never send ours (RFC 7323 §2.2: then neither side scales)
        remoteMss = tcp.mss() != 0 ? Math.max(MIN_PEER_MSS, tcp.mss()) : DEFAULT_MSS;
        localMss = Math.max(1, mtu - 40);
        pathMss = localMss;
    }

    private void updateSendWindow(TcpRepr tcp) {
        sendWindow = tcp.window();
        maxSendWindow = Math.max(maxSendWindow, sendWindow);
    }

    // ---------------------------------------------------------------- segments out

    /**
     * Sends what is due at {@code nowMicros}: the SYN or SYN-ACK, retransmissions when the timer
     * expired, new data and the FIN within the peer's window in segments of at most {@link #mss()}
     * (sized for {@code out}'s MTU now), a pending ACK or window update, the RST of {@link #abort()};
     * ends TIME-WAIT when it is over.
     *
     * <p>What {@code out} refuses ({@link SendOutcome}): a segment refused for want of the neighbour's
     * MAC stops the dispatch and goes at the next one, while the retransmission timer runs as for a
     * lost segment, so that its expiry counts a try and a peer that vanished times out after
     * {@link #retryLimit()} tries; one refused for good (no route, too big) is booked as sent and lost
     * on the wire, the timer recovering it, so the socket never asks to be polled at once for it; one
     * refused by a busy device or for want of a device stops the dispatch, counts no try, leaves the
     * timers alone and goes at the next dispatch.
     */
    private void transmit(PollContext context) {
        long nowMicros = context.nowMicros();
        IpSender out = context.sender();
        if (answerResetPending) {
            sendAnswerReset(out);
        }
        chooseIss(context);
        if (resetPending) {
            dispatchReset(nowMicros, out);
            return;
        }
        if (state == TcpState.CLOSED || state == TcpState.LISTEN) {
            return;
        }
        if (state == TcpState.TIME_WAIT && nowMicros >= timeWaitDeadline) {
            enterClosed(TcpCloseReason.GRACEFUL); // RFC 9293: the 2 MSL timeout ends TIME-WAIT
            return;
        }
        if (state == TcpState.FIN_WAIT_2) {
            armFinWait2Timer(nowMicros);
            if (nowMicros >= finWait2Deadline) {
                // both directions closed by the application and the peer never sent its FIN: give up
                // silently, as Linux's tcp_fin_timeout does
                enterClosed(TcpCloseReason.TIMEOUT);
                return;
            }
        }
        if (localMss == 0) {
            localMss = Math.max(1, out.mtu() - 40);
        }
        // RFC 9293 §3.7.1 (and RFC 1191's reaction to a smaller MTU): a segment must fit the MTU of
        // the device in use now, which a hot swap may have made smaller than the one the SYN saw
        pathMss = Math.max(1, out.mtu() - 40);
        if (nowMicros >= retransmitDeadline && !retransmitTimedOut()) {
            return;
        }
        // the SYN or SYN-ACK, first or again
        if ((state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) && sendNext == iss) {
            int flags = state == TcpState.SYN_SENT ? TcpFlags.SYN : TcpFlags.SYN | TcpFlags.ACK;
            booked(nowMicros, emit(nowMicros, out, iss, flags, 0, 0, true), iss, 1);
            return;
        }
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
            sendAckIfDue(nowMicros, out);
            return;
        }
        int mss = segmentPayload();
        ensureScratch(mss);
        if (fastRetransmitPending) {
            // RFC 5681 §3.2: resend the segment the duplicate ACKs ask for, before any new data
            int length = Math.min(mss, Math.min(tx.length(), Math.max(0, sendMax - sendUnacked)));
            boolean fin = finQueued() && !finAcked && sendUnacked + length == finSeq()
                    && TcpSeq.greaterThan(sendMax, finSeq());
            if (length > 0 || fin) {
                int flags = TcpFlags.ACK | (length > 0 ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
                SendOutcome outcome = emit(nowMicros, out, sendUnacked, flags, 0, length, false);
                if (!booked(nowMicros, outcome, sendUnacked, length + (fin ? 1 : 0))) {
                    return;
                }
                fastRetransmits++;
            }
            fastRetransmitPending = false;
        }
        // data and FIN within the peer's window, in MSS-sized segments
        while (true) {
            int dataStart = dataStartSeq();
            int offset = sendNext - dataStart;
            int length = sendableLength(nowMicros, offset, mss);
            boolean fin = finToSend() && offset + length == tx.length();
            if (length == 0 && !fin) {
                break;
            }
            int flags = TcpFlags.ACK | (length > 0 ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
            int seq = sendNext;
            if (!booked(nowMicros, emit(nowMicros, out, seq, flags, offset, length, false), seq,
                    length + (fin ? 1 : 0))) {
                return;
            }
        }
        armSillyWindowTimer(nowMicros);
        sendAckIfDue(nowMicros, out);
        repeatWindowUpdate(nowMicros, out);
        armRetransmitTimer(nowMicros);
    }

    /**
     * Repeats the window update that reopened our window, when the peer has sent nothing since: a peer
     * facing a zero window only probes, with a timer that backs off to minutes (Linux: up to 120 s), so a
     * lost update would stall the connection that long, while a repeat costs one ACK. The update goes
     * again after an RTO, then after twice that, {@value #WINDOW_UPDATE_REPEATS} times at most: below the
     * three duplicate ACKs that would make a peer with data in flight retransmit (RFC 5681 §3.2). Any data
     * from the peer, or our window closing again, ends the repeats.
     */
    private void repeatWindowUpdate(long nowMicros, IpSender out) {
        if (nowMicros < windowRepeatDeadline) {
            return;
        }
        windowRepeatDeadline = Long.MAX_VALUE;
        if (windowRepeatsLeft == 0 || !mayRecv()) {
            return;
        }
        windowRepeatsLeft--;
        emit(nowMicros, out, sendNext, TcpFlags.ACK, 0, 0, false);
        windowUpdatesRepeated++;
        if (windowRepeatsLeft > 0) {
            windowRepeatInterval *= 2;
            windowRepeatDeadline = nowMicros + windowRepeatInterval;
        }
    }

    /**
     * Notes the window an ACK just offered: one that reopens a window we had closed (below the silly window
     * threshold) arms the repeats of {@link #repeatWindowUpdate}; one that closes it again ends them.
     */
    private void offered(long nowMicros, int window, boolean hadOffered, int previousWindow) {
        int threshold = Math.max(1, Math.min(rx.capacity() / 2, mss()));
        if (window < threshold) {
            windowRepeatDeadline = Long.MAX_VALUE;
            windowRepeatsLeft = 0;
        } else if (hadOffered && previousWindow < threshold) {
            windowRepeatInterval = rtt.retransmitTimeout();
            windowRepeatDeadline = nowMicros + windowRepeatInterval;
            windowRepeatsLeft = WINDOW_UPDATE_REPEATS;
        }
    }

    /**
     * The peer's window opened again after a zero window (RFC 9293 §3.8.6.1): a probe byte it did not
     * take (Linux drops one while its window is 0) goes again at once, with what follows it, from
     * SND.UNA, rather than after a backed-off timeout; the persist timer's back-off ends.
     */
    private void windowReopened() {
        persistInterval = 0;
        windowProbe = false;
        if (probeOutstanding) {
            probeOutstanding = false;
            sendNext = sendUnacked;
            rttTiming = false; // Karn: the byte goes again
            retransmitDeadline = Long.MAX_VALUE; // restarted, not backed off, when it leaves (RFC 6298 §5.1)
            tryPending = false;
            retries = 0;
        }
    }

    /**
     * The link is up again after a time without a device, during which the socket was not dispatched:
     * when the retransmission (or persist) timer fell due meanwhile, what it covers goes again at the
     * next dispatch, go-back-N from SND.UNA, without counting a retry and without backing off the
     * timeout. The outage lost those segments, not the path: RFC 6298 §5.5 backs off to spare a
     * congested path, and a retry limit is meant for a peer that does not answer.
     */
    private void linkUp(long nowMicros) {
        tryPending = false; // nor is a try counted for a retransmission the outage kept back
        if (retransmitDeadline == Long.MAX_VALUE || nowMicros < retransmitDeadline) {
            return;
        }
        retransmitDeadline = Long.MAX_VALUE; // restarted when the first segment leaves (RFC 6298 §5.1)
        goBackN();
    }

    /**
     * The RST of {@link #abort()}: best effort, and never retransmitted. It waits for a busy device or
     * a missing one, and once for the neighbour's MAC; refused again, or refused for good, it is given
     * up (the peer learns of the abort from the RST answering its next segment, RFC 9293 §3.10.7.1).
     */
    private void dispatchReset(long nowMicros, IpSender out) {
        SendOutcome outcome = emit(nowMicros, out, resetSeq, TcpFlags.RST, 0, 0, false);
        if (outcome == SendOutcome.DEVICE_BUSY || outcome == SendOutcome.NO_DEVICE) {
            return;
        }
        if (outcome == SendOutcome.NEIGHBOUR_PENDING && !resetRefusedOnce) {
            resetRefusedOnce = true;
            return;
        }
        resetPending = false;
        resetRefusedOnce = false;
    }

    /**
     * Books a segment of {@code length} sequence numbers at {@code seq} by what became of it; returns
     * true when the dispatch may go on with the next segment.
     */
    private boolean booked(long nowMicros, SendOutcome outcome, int seq, int length) {
        switch (outcome) {
            case SENT -> {
                countTry();
                segmentSent(nowMicros, seq, length);
                return true;
            }
            case NO_ROUTE, TOO_BIG -> {
                // refused for good: as good as lost on the wire, so the timer recovers it (RFC 6298
                // §5.1), its expiries counting tries; the rest of the window goes the same way
                countTry();
                segmentLost(nowMicros, seq, length);
                return true;
            }
            case NEIGHBOUR_PENDING -> {
                // the next hop does not answer ARP (yet): the segment stays unsent, to go as soon as
                // the interface dispatches us again, but for the timer it is lost (RFC 6298 §5.1), so
                // that each expiry counts a try and a vanished peer times out
                countTry();
                refusedUnsent = true;
                if (retransmitDeadline == Long.MAX_VALUE) {
                    retransmitDeadline = nowMicros + rtt.retransmitTimeout();
                }
                return false;
            }
            default -> {
                return false; // DEVICE_BUSY, NO_DEVICE: says nothing of the path; no try, timers alone
            }
        }
    }

    /** The retransmission (or persist) timer expired; returns false when the connection timed out. */
    private boolean retransmitTimedOut() {
        retransmitDeadline = Long.MAX_VALUE;
        // nothing in flight: the persist timer of a zero window, unless a segment the path refused
        // never left (then this is its retransmission)
        boolean probe = sendMax == sendUnacked && !refusedUnsent;
        if (!probe && retries >= retryLimit) {
            if ((state == TcpState.SYN_RECEIVED && passiveOpen) || listener != null) {
                // the peer of a half-open passive connection (or of one a backlog holds for accept)
                // vanished: serve the next
                returnToListen();
            } else {
                enterClosed(TcpCloseReason.TIMEOUT);
            }
            return false;
        }
        // the try, with the back-off of RFC 6298 §5.5, is counted when the retransmission leaves or
        // the path refuses it (countTry), not while a busy device or a missing one keeps it back
        tryPending = true;
        tryIsProbe = probe || probeOutstanding;
        trySendUnacked = sendUnacked;
        goBackN();
        return true;
    }

    /** Counts the pending try of a timer expiry: its retransmission left, or the path refused it. */
    private void countTry() {
        if (!tryPending) {
            return;
        }
        tryPending = false;
        if (sendUnacked != trySendUnacked) {
            return; // acknowledged while it waited for the device: nothing was retransmitted
        }
        retries++;
        if (tryIsProbe) {
            // RFC 1122 §4.2.2.17: successive probes back off exponentially; on a timer of their own,
            // so that a long zero window leaves the RTO as the path made it
            persistInterval = Math.min(MAX_RTO_MICROS, 2 * persistTimeout());
            return;
        }
        retransmitTimeouts++;
        // RFC 6298 §5.5: back off the timer
        rtt.backOff();
    }

    /**
     * RFC 6298 §5.4: retransmit the earliest unacknowledged segment — go-back-N from SND.UNA, the
     * SYN again in SYN-SENT and SYN-RECEIVED.
     */
    private void goBackN() {
        rttTiming = false; // Karn: no sample from retransmitted segments
        sendNext = sendUnacked;
        duplicateAcks = 0;
        fastRetransmitPending = false;
        // RFC 6582 §3.2 step 4: after a timeout, recover is the highest sequence number sent, and
        // fast recovery ends
        recoverPoint = sendMax;
        inRecovery = false;
        windowProbe = sendWindow == 0 && isSynchronizedSender();
    }

    private void segmentSent(long nowMicros, int seq, int length) {
        if (length == 0) {
            return;
        }
        if (windowProbe && sendWindow == 0 && isSynchronizedSender()) {
            probeOutstanding = true; // the persist timer, not the retransmission timer, resends it
        }
        if (TcpSeq.greaterOrEqual(seq + length, sendMax) && !windowProbe) {
            sillyWindowDeadline = Long.MAX_VALUE; // new data left: nothing waits on the override timer
        }
        if (TcpSeq.lessThan(seq, sendMax)) {
            counters.retransmitted();
        } else if (!rttTiming) {
            rttTiming = true; // RFC 6298 §3: time one segment per round trip, never a retransmission
            rttSeq = seq + length;
            rttStart = nowMicros;
        }
        advance(nowMicros, seq, length);
    }

    /** A segment refused for good: booked as sent (not counted, not timed), lost on the wire. */
    private void segmentLost(long nowMicros, int seq, int length) {
        if (length > 0) {
            advance(nowMicros, seq, length);
        }
    }

    /** Moves SND.NXT and SND.MAX past a segment handed on, and starts the timer for it (RFC 6298 §5.1). */
    private void advance(long nowMicros, int seq, int length) {
        int end = seq + length;
        if (TcpSeq.greaterThan(end, sendNext)) {
            sendNext = end;
        }
        if (TcpSeq.greaterThan(end, sendMax)) {
            sendMax = end;
        }
        refusedUnsent = false;
        if (retransmitDeadline == Long.MAX_VALUE) {
            // RFC 6298 §5.1; a zero-window probe is timed by the persist timer
            retransmitDeadline = nowMicros + (probeOutstanding ? persistTimeout() : rtt.retransmitTimeout());
        }
    }

    private void sendAckIfDue(long nowMicros, IpSender out) {
        if (ackPending || windowUpdateDue()) {
            emit(nowMicros, out, sendNext, TcpFlags.ACK, 0, 0, false);
        }
    }

    /**
     * How many bytes at {@code offset} past the data start may go now: what the window, the MSS and the
     * queue allow, unless that is a silly window (then 0, see {@link #worthSending}).
     */
    private int sendableLength(long nowMicros, int offset, int mss) {
        int length = usableLength(offset, mss);
        return length == 0 || worthSending(nowMicros, offset, length, mss) ? length : 0;
    }

    /** What the window, the MSS and the queue allow at {@code offset} past the data start. */
    private int usableLength(int offset, int mss) {
        int unsent = tx.length() - offset;
        if (unsent <= 0) {
            return 0;
        }
        int window = windowProbe ? Math.max(sendWindow, 1) : sendWindow;
        int windowRoom = sendUnacked + window - sendNext;
        return Math.max(0, Math.min(Math.min(unsent, windowRoom), mss));
    }

    /**
     * RFC 1122 §4.2.3.4 (sender's silly window avoidance, a MUST): new data goes when a full-sized
     * segment fits, or all that is queued fits, or at least half the largest window the peer has
     * offered (Fs = 1/2), or the override timer ran out; otherwise it waits for the window to open
     * further, so that a sliver of window is not filled as soon as it opens. Retransmissions and
     * zero-window probes are not held back.
     */
    private boolean worthSending(long nowMicros, int offset, int length, int mss) {
        return length >= mss
                || length == tx.length() - offset
                || 2 * length >= maxSendWindow
                || windowProbe
                || TcpSeq.lessThan(sendNext, sendMax)
                || nowMicros >= sillyWindowDeadline;
    }

    /** True when new data waits because only a silly window is usable. */
    private boolean sillyWindowWaiting(long nowMicros) {
        int offset = sendNext - dataStartSeq();
        int length = usableLength(offset, segmentPayload());
        return length > 0 && !worthSending(nowMicros, offset, length, segmentPayload());
    }

    /** Starts the override timer of RFC 1122 §4.2.3.4 when data waits for a silly window; stops it otherwise. */
    private void armSillyWindowTimer(long nowMicros) {
        if (!isSynchronizedSender() || !sillyWindowWaiting(nowMicros)) {
            sillyWindowDeadline = Long.MAX_VALUE;
        } else if (sillyWindowDeadline == Long.MAX_VALUE) {
            sillyWindowDeadline = nowMicros + SWS_OVERRIDE_MICROS;
        }
    }

    /**
     * Emits one segment at {@code nowMicros}: {@code flags} at {@code seq}, with {@code length} bytes of
     * the transmit ring from {@code offset}, the MSS option when {@code withMss}, the timestamps option
     * as negotiated. Returns what the sender said. An ACK refused for good counts as sent: lost on the
     * wire, as far as anyone can tell, and the peer asks again.
     */
    private SendOutcome emit(long nowMicros, IpSender out, int seq, int flags, int offset, int length, boolean withMss) {
        int window = advertisedWindow();
        tcpOut.clear()
                .srcPort(localPort)
                .dstPort(remotePort)
                .seq(seq)
                .ack((flags & TcpFlags.ACK) != 0 ? recvNext : 0)
                .flags(flags)
                .window(window);
        if (withMss) {
            tcpOut.mss(localMss);
        }
        if ((flags & TcpFlags.RST) == 0) {
            if (state == TcpState.SYN_SENT && (flags & TcpFlags.ACK) == 0) {
                // RFC 7323 §3.2: our SYN offers TSopt; TSecr is 0 as nothing is to be echoed yet
                tcpOut.timestamps(timestampNow(nowMicros), 0);
            } else if (timestamps) {
                // RFC 7323 §3.2: once negotiated, in every segment but RST; §4.3 (3): TSecr = TS.Recent
                tcpOut.timestamps(timestampNow(nowMicros), tsRecent);
            }
        }
        if (length > 0) {
            if (tx.contiguousAt(offset) >= length) {
                // the segment lies in one piece in the ring: the interface copies it straight into the frame
                tcpOut.payload(tx.storage(), tx.indexOf(offset), length);
            } else {
                tx.peek(offset, scratch, 0, length); // it wraps: gather it once
                tcpOut.payload(scratch, 0, length);
            }
        }
        ipOut.src(localAddress).dst(remoteAddress).ttl(TTL);
        SendOutcome outcome = out.send(ipOut, tcpOut);
        if (outcome == SendOutcome.SENT) {
            counters.sent(length);
        }
        if ((outcome == SendOutcome.SENT || outcome.isForGood()) && (flags & TcpFlags.ACK) != 0) {
            ackPending = false;
            lastAckSent = recvNext;
            offered(nowMicros, window, windowAdvertised, lastWindowSent);
            lastWindowSent = window;
            windowAdvertised = true;
        }
        return outcome;
    }

    /**
     * RFC 9293 §3.10.7.1 and §3.5: the RST answering {@code tcp}, noted for the dispatch the interface
     * makes at once ({@link Delivery#TAKEN_ANSWER_NOW}); best effort, never retransmitted.
     */
    private void answerWithReset(Ipv4Repr ip, TcpRepr tcp) {
        answerResetIp.src(ip.dst()).dst(ip.src()).ttl(TTL);
        answerResetTcp.clear().srcPort(tcp.dstPort()).dstPort(tcp.srcPort());
        if ((tcp.flags() & TcpFlags.ACK) != 0) {
            answerResetTcp.seq(tcp.ack()).flags(TcpFlags.RST); // <SEQ=SEG.ACK><CTL=RST>
        } else {
            // <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>
            answerResetTcp.ack(tcp.seq() + tcp.segmentLength()).flags(TcpFlags.RST | TcpFlags.ACK);
        }
        answerResetPending = true;
        answerNow = true;
    }

    /** Sends the RST of {@link #answerWithReset}, once, whatever becomes of it. */
    private void sendAnswerReset(IpSender out) {
        answerResetPending = false;
        if (out.send(answerResetIp, answerResetTcp) == SendOutcome.SENT) {
            counters.sent(0);
        }
    }

    private void ensureScratch(int mss) {
        if (scratch.length < mss) {
            scratch = new byte[mss]; // once per connection (or when the path's MTU grows), not per segment
        }
    }

    // ---------------------------------------------------------------- timing

    /**
     * Returns {@code nowMicros} when something can be sent now (a SYN, pending ACK or window update,
     * data within the window, the FIN, an RST), else the retransmission, persist or TIME-WAIT
     * deadline, else {@link Long#MAX_VALUE}.
     */
    private long nextPoll(long nowMicros) {
        if (resetPending || answerResetPending || issPending) {
            return nowMicros;
        }
        switch (state) {
            case CLOSED, LISTEN -> {
                return Long.MAX_VALUE;
            }
            case TIME_WAIT -> {
                return ackPending ? nowMicros : timeWaitDeadline;
            }
            case FIN_WAIT_2 -> {
                if (ackPending || windowUpdateDue() || (inputShutdown && finWait2Deadline == Long.MAX_VALUE)) {
                    return nowMicros; // dispatch starts the FIN-WAIT-2 timer
                }
                return finWait2Deadline;
            }
            case SYN_SENT, SYN_RECEIVED -> {
                if (sendNext == iss || ackPending) {
                    return nowMicros;
                }
                return retransmitDeadline;
            }
            default -> {
                if (ackPending || fastRetransmitPending || windowUpdateDue() || dataOrFinToSend(nowMicros)) {
                    return nowMicros;
                }
                if (persistNeeded() && retransmitDeadline == Long.MAX_VALUE) {
                    return nowMicros; // dispatch starts the persist timer
                }
                if (sillyWindowWaiting(nowMicros)) {
                    // data waits for the window to open further; dispatch starts the override timer
                    long override = sillyWindowDeadline == Long.MAX_VALUE ? nowMicros : sillyWindowDeadline;
                    return Math.min(retransmitDeadline, override);
                }
                return retransmitDeadline;
            }
        }
    }

    /** Starts the retransmission timer when something is in flight, or persists against a zero window. */
    private void armRetransmitTimer(long nowMicros) {
        boolean inFlight = sendMax != sendUnacked;
        if (inFlight || persistNeeded()) {
            if (retransmitDeadline == Long.MAX_VALUE) {
                retransmitDeadline = nowMicros + (inFlight && !probeOutstanding ? rtt.retransmitTimeout() : persistTimeout());
            }
        } else {
            retransmitDeadline = Long.MAX_VALUE;
        }
    }

    private boolean isSynchronizedSender() {
        return switch (state) {
            case ESTABLISHED, FIN_WAIT_1, CLOSE_WAIT, CLOSING, LAST_ACK -> true;
            default -> false;
        };
    }

    // ---------------------------------------------------------------- helpers

    /** The sequence number of the first byte in the transmit ring: after the SYN once that is acknowledged. */
    private int dataStartSeq() {
        boolean synUnacked = state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED;
        return sendUnacked + (synUnacked ? 1 : 0);
    }

    /** True when our FIN is due after the queued data: we closed. */
    private boolean finQueued() {
        return switch (state) {
            case FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT -> true;
            default -> false;
        };
    }

    private int finSeq() {
        return dataStartSeq() + tx.length();
    }

    /** True when our FIN is still to be sent: we closed, it is not acknowledged and not yet sent (again). */
    private boolean finToSend() {
        return finQueued() && !finAcked && TcpSeq.lessOrEqual(sendNext, finSeq());
    }

    /** True when something may go now: data within the window, or the FIN after all data. */
    private boolean dataOrFinToSend(long nowMicros) {
        int offset = sendNext - dataStartSeq();
        int length = sendableLength(nowMicros, offset, segmentPayload());
        return length > 0 || (finToSend() && offset == tx.length());
    }

    /** The persist timer's interval: the RTO at first, doubling with each probe (RFC 1122 §4.2.2.17). */
    private long persistTimeout() {
        return persistInterval == 0 ? rtt.retransmitTimeout() : persistInterval;
    }

    /** True when data waits against a zero window with nothing in flight: the persist timer must run. */
    private boolean persistNeeded() {
        return sendWindow == 0 && sendMax == sendUnacked && tx.length() > 0 && isSynchronizedSender();
    }

    private boolean windowUpdateDue() {
        return mayRecv() && rightEdgeMayAdvance();
    }

    /**
     * RFC 1122 §4.2.3.3 (receiver's silly window avoidance, a MUST): the right edge of the window we
     * offer moves forward only by at least min(half the receive ring, the MSS), and never back (RFC
     * 9293 §3.8.6.2.2). Until then every segment offers what is left of the last offer.
     */
    private int advertisedWindow() {
        int free = receiveWindow();
        if (!windowAdvertised || rightEdgeMayAdvance()) {
            return free;
        }
        int leftOfLastOffer = lastAckSent + lastWindowSent - recvNext;
        return Math.max(0, Math.min(leftOfLastOffer, free));
    }

    /** True when the free space would move the right edge of our last offer by the SWS threshold or more. */
    private boolean rightEdgeMayAdvance() {
        int threshold = Math.max(1, Math.min(rx.capacity() / 2, mss()));
        int edge = recvNext + receiveWindow();
        int lastEdge = lastAckSent + lastWindowSent;
        return edge - lastEdge >= threshold;
    }

    /** The free space of the receive ring, as much as the 16-bit window field can offer. */
    private int receiveWindow() {
        return Math.min(rx.free(), MAX_WINDOW);
    }

    /** Starts the FIN-WAIT-2 timeout once the application has closed both directions. */
    private void armFinWait2Timer(long nowMicros) {
        if (state == TcpState.FIN_WAIT_2 && inputShutdown && finWait2Deadline == Long.MAX_VALUE) {
            finWait2Deadline = nowMicros + finWait2Micros;
        }
    }

    private void enterTimeWait(long nowMicros) {
        state = TcpState.TIME_WAIT;
        closeReason = TcpCloseReason.GRACEFUL;
        timeWaitDeadline = nowMicros + timeWaitMicros;
        retransmitDeadline = Long.MAX_VALUE;
    }

    private void enterClosed(TcpCloseReason reason) {
        state = TcpState.CLOSED;
        closeReason = reason;
        retransmitDeadline = Long.MAX_VALUE;
        timeWaitDeadline = Long.MAX_VALUE;
        finWait2Deadline = Long.MAX_VALUE;
        ackPending = false;
        fastRetransmitPending = false;
        if (reason != TcpCloseReason.GRACEFUL) {
            // RFC 9293 §3.10.7.4: on reset (and abort, timeout) the queues are flushed
            tx.clear();
            rx.clear();
        }
        assembler.clear();
    }

    /**
     * RFC 9293 §3.10.7.4: a passive open that fails in SYN-RECEIVED listens again; so does a connection
     * of a backlog that fails before accept, and its listener learns of it.
     */
    private void returnToListen() {
        int port = localPort;
        int address = listenAddress;
        reset();
        localPort = port;
        listenAddress = address;
        localAddress = address;
        passiveOpen = true;
        state = TcpState.LISTEN;
        if (listener != null) {
            listener.listensAgain(this);
        }
    }

    private void requireReopenable(String operation) {
        if (state != TcpState.CLOSED && state != TcpState.TIME_WAIT) {
            throw new IllegalStateException("cannot " + operation + " in state " + state);
        }
    }

    /** Forgets the previous connection: rings, sequence variables, timers, its counters. */
    private void reset() {
        counters.clear();
        rx.clear();
        tx.clear();
        assembler.clear();
        closeReason = TcpCloseReason.NONE;
        passiveOpen = false;
        listenAddress = 0;
        localAddress = 0;
        localPort = 0;
        remoteAddress = 0;
        remotePort = 0;
        iss = 0;
        sendUnacked = 0;
        sendNext = 0;
        sendMax = 0;
        sendWindow = 0;
        maxSendWindow = 0;
        sendWl1 = 0;
        sendWl2 = 0;
        irs = 0;
        recvNext = 0;
        localMss = 0;
        remoteMss = DEFAULT_MSS;
        closeRequested = false;
        issPending = false;
        answerResetPending = false;
        inputShutdown = false;
        finWait2Deadline = Long.MAX_VALUE;
        finAcked = false;
        ackPending = false;
        resetPending = false;
        lastAckSent = 0;
        lastWindowSent = 0;
        windowAdvertised = false;
        windowRepeatDeadline = Long.MAX_VALUE;
        windowRepeatsLeft = 0;
        rtt.reset();
        retransmitDeadline = Long.MAX_VALUE;
        retries = 0;
        tryPending = false;
        refusedUnsent = false;
        resetRefusedOnce = false;
        pathMss = 0;
        rttTiming = false;
        windowProbe = false;
        persistInterval = 0;
        probeOutstanding = false;
        sillyWindowDeadline = Long.MAX_VALUE;
        duplicateAcks = 0;
        fastRetransmitPending = false;
        inRecovery = false;
        recoverPoint = 0;
        timeWaitDeadline = Long.MAX_VALUE;
        timestamps = false;
        tsRecent = 0;
    }

    /**
     * True when nothing is left to send and nothing will come: CLOSED, without an RST to send. A
     * socket the set retires ({@link SocketSet#retire}) leaves its slot then.
     */
    @Override
    boolean finished() {
        return state == TcpState.CLOSED && !resetPending && !answerResetPending;
    }

    @Override
    protected DrivenSocket driver() {
        return driver;
    }

    /** Its owner is gone: aborts the connection (an RST to the peer, RFC 9293 §3.10.5). */
    @Override
    protected void ownerGone() {
        abort();
    }

    /** The interface's side of this socket: segments in, segments out, timers. */
    private final class Driver implements DrivenSocket {
        @Override
        public Delivery processTcp(PollContext context, Ipv4Repr ip, TcpRepr tcp) {
            return receive(context, ip, tcp);
        }

        /**
         * True in LISTEN: offered a segment only when no connection's socket takes it. True as well for
         * the connection that stands in for its listener while the backlog is full (see
         * {@link TcpListener}): it then takes its own segments and drops the listener's SYNs.
         */
        @Override
        public boolean listensForTcp() {
            return state == TcpState.LISTEN || (listener != null && listener.standsIn(TcpSocket.this));
        }

        @Override
        public void linkUp(long nowMicros) {
            TcpSocket.this.linkUp(nowMicros);
        }

        @Override
        public boolean addressRemoved(int address) {
            return TcpSocket.this.addressRemoved(address);
        }

        @Override
        public void dispatch(PollContext context) {
            transmit(context);
        }

        @Override
        public long pollAt(long nowMicros) {
            return Math.min(nextPoll(nowMicros), windowRepeatDeadline);
        }
    }

    /**
     * Returns e.g. {@code TCP ESTABLISHED 10.0.0.1:4000 -> 10.0.0.2:80 rx=0/1024 tx=12/1024}, followed by
     * {@code in the backlog of 0.0.0.0:80} while a {@link TcpListener} holds it.
     */
    @Override
    public String toString() {
        return "TCP " + state + " " + localEndpoint() + " -> " + remoteEndpoint()
                + " rx=" + rx.length() + "/" + rx.capacity() + " tx=" + tx.length() + "/" + tx.capacity()
                + (listener != null ? " in the backlog of " + listener.localEndpoint() : "");
    }
}
