package smol.phy;

import java.util.concurrent.locks.LockSupport;

/**
 * Lets one thread wait for traffic or a wake-up, and any other thread end that wait: the blocking part
 * of {@link Device#await} and {@link Device#wakeUp()} shared by the in-memory devices and the wrappers.
 *
 * <p>Allocation-free: a waiting thread parks with {@link LockSupport}. The waiter publishes itself and
 * then re-checks its condition, while a signaller publishes its news (a frame, or {@link #ring()}) and
 * then reads the waiter; both sides use volatile accesses, so at least one of them sees the other and
 * no wake-up is lost.
 */
final class Doorbell {
    private volatile boolean rung;
    private volatile Thread waiter;

    /** Makes the current or the next {@link #await} return promptly. Safe from any thread. */
    void ring() {
        rung = true;
        unparkWaiter();
    }

    /**
     * Unparks a waiting thread without leaving a wake-up behind: for a producer that has just made
     * {@code frames} non-empty, which the waiter checks itself.
     */
    void unparkWaiter() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Parks the calling thread until {@code frames} holds a frame (when given), {@link #ring()} is called,
     * or {@code timeoutMicros} pass (0: return at once; negative: no limit). May return early.
     *
     * @param frames the queue whose frames end the wait, or null to wait for a ring or the timeout only
     * @throws InterruptedException when the thread is interrupted before or during the wait
     */
    void await(long timeoutMicros, FrameQueue frames) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (timeoutMicros == 0) {
            return;
        }
        if (!rung && (frames == null || frames.isEmpty())) {
            waiter = Thread.currentThread();
            try {
                // Re-check after publishing ourselves: a frame or ring that came in between is seen here,
                // and one that comes later unparks us (an unpark before the park makes the park return).
                if (!rung && (frames == null || frames.isEmpty())) {
                    if (timeoutMicros < 0 || timeoutMicros > Long.MAX_VALUE / 1000) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, timeoutMicros * 1000);
                    }
                }
            } finally {
                waiter = null;
            }
        }
        // A ring is consumed by the wait it ended (or by this one, which returns at once anyway).
        rung = false;
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
