package smol.phy;

import java.util.concurrent.locks.LockSupport;

/**
 * The thread waiting on one in-memory device (or on a {@link Wakeup} alone), and how to end its wait:
 * the blocking part of {@link InMemoryDevice#await} and {@link Wakeup#await(long)}. As a
 * {@link Wakeup.Signal} it is armed on the runtime's wake-up for the length of a wait; the queues ring
 * it when a frame arrives ({@link #frameArrived()}) or a slot frees up ({@link #roomMade()}).
 *
 * <p>Allocation-free: the waiting thread parks with {@link LockSupport}. The waiter publishes itself and
 * then re-checks its conditions, while a ringer publishes its news (a frame, a free slot, a post) and
 * then reads the waiter; both sides use volatile accesses, so at least one of them sees the other and
 * no wake-up is lost. An unpark that comes after the wait ended leaves a permit behind, which makes a
 * later wait return early: allowed, since every wait may.
 */
final class Doorbell implements Wakeup.Signal {
    private volatile Thread waiter;
    /** True while the waiter also waits for room in a full queue: only then does a freed slot wake it. */
    private volatile boolean wantsRoom;

    /** Ends the current wait: the wake-up was posted. Safe from any thread. */
    @Override
    public void signal() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Ends the current wait: a frame was just queued for the waiter. Called by the producer. */
    void frameArrived() {
        signal();
    }

    /** Ends the current wait if it waits for room: a slot was just freed. Called by the consumer. */
    void roomMade() {
        if (wantsRoom) {
            signal();
        }
    }

    /**
     * Parks the calling thread until {@code readable} holds a frame (when given), {@code writable} has a
     * free slot (when given), {@code wakeup} is posted, or {@code timeoutMicros} pass (0: return at once;
     * negative: no limit). May return early. Consumes the wake-up's pending post.
     *
     * @param readable the queue whose frames end the wait, or null
     * @param writable the full queue whose freed slot ends the wait, or null
     * @throws InterruptedException when the thread is interrupted before or during the wait
     */
    void await(Wakeup wakeup, long timeoutMicros, FrameQueue readable, FrameQueue writable)
            throws InterruptedException {
        if (wakeup == null) {
            throw new NullPointerException("wakeup");
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        waiter = Thread.currentThread();
        wantsRoom = writable != null;
        try {
            if (wakeup.arm(this)) {
                try {
                    // Re-check after publishing ourselves: news that came in between is seen here, and news
                    // that comes later unparks us (an unpark before the park makes the park return).
                    if (timeoutMicros != 0 && (readable == null || readable.isEmpty())
                            && (writable == null || writable.isFull())) {
                        park(timeoutMicros);
                    }
                } finally {
                    wakeup.disarm();
                }
            }
        } finally {
            wantsRoom = false;
            waiter = null;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    private void park(long timeoutMicros) {
        if (timeoutMicros < 0 || timeoutMicros > Long.MAX_VALUE / 1000) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, timeoutMicros * 1000);
        }
    }
}
