package smol.iface;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import smol.socket.EchoReply;
import smol.socket.IcmpSocket;
import smol.socket.SendResult;
import smol.socket.SocketHandle;
import smol.wire.Ipv4Address;

/**
 * An ICMP echo socket of an {@link InterfaceRuntime}, usable from any thread: what a ping uses. Bound to an
 * echo identifier, it sends echo requests (waiting for room in the transmit queue) and receives the
 * outcomes of its requests — echo replies, and destination unreachables quoting a request — each with a
 * timeout, besides the non-blocking calls and readiness callbacks of {@link RuntimeSocket}. Made by
 * {@link InterfaceRuntime#icmp} or {@link SocketSetService#icmp}.
 *
 * <p>Timeouts are set per endpoint, as for {@link UdpEndpoint}: {@link Duration#ZERO}, the default, waits
 * without limit; they are wall-clock time. A timeout throws {@link SocketTimeoutException}, an interrupt
 * {@link InterruptedIOException} (the interrupt status kept); the endpoint stays usable after both.
 *
 * <p>A request whose next hop does not answer ARP stays queued (the interface asks again now and then), so
 * that a ping to an absent neighbour sees its requests go unanswered, not refused.
 *
 * <p>Thread-safety: every method is safe from any thread; several threads may send and receive at once
 * (each outcome goes to one receiver).
 */
public final class IcmpEndpoint extends RuntimeSocket {
    private final IcmpSocket socket;
    private final Timeout sendTimeout = new Timeout("send timeout", 0);
    private final Timeout receiveTimeout = new Timeout("receive timeout", 0);

    IcmpEndpoint(InterfaceRuntime runtime, SocketHandle handle, IcmpSocket socket) {
        super(runtime, handle);
        this.socket = socket;
    }

    /**
     * Binds to echo {@code identifier}: requests carry it, and only outcomes of requests carrying it are
     * received.
     *
     * @throws IllegalArgumentException when the identifier is outside 0..65535
     * @throws IllegalStateException when already bound
     * @throws SocketException when closed
     */
    public void bind(int identifier) throws SocketException {
        runtime.lock();
        try {
            checkOpen();
            socket.bind(identifier);
        } finally {
            runtime.unlock();
        }
    }

    /** Returns the bound echo identifier, or -1 when not bound (or closed). */
    public int identifier() {
        return withSocket(IcmpSocket::identifier);
    }

    /**
     * Sets the TTL of the requests queued from now on ({@link IcmpSocket#DEFAULT_TTL} unless set). Returns this.
     *
     * @throws IllegalArgumentException when outside 1..255
     */
    public IcmpEndpoint ttl(int ttl) {
        withSocket(s -> {
            s.ttl(ttl);
            return null;
        });
        return this;
    }

    /** Returns the TTL of the requests sent, 1..255. */
    public int ttl() {
        return withSocket(IcmpSocket::ttl);
    }

    /**
     * Queues an echo request to {@code to} with sequence number {@code seq} and {@code dataLength} bytes of
     * data (0x00, 0x01, … as {@link IcmpSocket#sendEcho(int, int, int)} fills them), waiting (up to
     * {@link #sendTimeout()}) while the transmit queue is full; the loop sends it at its next poll, and its
     * round-trip time counts from then.
     *
     * @throws SocketTimeoutException when the queue stayed full until the timeout (nothing queued)
     * @throws InterruptedIOException when interrupted while waiting (nothing queued)
     * @throws SocketException when the request is larger than the transmit queue or an IPv4 packet can
     *     carry, the endpoint is closed, or the runtime stops
     * @throws IllegalStateException when not bound
     * @throws IllegalArgumentException when {@code to} is 0.0.0.0, {@code seq} is outside 0..65535 or
     *     {@code dataLength} is negative
     */
    public void send(Ipv4Address to, int seq, int dataLength) throws IOException {
        Objects.requireNonNull(to, "to");
        long deadline = sendTimeout.deadline();
        runtime.lock();
        try {
            while (true) {
                checkOpen();
                runtime.checkNotStopping();
                SendResult result = socket.sendEcho(to.bits(), seq, dataLength);
                switch (result) {
                    case OK -> {
                        runtime.wake();
                        return;
                    }
                    case BUFFER_FULL -> await(Wait.WRITE, deadline, "send");
                    default -> throwRefusal(result, to, dataLength);
                }
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Queues an echo request without waiting, as {@link IcmpSocket#sendEcho(int, int, int)}: returns
     * {@link SendResult#OK} or why nothing was queued (not bound, a bad destination, too large, the queue full).
     *
     * @throws SocketException when the endpoint is closed, or the runtime stopped
     * @throws IllegalArgumentException when {@code seq} is outside 0..65535 or {@code dataLength} negative
     */
    public SendResult trySend(Ipv4Address to, int seq, int dataLength) throws SocketException {
        Objects.requireNonNull(to, "to");
        runtime.lock();
        try {
            checkOpen();
            runtime.checkNotStopping();
            SendResult result = socket.sendEcho(to.bits(), seq, dataLength);
            if (result == SendResult.OK) {
                runtime.wake();
            }
            return result;
        } finally {
            runtime.unlock();
        }
    }

    private static void throwRefusal(SendResult result, Ipv4Address to, int dataLength) throws SocketException {
        switch (result) {
            case PAYLOAD_TOO_LARGE -> throw new SocketException("echo request of " + dataLength
                    + " data bytes is larger than the transmit queue or an IPv4 packet can carry");
            case NOT_BOUND -> throw new IllegalStateException("ICMP endpoint is not bound to an identifier");
            case BAD_DESTINATION -> throw new IllegalArgumentException("bad destination: " + to);
            default -> throw new IllegalStateException("unexpected send result " + result);
        }
    }

    /**
     * Moves the oldest outcome of this endpoint's requests (an echo reply, or a destination unreachable
     * quoting a request) into {@code into}, waiting up to {@link #receiveTimeout()} for one to arrive.
     * Returns {@code into}.
     *
     * @throws SocketTimeoutException when none arrived before the timeout
     * @throws InterruptedIOException when interrupted while waiting
     * @throws SocketException when the endpoint is closed or was never bound, or the runtime stops
     */
    public EchoReply receive(EchoReply into) throws IOException {
        Objects.requireNonNull(into, "into");
        long deadline = receiveTimeout.deadline();
        runtime.lock();
        try {
            while (true) {
                checkOpen();
                int got = socket.recv(into);
                if (got > 0) {
                    return into;
                }
                if (got < 0) {
                    throw new SocketException("ICMP endpoint is not bound: no reply will come");
                }
                await(Wait.READ, deadline, "receive");
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Moves the oldest outcome into {@code into} without waiting, as {@link #receive}; returns true when one
     * was there, false when none waits.
     *
     * @throws SocketException when the endpoint is closed or was never bound
     */
    public boolean tryReceive(EchoReply into) throws SocketException {
        Objects.requireNonNull(into, "into");
        runtime.lock();
        try {
            checkOpen();
            int got = socket.recv(into);
            if (got < 0) {
                throw new SocketException("ICMP endpoint is not bound: no reply will come");
            }
            return got > 0;
        } finally {
            runtime.unlock();
        }
    }

    /** Sets how long a send waits for room at most; zero (the default) waits without limit. Returns this. */
    public IcmpEndpoint sendTimeout(Duration timeout) {
        sendTimeout.set(timeout);
        return this;
    }

    /** Returns how long a send waits at most; zero for no limit. */
    public Duration sendTimeout() {
        return sendTimeout.get();
    }

    /** Sets how long a receive waits at most; zero (the default) waits without limit. Returns this. */
    public IcmpEndpoint receiveTimeout(Duration timeout) {
        receiveTimeout.set(timeout);
        return this;
    }

    /** Returns how long a receive waits at most; zero for no limit. */
    public Duration receiveTimeout() {
        return receiveTimeout.get();
    }

    /**
     * Runs {@code action} on the socket with the runtime's lock held, and wakes the loop afterwards: for
     * what this class does not offer (its counters). The action must not keep the socket, nor block.
     */
    public <T> T withSocket(Function<? super IcmpSocket, ? extends T> action) {
        return runtime.withLock(socket, action);
    }

    /**
     * Closes the endpoint at once: it unbinds, drops the requests not sent yet and the outcomes not read,
     * leaves the runtime's set, and ends the calls waiting on it with "socket closed". Does nothing when
     * already closed.
     */
    @Override
    public void close() {
        runtime.lock();
        try {
            if (!released()) {
                socket.close();
                release();
            }
        } finally {
            runtime.unlock();
        }
        runtime.wake(); // the loop takes it out of the set
    }

    // ------------------------------------------------------------ RuntimeSocket, lock held

    @Override
    boolean readable() {
        return released() || socket.canRecv() || !socket.isBound();
    }

    @Override
    boolean writable() {
        return released() || socket.canSend();
    }

    @Override
    int stateMark() {
        return 0; // an echo socket has no state worth waiting for
    }

    @Override
    boolean mayLeaveSet() {
        return true;
    }

    @Override
    String describe() {
        return socket.toString();
    }
}
