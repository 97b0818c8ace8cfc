package smol.iface;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import smol.socket.SendResult;
import smol.socket.SocketHandle;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.IpEndpoint;

/**
 * A UDP socket of an {@link InterfaceRuntime}, usable from any thread: send that waits for room in the
 * transmit buffer, receive that waits for a datagram, each with a timeout, and the non-blocking calls and
 * readiness callbacks of {@link RuntimeSocket}. Made by {@link InterfaceRuntime#udp}.
 *
 * <p>Timeouts are set per endpoint, as {@link java.net.DatagramSocket#setSoTimeout}: {@link Duration#ZERO},
 * the default, waits without limit; they are wall-clock time. A timeout throws
 * {@link SocketTimeoutException}, an interrupt {@link InterruptedIOException} (the interrupt status kept);
 * the endpoint stays usable after both.
 *
 * <p>Thread-safety: every method is safe from any thread; several threads may send and receive at once
 * (each datagram goes whole to one receiver).
 */
public final class UdpEndpoint extends RuntimeSocket {
    private final UdpSocket socket;
    private final Timeout sendTimeout = new Timeout("send timeout", 0);
    private final Timeout receiveTimeout = new Timeout("receive timeout", 0);

    UdpEndpoint(InterfaceRuntime runtime, SocketHandle handle, UdpSocket socket) {
        super(runtime, handle);
        this.socket = socket;
    }

    /**
     * Binds to {@code port} on every address of the interface.
     *
     * @throws IllegalArgumentException when the port is outside 1..65535
     * @throws IllegalStateException when already bound
     * @throws SocketException when closed
     */
    public void bind(int port) throws SocketException {
        runtime.lock();
        try {
            checkOpen();
            socket.bind(port);
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Binds to {@code local}: its port, and its address unless 0.0.0.0.
     *
     * @throws IllegalArgumentException when the port is 0
     * @throws IllegalStateException when already bound
     * @throws SocketException when closed
     */
    public void bind(IpEndpoint local) throws SocketException {
        runtime.lock();
        try {
            checkOpen();
            socket.bind(local);
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Queues a copy of {@code len} bytes of {@code buf} from {@code off} as one datagram to {@code to},
     * waiting (up to {@link #sendTimeout()}) while the transmit buffer is full; the loop sends it at its
     * next poll.
     *
     * @throws SocketTimeoutException when the buffer stayed full until the timeout (nothing queued)
     * @throws InterruptedIOException when interrupted while waiting (nothing queued)
     * @throws SocketException when the datagram is larger than the transmit buffer or an IPv4 packet can
     *     carry, the endpoint is closed, or the runtime stops
     * @throws IllegalStateException when not bound
     * @throws IllegalArgumentException when the destination's address or port is 0
     */
    public void send(IpEndpoint to, byte[] buf, int off, int len) throws IOException {
        Objects.requireNonNull(to, "to");
        Objects.checkFromIndexSize(off, len, buf.length);
        long deadline = sendTimeout.deadline();
        runtime.lock();
        try {
            while (true) {
                checkOpen();
                runtime.checkNotStopping();
                SendResult result = socket.send(to, buf, off, len);
                switch (result) {
                    case OK -> {
                        runtime.wake();
                        return;
                    }
                    case BUFFER_FULL -> await(Wait.WRITE, deadline, "send");
                    case PAYLOAD_TOO_LARGE -> throw new SocketException("datagram of " + len
                            + " bytes is larger than the transmit buffer or an IPv4 packet can carry");
                    case NOT_BOUND -> throw new IllegalStateException("UDP endpoint is not bound");
                    case BAD_DESTINATION -> throw new IllegalArgumentException("bad destination: " + to);
                }
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Moves the oldest received datagram into {@code into} (its payload, truncated to the holder's
     * buffer, which the holder says; its sender; its full length), waiting up to
     * {@link #receiveTimeout()} for one to arrive. Returns {@code into}.
     *
     * @throws SocketTimeoutException when none arrived before the timeout
     * @throws InterruptedIOException when interrupted while waiting
     * @throws SocketException when the endpoint is closed, or the runtime stops
     */
    public UdpDatagram receive(UdpDatagram into) throws IOException {
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
                    throw new SocketException("socket closed");
                }
                await(Wait.READ, deadline, "receive");
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Queues a datagram without waiting, as {@link UdpSocket#send}: returns {@link SendResult#OK} or why
     * nothing was queued (the buffer full, not bound, a bad destination, too large).
     *
     * @throws SocketException when the endpoint is closed, or the runtime stopped
     */
    public SendResult trySend(IpEndpoint to, byte[] buf, int off, int len) throws SocketException {
        Objects.requireNonNull(to, "to");
        Objects.checkFromIndexSize(off, len, buf.length);
        runtime.lock();
        try {
            checkOpen();
            runtime.checkNotStopping();
            SendResult result = socket.send(to, buf, off, len);
            if (result == SendResult.OK) {
                runtime.wake();
            }
            return result;
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Moves the oldest received datagram into {@code into} without waiting, as {@link #receive}; returns
     * true when one was there, false when none waits.
     *
     * @throws SocketException when the endpoint is closed
     */
    public boolean tryReceive(UdpDatagram into) throws SocketException {
        Objects.requireNonNull(into, "into");
        runtime.lock();
        try {
            checkOpen();
            int got = socket.recv(into);
            if (got < 0) {
                throw new SocketException("socket closed");
            }
            return got > 0;
        } finally {
            runtime.unlock();
        }
    }

    /** Sets how long a send waits for room at most; zero (the default) waits without limit. Returns this. */
    public UdpEndpoint sendTimeout(Duration timeout) {
        sendTimeout.set(timeout);
        return this;
    }

    /** Returns how long a send waits at most; zero for no limit. */
    public Duration sendTimeout() {
        return sendTimeout.get();
    }

    /** Sets how long a receive waits at most; zero (the default) waits without limit. Returns this. */
    public UdpEndpoint receiveTimeout(Duration timeout) {
        receiveTimeout.set(timeout);
        return this;
    }

    /** Returns how long a receive waits at most; zero for no limit. */
    public Duration receiveTimeout() {
        return receiveTimeout.get();
    }

    /** Returns the bound endpoint, or null when not bound. */
    public IpEndpoint localEndpoint() {
        return withSocket(s -> s.isBound() ? s.endpoint() : null);
    }

    /**
     * Runs {@code action} on the socket with the runtime's lock held, and wakes the loop afterwards: for
     * what this class does not offer (TTL, counters). The action must not keep the socket, nor block.
     */
    public <T> T withSocket(Function<? super UdpSocket, ? extends T> action) {
        return runtime.withLock(socket, action);
    }

    /**
     * Closes the endpoint at once: it unbinds, drops the datagrams queued either way, leaves the runtime's
     * set, and ends the calls waiting on it with "socket closed". Does nothing when already closed.
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
        return released() || socket.canRecv();
    }

    @Override
    boolean writable() {
        return released() || socket.canSend();
    }

    @Override
    int stateMark() {
        return 0; // a UDP socket has no state worth waiting for
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
