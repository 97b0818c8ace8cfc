package smol.iface;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads blocked in calls on one socket or server of an {@link InterfaceRuntime}, and their wake-up.
 *
 * <p>A blocked call registers its thread, releases the runtime's lock and parks until {@link #wake} moves
 * this set's epoch on, its deadline passes or it is interrupted; then it takes the lock again and its
 * caller checks its condition again. Unlike a {@link java.util.concurrent.locks.Condition}, a wake on the
 * loop thread does not unpark anyone while the loop still holds the lock: the threads are handed to the
 * runtime, which unparks them once the loop has released it ({@link InterfaceRuntime#unparkDeferred}). A
 * thread woken by a condition would run straight into the held lock and park a second time, on the lock:
 * two thread hand-offs per wake-up instead of one, and the hand-offs bound the threaded path.
 *
 * <p>Guarded by the runtime's lock, except {@link #epoch}, which the parked threads read without it.
 */
final class Waiters {
    private final InterfaceRuntime runtime;
    private Thread[] threads = new Thread[2];
    private int count;
    /** Moved on by every wake; written under the lock, read by parked threads without it. */
    private volatile long epoch;

    Waiters(InterfaceRuntime runtime) {
        this.runtime = runtime;
    }

    /** True when a thread is blocked here. Lock held. */
    boolean any() {
        return count > 0;
    }

    /**
     * Wakes every thread blocked here: each takes the lock again and checks its condition. On the loop
     * thread the unparks wait until the loop releases the lock; elsewhere they happen now. Lock held.
     */
    void wake() {
        if (count == 0) {
            return;
        }
        epoch++;
        boolean onLoop = runtime.isLoopThread();
        for (int i = 0; i < count; i++) {
            if (onLoop) {
                runtime.deferUnpark(threads[i]);
            } else {
                LockSupport.unpark(threads[i]);
            }
        }
    }

    /**
     * Blocks until {@link #wake}, the deadline (on {@link System#nanoTime}'s clock, or
     * {@link RuntimeSocket#NO_DEADLINE}) or an interrupt, with the lock released meanwhile; returns with it
     * held again. A return is no promise that the condition holds: the caller checks again. Lock held.
     *
     * @param what the call, for messages: e.g. "read"
     * @throws SocketTimeoutException when the deadline has passed already (a wait that outlasts it
     *     returns, and the caller's next turn throws)
     * @throws InterruptedIOException when the thread is interrupted, before or during the wait (its
     *     interrupt status kept)
     */
    void await(long deadline, String what) throws SocketTimeoutException, InterruptedIOException {
        if (RuntimeSocket.nanosLeft(deadline) <= 0) {
            throw new SocketTimeoutException(what + " timed out");
        }
        Thread me = Thread.currentThread();
        if (me.isInterrupted()) {
            throw new InterruptedIOException(what + " interrupted");
        }
        add(me);
        long seen = epoch;
        runtime.unlock();
        try {
            while (epoch == seen && !me.isInterrupted()) {
                long left = RuntimeSocket.nanosLeft(deadline);
                if (left <= 0) {
                    break;
                }
                if (left == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, left);
                }
            }
        } finally {
            runtime.lock();
            remove(me);
        }
        if (me.isInterrupted()) {
            throw new InterruptedIOException(what + " interrupted");
        }
    }

    private void add(Thread thread) {
        if (count == threads.length) {
            threads = Arrays.copyOf(threads, count * 2); // on the waiting thread, not the loop
        }
        threads[count++] = thread;
        runtime.waiterAdded();
    }

    private void remove(Thread thread) {
        for (int i = 0; i < count; i++) {
            if (threads[i] == thread) {
                threads[i] = threads[--count];
                threads[count] = null;
                runtime.waiterRemoved();
                return;
            }
        }
    }
}
