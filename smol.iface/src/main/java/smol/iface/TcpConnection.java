package smol.iface;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import smol.socket.SocketHandle;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;

/**
 * A TCP socket of an {@link InterfaceRuntime}, usable from any thread: blocking connect, passive open,
 * read, write and graceful close with timeouts, an {@link InputStream}/{@link OutputStream} pair (so that
 * {@code BufferedReader}, {@code DataOutputStream} and friends just work), and the non-blocking calls and
 * readiness callbacks of {@link RuntimeSocket}. Made by {@link InterfaceRuntime#tcp}.
 *
 * <p><b>Failures</b> are {@link IOException}s that say what happened: {@link java.net.ConnectException}
 * when an open is refused or its SYNs time out; {@link SocketException} "connection reset by peer",
 * "connection timed out" (the peer stopped acknowledging), "socket closed" (this application closed it),
 * "socket output is shut down", "runtime stopped"; {@link SocketTimeoutException} when a call's own timeout
 * passes (the connection stays usable); {@link InterruptedIOException} when the waiting thread is
 * interrupted (its interrupt status kept, the connection usable). Misuse (a bad argument, listen on an
 * open socket) throws the socket's own unchecked exceptions.
 *
 * <p><b>Timeouts</b> of {@link #read} and {@link #write} (and so of the streams) are set per connection,
 * as {@link java.net.Socket#setSoTimeout}: {@link Duration#ZERO}, the default, waits without limit. They
 * are wall-clock time on the calling thread, not the stack's clock.
 *
 * <p><b>Readiness</b> (for {@link #whenReadable}, {@link #whenWritable}): a connection is readable when
 * a read would return at once (data, the end of the stream, a failure); writable when a write would queue
 * at least one byte or fail at once. While it is being opened it is neither, so a listening connection
 * becomes writable when a peer has connected to it.
 *
 * <p><b>Threads.</b> Every method is safe from any thread. One thread reading and another writing at the
 * same time is the intended use; two threads writing at once may interleave their bytes (a write that
 * waits for room lets others in), and two reading at once split the bytes between them.
 */
public final class TcpConnection extends RuntimeSocket {
    private final TcpSocket socket;
    private final TcpInputStream input = new TcpInputStream(this);
    private final TcpOutputStream output = new TcpOutputStream(this);
    private final Timeout readTimeout = new Timeout("read timeout", 0);
    private final Timeout writeTimeout = new Timeout("write timeout", 0);
    private final Timeout linger;
    // Guarded by the runtime's lock: the streams' one-byte reads and writes go through these, not a new array.
    private final byte[] oneIn = new byte[1];
    private final byte[] oneOut = new byte[1];
    private boolean inputShutdown;
    private boolean outputShutdown;
    private boolean closedGracefully;

    TcpConnection(InterfaceRuntime runtime, SocketHandle handle, TcpSocket socket) {
        super(runtime, handle);
        this.socket = socket;
        this.linger = new Timeout("linger", runtime.lingerNanos());
    }

    // ------------------------------------------------------------ opening

    /**
     * Opens a connection to {@code remote} from an ephemeral local port (49152..65535, one no other TCP
     * socket of the set uses) and waits until it is established; see {@link #connect(IpEndpoint, IpEndpoint, Duration)}.
     */
    public void connect(IpEndpoint remote, Duration timeout) throws IOException {
        long timeoutNanos = timeoutNanos(timeout, "connect timeout");
        runtime.lock();
        try {
            connect(remote, new IpEndpoint(Ipv4Address.UNSPECIFIED, runtime.ephemeralPort()), timeoutNanos);
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Opens a connection to {@code remote} from {@code local} (its port required; address 0.0.0.0 lets the
     * interface choose) and waits until it is established or {@code timeout} passes (zero: no limit).
     * The SYN goes out at the loop's next poll.
     *
     * @throws java.net.ConnectException when the peer refuses (RST) or never answers the SYNs
     * @throws SocketTimeoutException when the timeout passes: the attempt is abandoned (the socket closed)
     * @throws InterruptedIOException when interrupted: the attempt goes on, and {@link #awaitConnected}
     *     waits for it again
     * @throws SocketException when this connection was closed, or the runtime stops
     * @throws IllegalStateException when the socket is already open, or on the loop thread when it would wait
     * @throws IllegalArgumentException as {@link TcpSocket#connect}, or for a negative timeout
     */
    public void connect(IpEndpoint remote, IpEndpoint local, Duration timeout) throws IOException {
        long timeoutNanos = timeoutNanos(timeout, "connect timeout");
        runtime.lock();
        try {
            connect(remote, local, timeoutNanos);
        } finally {
            runtime.unlock();
        }
    }

    private void connect(IpEndpoint remote, IpEndpoint local, long timeoutNanos) throws IOException {
        long deadline = deadlineAfter(timeoutNanos);
        checkOpen();
        runtime.checkMayWait("connect"); // before the SYN is queued: on the loop thread nothing starts
        socket.connect(remote, local);
        inputShutdown = false;
        outputShutdown = false;
        runtime.wake();
        try {
            awaitConnectedLocked(deadline, "connect to " + remote);
        } catch (SocketTimeoutException e) {
            socket.abort(); // as java.net.Socket: an attempt that timed out is abandoned
            runtime.wake();
            throw e;
        }
    }

    /**
     * Waits for a connection on {@code port} of every local address (passive open, without waiting): one
     * peer makes this socket its connection; {@link #awaitConnected} waits for it. Keep several listening
     * connections on a port to serve several peers at once.
     *
     * @throws IllegalStateException when the socket is already open
     * @throws SocketException when this connection was closed
     */
    public void listen(int port) throws SocketException {
        listen(new IpEndpoint(Ipv4Address.UNSPECIFIED, port));
    }

    /** Like {@link #listen(int)} on {@code local} (address 0.0.0.0 for every local address). */
    public void listen(IpEndpoint local) throws SocketException {
        runtime.lock();
        try {
            checkOpen();
            socket.listen(local);
            inputShutdown = false;
            outputShutdown = false;
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Waits until the connection opened by {@link #listen} or {@link #connect} is established (or has
     * already moved on to closing), or {@code timeout} passes (zero: no limit). A passive open whose
     * half-open connection is reset goes back to listening and this goes on waiting.
     *
     * @throws java.net.ConnectException when an active open is refused or its SYNs time out
     * @throws SocketTimeoutException when the timeout passes; the open goes on
     * @throws InterruptedIOException when interrupted; the open goes on
     * @throws SocketException when the socket was never opened, was closed, or the runtime stops
     */
    public void awaitConnected(Duration timeout) throws IOException {
        long deadline = deadlineAfter(timeoutNanos(timeout, "timeout"));
        runtime.lock();
        try {
            awaitConnectedLocked(deadline, "connection");
        } finally {
            runtime.unlock();
        }
    }

    private void awaitConnectedLocked(long deadline, String what) throws IOException {
        while (true) {
            checkOpen();
            runtime.checkNotStopping(); // before the state: a stop closes the sockets it finds opening
            TcpState state = socket.state();
            if (TcpFailures.opening(state)) {
                await(Wait.STATE, deadline, what);
            } else if (state == TcpState.CLOSED) {
                throw TcpFailures.notConnected(socket, what);
            } else {
                return; // established, or already past it
            }
        }
    }

    // ------------------------------------------------------------ data

    /**
     * Reads up to {@code len} bytes into {@code b} from {@code off}, waiting until at least one byte has
     * arrived (while the connection is still being opened too); returns how many, or -1 at the end of
     * the stream (the peer closed its direction and every byte before was read, or the input is shut
     * down). Waits no longer than {@link #readTimeout()}. Reading wakes the loop, so that the window it
     * opened reaches the peer.
     *
     * @throws SocketTimeoutException when the read timeout passes first (nothing was read; the connection stays usable)
     * @throws SocketException when the connection was reset, timed out or aborted, was closed, or the runtime stops
     * @throws InterruptedIOException when interrupted while waiting (nothing was read)
     */
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        runtime.lock();
        try {
            return readLocked(b, off, len);
        } finally {
            runtime.unlock();
        }
    }

    /** One byte as {@link #read(byte[], int, int)} reads it, 0..255, or -1 at the end: the input stream's. */
    int readByte() throws IOException {
        runtime.lock();
        try {
            int n = readLocked(oneIn, 0, 1);
            return n < 0 ? -1 : oneIn[0] & 0xff; // read before the lock goes: no other reader touched it
        } finally {
            runtime.unlock();
        }
    }

    /** The body of the reads: returns with the lock held, and with the bytes received in {@code b}. */
    private int readLocked(byte[] b, int off, int len) throws IOException {
        long deadline = readTimeout.deadline();
        while (true) {
            checkOpen();
            int n = socket.recv(b, off, len);
            if (n > 0) {
                runtime.wake(); // the window may have opened: the loop decides whether to tell the peer
                return n;
            }
            if (n < 0) {
                return endOfStream();
            }
            await(Wait.READ, deadline, "read");
        }
    }

    /**
     * Queues all {@code len} bytes of {@code b} from {@code off} for sending, waiting for room in the
     * transmit ring as the peer acknowledges (and, while the connection is being opened, for it to be
     * established). Returns when the last byte is queued, not when it is acknowledged. Waits no longer
     * than {@link #writeTimeout()} in all.
     *
     * @throws SocketTimeoutException when the write timeout passes first; its
     *     {@link InterruptedIOException#bytesTransferred} says how many bytes were queued
     * @throws InterruptedIOException when interrupted while waiting, with {@code bytesTransferred} likewise
     * @throws SocketException when the connection was reset or timed out, its output is shut down, it was
     *     closed, or the runtime stops
     */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        writeBytes(b, off, len, -1);
    }

    /** One byte as {@link #write(byte[], int, int)} queues it: the output stream's. */
    void writeByte(int value) throws IOException {
        writeBytes(oneOut, 0, 1, value & 0xff);
    }

    /**
     * The body of the writes; {@code single} is -1, or a byte to put in {@code b[off]} before each attempt
     * (another thread's single byte may have taken the shared array while this one waited).
     */
    private void writeBytes(byte[] b, int off, int len, int single) throws IOException {
        long deadline = writeTimeout.deadline();
        int done = 0;
        runtime.lock();
        try {
            while (done < len) {
                checkOpen();
                runtime.checkNotStopping();
                TcpState state = socket.state();
                if (!outputShutdown && (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT)) {
                    if (single >= 0) {
                        b[off] = (byte) single;
                    }
                    int n = socket.send(b, off + done, len - done);
                    if (n > 0) {
                        done += n;
                        runtime.wake();
                        continue;
                    }
                } else if (outputShutdown || !TcpFailures.opening(state)) {
                    throw TcpFailures.cannotSend(socket, outputShutdown);
                }
                try {
                    await(Wait.WRITE, deadline, "write");
                } catch (InterruptedIOException e) {
                    e.bytesTransferred = done;
                    throw e;
                }
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Reads what has arrived without waiting: up to {@code len} bytes into {@code b} from {@code off};
     * returns how many, 0 when nothing has arrived (or the connection is still being opened), -1 at the end
     * of the stream. For readiness callbacks and threads serving many connections.
     *
     * @throws SocketException when the connection was reset, timed out or aborted, was closed, or the
     *     runtime stopped and nothing is left to read
     */
    public int tryRead(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        runtime.lock();
        try {
            checkOpen();
            int n = socket.recv(b, off, len);
            if (n > 0) {
                runtime.wake();
                return n;
            }
            if (n < 0) {
                return endOfStream();
            }
            if (runtime.isStopping()) {
                throw new SocketException("runtime stopped");
            }
            return 0;
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Queues what fits of {@code len} bytes of {@code b} from {@code off} without waiting; returns how many
     * were queued, 0 when the transmit ring is full or the connection is still being opened. For readiness
     * callbacks and threads serving many connections.
     *
     * @throws SocketException as {@link #write}
     */
    public int tryWrite(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        runtime.lock();
        try {
            checkOpen();
            runtime.checkNotStopping();
            TcpState state = socket.state();
            if (!outputShutdown && (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT)) {
                int n = socket.send(b, off, len);
                if (n > 0) {
                    runtime.wake();
                }
                return n;
            }
            if (outputShutdown || !TcpFailures.opening(state)) {
                throw TcpFailures.cannotSend(socket, outputShutdown);
            }
            return 0;
        } finally {
            runtime.unlock();
        }
    }

    /**
     * What a read returns when the socket says the stream is over: -1, or the failure that ended it.
     * Lock held.
     */
    private int endOfStream() throws SocketException {
        if (!inputShutdown && TcpFailures.endedAbnormally(socket)) {
            runtime.checkNotStopping(); // the runtime's own abort reads as its stop
            throw TcpFailures.ended(socket);
        }
        if (!inputShutdown && socket.state() == TcpState.CLOSED && socket.closeReason() == TcpCloseReason.NONE) {
            throw TcpFailures.ended(socket); // never opened: not connected
        }
        return -1;
    }

    /** Returns how many received bytes can be read without blocking. */
    public int available() {
        runtime.lock();
        try {
            return released() || inputShutdown ? 0 : socket.recvQueue();
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Returns the input stream of this connection, the same object at every call: {@code read} as
     * {@link #read} (-1 at the end of the stream), {@code available} as {@link #available}, {@code close} as
     * {@link #shutdownInput}. Safe from any thread, as the connection.
     */
    public InputStream inputStream() {
        return input;
    }

    /**
     * Returns the output stream of this connection, the same object at every call: {@code write} as
     * {@link #write} (it returns once every byte is queued); {@code flush} does nothing, because every
     * write already woke the loop, which sends as the peer's window allows; {@code close} as
     * {@link #shutdownOutput} (a FIN after the queued data; the connection still reads). Safe from any
     * thread, as the connection.
     */
    public OutputStream outputStream() {
        return output;
    }

    // ------------------------------------------------------------ closing

    /**
     * Closes the sending direction without waiting: a FIN follows the queued data (in SYN-RECEIVED, once
     * the handshake completes), and reading goes on until the peer closes its own. Writes fail from now
     * on. Does nothing when the output is already shut down, the connection has ended, or it was closed.
     *
     * @throws SocketException "not connected" while listening or before the peer answered the SYN
     */
    public void shutdownOutput() throws SocketException {
        runtime.lock();
        try {
            if (outputShutdown || released()) {
                return;
            }
            TcpState state = socket.state();
            if (state == TcpState.LISTEN || state == TcpState.SYN_SENT) {
                throw new SocketException("not connected (state " + state + ")");
            }
            outputShutdown = true;
            socket.close(); // does nothing once the connection has ended
            runtime.wake();
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Stops reading: what waits is discarded, what arrives later too, and reads return -1. Never blocks;
     * does nothing once closed.
     */
    public void shutdownInput() {
        runtime.lock();
        try {
            if (!released()) {
                inputShutdown = true;
                socket.shutdownInput();
                runtime.wake();
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Closes gracefully with the connection's {@link #linger()} (by default the runtime's), as
     * {@link #close(Duration)}. For try-with-resources.
     */
    @Override
    public void close() throws IOException {
        close(linger.get());
    }

    /**
     * Closes the connection gracefully: shuts down both directions (a FIN after the queued data; what
     * arrives is discarded), then waits up to {@code linger} for the peer to acknowledge everything and
     * the FIN; if it has not by then, aborts (RST). Zero aborts at once. Returns true when the close was
     * graceful, false when it aborted. The connection is released either way: later calls fail with
     * "socket closed", and the socket leaves the runtime's set once it is CLOSED (after TIME-WAIT, or the
     * FIN-WAIT-2 timeout). Closing again returns the first answer. On the loop thread (in a callback) it
     * does not wait: the FIN exchange goes on and ends by itself. When the runtime stops meanwhile it
     * returns false (the runtime aborts what remains).
     *
     * @throws InterruptedIOException when interrupted while lingering: both directions are shut down, the
     *     connection is not released, and close may be called again
     * @throws IllegalArgumentException when {@code linger} is null or negative
     */
    public boolean close(Duration linger) throws IOException {
        long lingerFor = timeoutNanos(linger, "linger");
        long deadline = System.nanoTime() + lingerFor;
        runtime.lock();
        try {
            if (released()) {
                return closedGracefully;
            }
            if (lingerFor == 0) {
                return abortLocked();
            }
            inputShutdown = true;
            outputShutdown = true;
            socket.shutdownInput();
            socket.close();
            runtime.wake();
            if (runtime.isLoopThread()) {
                closedGracefully = !TcpFailures.endedAbnormally(socket);
                release();
                return closedGracefully;
            }
            while (true) {
                TcpState state = socket.state();
                if (state == TcpState.FIN_WAIT_2 || state == TcpState.TIME_WAIT || state == TcpState.CLOSED) {
                    closedGracefully = !TcpFailures.endedAbnormally(socket); // all we sent was acknowledged
                    release();
                    return closedGracefully;
                }
                if (runtime.isStopping() || System.nanoTime() - deadline >= 0) {
                    return abortLocked();
                }
                try {
                    await(Wait.STATE, deadline, "close");
                } catch (SocketTimeoutException | SocketException lingerOverOrStopping) {
                    // looked at again above: the linger is over, or the runtime stops
                }
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Ends the connection at once: queued data is discarded, an RST goes to the peer at the next poll,
     * and the connection is released. Never blocks; does nothing once closed.
     */
    public void abort() {
        runtime.lock();
        try {
            if (!released()) {
                abortLocked();
            }
        } finally {
            runtime.unlock();
        }
    }

    private boolean abortLocked() {
        socket.abort();
        runtime.wake();
        closedGracefully = false;
        release();
        return false;
    }

    // ------------------------------------------------------------ settings and state

    /** Sets how long a read waits at most; zero (the default) waits without limit. Returns this. */
    public TcpConnection readTimeout(Duration timeout) {
        readTimeout.set(timeout);
        return this;
    }

    /** Returns how long a read waits at most; zero for no limit. */
    public Duration readTimeout() {
        return readTimeout.get();
    }

    /** Sets how long a write waits at most in all; zero (the default) waits without limit. Returns this. */
    public TcpConnection writeTimeout(Duration timeout) {
        writeTimeout.set(timeout);
        return this;
    }

    /** Returns how long a write waits at most; zero for no limit. */
    public Duration writeTimeout() {
        return writeTimeout.get();
    }

    /** Sets how long {@link #close()} lingers before it aborts; zero aborts at once. Returns this. */
    public TcpConnection linger(Duration linger) {
        this.linger.set(linger);
        return this;
    }

    /** Returns how long {@link #close()} lingers; by default the runtime's linger. */
    public Duration linger() {
        return linger.get();
    }

    /** Returns the TCP state now. */
    public TcpState state() {
        return withSocket(TcpSocket::state);
    }

    /** Returns why the connection ended, {@link TcpCloseReason#NONE} while it lives. */
    public TcpCloseReason closeReason() {
        return withSocket(TcpSocket::closeReason);
    }

    /** Returns the local endpoint, or null when never opened. */
    public IpEndpoint localEndpoint() {
        return withSocket(TcpSocket::localEndpoint);
    }

    /** Returns the remote endpoint, or null when there is none. */
    public IpEndpoint remoteEndpoint() {
        return withSocket(TcpSocket::remoteEndpoint);
    }

    /**
     * Runs {@code action} on the socket with the runtime's lock held, and wakes the loop afterwards (the
     * action may have made work): for what this class does not offer (counters, TCP settings). The action
     * must not keep the socket, nor block.
     */
    public <T> T withSocket(Function<? super TcpSocket, ? extends T> action) {
        return runtime.withLock(socket, action);
    }

    // ------------------------------------------------------------ RuntimeSocket, lock held

    @Override
    boolean readable() {
        if (released() || inputShutdown || socket.canRecv()) {
            return true;
        }
        return switch (socket.state()) {
            case LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> false;
            default -> true; // the peer closed, or the connection ended: a read returns at once
        };
    }

    @Override
    boolean writable() {
        if (released() || outputShutdown) {
            return true;
        }
        return switch (socket.state()) {
            case LISTEN, SYN_SENT, SYN_RECEIVED -> false;
            case ESTABLISHED, CLOSE_WAIT -> socket.canSend();
            default -> true; // a write fails at once
        };
    }

    /**
     * A blocked writer is woken when half the transmit ring is free (or the write would fail, or the
     * connection is not established): waking it for every acknowledgement of a segment or two would cost
     * a thread hand-off per segment, while half a ring lets it copy a large piece and the loop send on
     * from the other half meanwhile.
     */
    @Override
    boolean writableForWaiters() {
        if (released() || outputShutdown || !socket.maySend()) {
            return writable();
        }
        return socket.sendCapacity() - socket.sendQueue() >= (socket.sendCapacity() + 1) / 2;
    }

    @Override
    int stateMark() {
        return socket.state().ordinal();
    }

    @Override
    boolean mayLeaveSet() {
        return socket.state() == TcpState.CLOSED;
    }

    @Override
    String describe() {
        return socket.toString();
    }

    /** The local port of the socket, 0 when never opened. Lock held. */
    int localPortLocked() {
        IpEndpoint local = socket.localEndpoint();
        return local == null ? 0 : local.port();
    }
}
