package smol.iface;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import smol.socket.SocketHandle;
import smol.socket.TcpListener;
import smol.wire.IpEndpoint;

/**
 * A TCP listener with a backlog ({@link TcpListener}) of an {@link InterfaceRuntime}, usable from any
 * thread, as {@link java.net.ServerSocket}: {@link #accept} waits for a connection that completed its
 * handshake and hands it over as a {@link TcpConnection} of its own; the server keeps listening. Made by
 * {@link InterfaceRuntime#listen}.
 *
 * <p>The accept timeout, {@link Duration#ZERO} (no limit) by default, is wall-clock time, as
 * {@link java.net.ServerSocket#setSoTimeout}. A timeout throws {@link SocketTimeoutException}, an interrupt
 * {@link InterruptedIOException} (the interrupt status kept); the server stays usable after both. A
 * stop of the runtime, or {@link #close}, ends every waiting accept at once with a
 * {@link SocketException}.
 *
 * <p>Thread-safety: every method is safe from any thread; several threads may accept at once (each
 * connection goes to one of them).
 */
public final class TcpServer implements AutoCloseable {
    private final InterfaceRuntime runtime;
    private final TcpListener listener;
    private final Waiters pending;
    private final RuntimeSocket.Timeout acceptTimeout = new RuntimeSocket.Timeout("accept timeout", 0);
    private boolean closed;

    TcpServer(InterfaceRuntime runtime, TcpListener listener) {
        this.runtime = runtime;
        this.listener = listener;
        this.pending = new Waiters(runtime);
    }

    /**
     * Waits up to {@link #acceptTimeout()} for a connection that completed its handshake, and returns it
     * as a connection of its own; the oldest first.
     *
     * @throws SocketTimeoutException when none came before the timeout
     * @throws InterruptedIOException when interrupted while waiting
     * @throws SocketException when the server is closed, or the runtime stops
     * @throws IllegalStateException when the socket set has no free slot for the listener's next reserve
     *     socket (the connection stays queued), or when called on the runtime's loop thread with nothing
     *     to accept
     */
    public TcpConnection accept() throws IOException {
        long deadline = acceptTimeout.deadline();
        runtime.lock();
        try {
            while (true) {
                TcpConnection connection = acceptNow();
                if (connection != null) {
                    return connection;
                }
                runtime.checkMayWait("accept");
                pending.await(deadline, "accept");
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Returns a connection that completed its handshake, without waiting, or null when none did.
     *
     * @throws SocketException when the server is closed, or the runtime stopped
     * @throws IllegalStateException as {@link #accept}, for a full set
     */
    public TcpConnection tryAccept() throws SocketException {
        runtime.lock();
        try {
            return acceptNow();
        } finally {
            runtime.unlock();
        }
    }

    private TcpConnection acceptNow() throws SocketException {
        if (closed) {
            throw new SocketException("server closed");
        }
        runtime.checkNotStopping();
        SocketHandle handle = listener.accept(); // refills the reserve: allocates, on this thread
        if (handle == null) {
            return null;
        }
        runtime.wake();
        return runtime.tcp(handle);
    }

    /** Returns the owner of the server's connections (its scope's), or null for the runtime's own. */
    String owner() {
        return listener.owner();
    }

    /** Sets how long an accept waits at most; zero (the default) waits without limit. Returns this. */
    public TcpServer acceptTimeout(Duration timeout) {
        acceptTimeout.set(timeout);
        return this;
    }

    /** Returns how long an accept waits at most; zero for no limit. */
    public Duration acceptTimeout() {
        return acceptTimeout.get();
    }

    /** Returns the endpoint the server listens on; constant. */
    public IpEndpoint localEndpoint() {
        return listener.localEndpoint();
    }

    /** Returns how many connections may wait for {@link #accept} (half-open ones included); constant. */
    public int backlog() {
        return listener.backlog();
    }

    /** Returns how many connections completed their handshake and wait for {@link #accept}. */
    public int pending() {
        runtime.lock();
        try {
            return listener.pending();
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Stops listening: connections not accepted are reset and the reserve leaves the set (see
     * {@link TcpListener#close}); waiting accepts end with "server closed"; accepted connections are
     * untouched. Does nothing when already closed.
     */
    @Override
    public void close() {
        runtime.lock();
        try {
            if (!closed) {
                closed = true;
                listener.close();
                pending.wake();
                runtime.wake();
            }
        } finally {
            runtime.unlock();
        }
    }

    /** After a poll, lock held: wakes the accepts when a connection waits (or the runtime stops). */
    void afterPoll() {
        if (pending.any() && (closed || runtime.isStopping() || listener.pending() > 0)) {
            pending.wake();
        }
    }

    /** Returns true once {@link #close} was called (lock held). */
    boolean isClosed() {
        return closed;
    }

    /** The runtime stops, lock held: every waiting accept looks again and finds it stopping. */
    void wakeAll() {
        pending.wake();
    }

    /** Returns e.g. {@code TCP server on 0.0.0.0:6969 (2 of backlog 8 waiting)}; takes the lock. */
    @Override
    public String toString() {
        runtime.lock();
        try {
            return "TCP server on " + listener.localEndpoint() + " (" + listener.pending() + " of backlog "
                    + listener.backlog() + " waiting)";
        } finally {
            runtime.unlock();
        }
    }
}
