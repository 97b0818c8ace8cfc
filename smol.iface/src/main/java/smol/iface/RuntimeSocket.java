package smol.iface;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import smol.socket.SocketHandle;

/**
 * A socket of an {@link InterfaceRuntime}'s set as application threads use it: every operation takes the
 * runtime's lock, calls the socket, wakes the loop when it made work, and releases the lock. What is
 * common to {@link TcpConnection}, {@link UdpEndpoint} and {@link IcmpEndpoint}: the handle, readiness,
 * one-shot readiness callbacks, and the waiting of the blocking calls.
 *
 * <p><b>Thread-safety.</b> Every method is safe from any thread. Blocking calls park until the loop
 * wakes them after a poll that made the socket ready for them ({@link Waiters}); they release the
 * runtime's lock while they wait, so the loop and other threads go on. A blocking call on the loop
 * thread (in a callback) that would have to wait throws {@link IllegalStateException} instead of waiting
 * for itself.
 *
 * <p><b>Readiness callbacks.</b> {@link #whenReadable} and {@link #whenWritable} arm a callback that runs
 * once, on the loop thread, after the first poll at which the socket is ready for it (at once after the
 * next poll when it already is); then it is disarmed, and the application arms it again when it wants to
 * hear more. So one application thread can serve many sockets: the callbacks hand the ready sockets to
 * it, it reads or writes without blocking until a call would block, then arms again. A callback runs
 * with the runtime's lock held and must not block: the loop measures it, and one that runs longer than
 * the threshold is counted and reported with its socket ({@link RuntimeListener#callbackSlow}); one that
 * throws is caught, counted and reported ({@link RuntimeListener#callbackFailed}). Non-blocking calls on
 * any socket of the runtime are allowed in a callback.
 *
 * <p><b>Interrupts.</b> A thread interrupted while it waits in a blocking call (or that was interrupted
 * before it had to wait) ends the call with {@link InterruptedIOException}, keeps its interrupt status,
 * and leaves the socket as it was: the call may be made again.
 *
 * <p><b>Closing.</b> {@code close()} releases the socket: it leaves the runtime's set once it has nothing
 * more to do (a TCP connection when it is CLOSED, after its FIN exchange and TIME-WAIT), and every later
 * call fails with {@link SocketException} ("socket closed"). When the runtime stops, every call that
 * would wait fails with {@link SocketException} ("runtime stopped").
 */
public abstract sealed class RuntimeSocket implements Closeable permits TcpConnection, UdpEndpoint, IcmpEndpoint {
    /** A deadline that never passes: the blocking call waits without limit. */
    static final long NO_DEADLINE = Long.MIN_VALUE;

    /** What a blocking call waits for: the loop signals only the waiters whose condition holds. */
    enum Wait {
        /** A read would not block. */
        READ,
        /** A write would not block. */
        WRITE,
        /** The socket's state changed. */
        STATE
    }

    final InterfaceRuntime runtime;
    private final SocketHandle handle;
    private final Waiters blocked;
    // Guarded by the runtime's lock.
    private final int[] waiting = new int[Wait.values().length];
    private int seenState;
    private Runnable whenReadable;
    private Runnable whenWritable;
    private boolean released;
    /** What later calls say once released: the application closed it, or its owner's sockets were closed. */
    private String closedMessage = "socket closed";

    RuntimeSocket(InterfaceRuntime runtime, SocketHandle handle) {
        this.runtime = runtime;
        this.handle = handle;
        this.blocked = new Waiters(runtime);
    }

    /** Returns the handle of the socket in the runtime's set; constant. */
    public final SocketHandle handle() {
        return handle;
    }

    /** Returns the runtime whose loop polls this socket; constant. */
    public final InterfaceRuntime runtime() {
        return runtime;
    }

    /**
     * Arms {@code callback} to run once, on the loop thread, as soon as a read would not block (data, the
     * end of the stream, or a failure to report), replacing the callback armed before; null disarms. The
     * callback must not block (see the class description). Safe from any thread, callbacks included.
     */
    public final void whenReadable(Runnable callback) {
        runtime.lock();
        try {
            whenReadable = released ? null : callback;
            if (whenReadable != null && readable()) {
                runtime.wake(); // ready already: the next poll comes at once and runs it
            }
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Arms {@code callback} to run once, on the loop thread, as soon as a write would not block (room to
     * queue data, or a failure to report), replacing the callback armed before; null disarms. The callback
     * must not block. Safe from any thread, callbacks included.
     */
    public final void whenWritable(Runnable callback) {
        runtime.lock();
        try {
            whenWritable = released ? null : callback;
            if (whenWritable != null && writable()) {
                runtime.wake();
            }
        } finally {
            runtime.unlock();
        }
    }

    /** Returns true when a read would not block now (it would return data, the end, or throw). */
    public final boolean isReadable() {
        runtime.lock();
        try {
            return readable();
        } finally {
            runtime.unlock();
        }
    }

    /** Returns true when a write would not block now (it would queue data, or throw). */
    public final boolean isWritable() {
        runtime.lock();
        try {
            return writable();
        } finally {
            runtime.unlock();
        }
    }

    /** Returns true once the application closed (released) this socket, or the runtime stopped. */
    public final boolean isClosed() {
        runtime.lock();
        try {
            return released;
        } finally {
            runtime.unlock();
        }
    }

    /**
     * Closes the socket (as each kind describes) and releases it: it leaves the runtime's set once it
     * has nothing more to do, and later calls fail with "socket closed". Closing again does nothing.
     */
    @Override
    public abstract void close() throws IOException;

    /** Returns the socket's state in one line, with its handle; takes the lock. */
    @Override
    public final String toString() {
        runtime.lock();
        try {
            return describe() + " (" + handle + (released ? ", closed" : "") + ")";
        } finally {
            runtime.unlock();
        }
    }

    // ------------------------------------------------------------ what each kind says, lock held

    /** True when a read would not block. Lock held. */
    abstract boolean readable();

    /** True when a write would not block. Lock held. */
    abstract boolean writable();

    /**
     * True when a blocked writer should be woken: by default {@link #writable()}. A kind that can tell
     * "room for a little" from "room worth waking for" waits for the latter, so that a writer streaming
     * data copies large pieces per wake-up instead of a wake-up per acknowledgement. Lock held.
     */
    boolean writableForWaiters() {
        return writable();
    }

    /** A number that changes when the socket's state does (for {@link Wait#STATE}). Lock held. */
    abstract int stateMark();

    /** True when a released socket may leave the set now. Lock held. */
    abstract boolean mayLeaveSet();

    /** The socket in one line. Lock held. */
    abstract String describe();

    // ------------------------------------------------------------ for the loop, lock held

    /** Wakes the waiters whose condition now holds. Called after every poll. */
    final void afterPoll() {
        int state = stateMark();
        boolean stateChanged = state != seenState;
        seenState = state;
        if (waiting[Wait.READ.ordinal()] > 0 && readable()
                || waiting[Wait.WRITE.ordinal()] > 0 && writableForWaiters()
                || waiting[Wait.STATE.ordinal()] > 0 && stateChanged) {
            blocked.wake();
        }
    }

    /** Runs the armed callbacks whose condition holds, disarming each first. Called after every poll. */
    final void runDueCallbacks() {
        if (whenReadable != null && readable()) {
            Runnable callback = whenReadable;
            whenReadable = null;
            runtime.runCallback(this, callback);
        }
        if (whenWritable != null && writable()) {
            Runnable callback = whenWritable;
            whenWritable = null;
            runtime.runCallback(this, callback);
        }
    }

    /** Ends every wait on this socket: its waiters look again and find the runtime stopping, or the socket closed. */
    final void wakeAll() {
        blocked.wake();
    }

    /** True once released. Lock held. */
    final boolean released() {
        return released;
    }

    /** Marks the socket closed by the application: callbacks disarmed, waiters woken. Lock held. */
    final void release() {
        release("socket closed");
    }

    /**
     * Marks the socket closed, for the reason later calls give ({@code message}, e.g. that its owner's
     * sockets were closed): callbacks disarmed, waiters woken. Lock held.
     */
    final void release(String message) {
        if (!released) {
            closedMessage = message;
        }
        released = true;
        whenReadable = null;
        whenWritable = null;
        blocked.wake();
    }

    // ------------------------------------------------------------ for the blocking calls, lock held

    /** Throws "socket closed" (or why it was closed for the application) once released. Lock held. */
    final void checkOpen() throws SocketException {
        if (released) {
            throw new SocketException(closedMessage);
        }
    }

    /**
     * Waits until the loop signals that the {@code kind} condition may hold, the deadline passes, or the
     * runtime stops; the caller checks again after it returns. Lock held (released while waiting).
     *
     * @param what the call, for messages: e.g. "read"
     * @throws SocketTimeoutException when the deadline has passed
     * @throws InterruptedIOException when the thread is interrupted (its interrupt status kept)
     * @throws SocketException when the socket is closed or the runtime stops
     * @throws IllegalStateException on the loop thread
     */
    final void await(Wait kind, long deadline, String what) throws IOException {
        checkOpen();
        runtime.checkMayWait(what);
        waiting[kind.ordinal()]++;
        try {
            blocked.await(deadline, what);
        } finally {
            waiting[kind.ordinal()]--;
        }
    }

    /** Returns the deadline {@code timeoutNanos} from now, or {@link #NO_DEADLINE} for 0 (no limit). */
    static long deadlineAfter(long timeoutNanos) {
        return timeoutNanos == 0 ? NO_DEADLINE : System.nanoTime() + timeoutNanos;
    }

    /** Returns the nanoseconds left before {@code deadline}, {@link Long#MAX_VALUE} for none. */
    static long nanosLeft(long deadline) {
        return deadline == NO_DEADLINE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    /**
     * Returns {@code timeout} in nanoseconds, 0 meaning no limit.
     *
     * @throws IllegalArgumentException when it is null or negative
     */
    static long timeoutNanos(Duration timeout, String what) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero (no limit) or positive: " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return 0; // beyond 292 years: no limit
        }
    }

    /**
     * A blocking call's timeout as the application sets it, from any thread: zero for no limit. One per
     * setting (a connection's read, write and linger, an endpoint's send and receive, a server's accept),
     * so that each setter and getter is one line and validates alike.
     */
    static final class Timeout {
        private final String what;
        private volatile long nanos;

        /** A timeout named {@code what} for messages (e.g. "read timeout"), {@code nanos} to start with. */
        Timeout(String what, long nanos) {
            this.what = what;
            this.nanos = nanos;
        }

        /**
         * Sets it; zero means no limit.
         *
         * @throws IllegalArgumentException when null or negative
         */
        void set(Duration timeout) {
            nanos = timeoutNanos(timeout, what);
        }

        /** Returns it; zero for no limit. */
        Duration get() {
            return Duration.ofNanos(nanos);
        }

        /** Returns the deadline it sets for a call that begins now ({@link #NO_DEADLINE} for no limit). */
        long deadline() {
            return deadlineAfter(nanos);
        }
    }
}
