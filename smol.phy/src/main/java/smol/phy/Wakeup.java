package smol.phy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The runtime's wake-up: any thread {@link #post()}s it to make the runtime's loop poll again, and the
 * loop hands it to every {@link Device#await} so that the device's wait ends on a post too.
 *
 * <p>It belongs to the runtime, not to a device: one per interface loop, made with the loop and kept
 * for its whole life, across every device attached, detached or replaced. So a post is never lost: a
 * post with no wait armed stays pending, and the next wait, on whatever device or on none
 * ({@link #await(long)}), returns at once.
 *
 * <p>How a wait uses it (what {@link Device#await} implementations do; see the package description):
 * <ol>
 *   <li>{@link #arm(Signal)} with the device's own way of ending its wait (unparking the waiting
 *       thread, writing to an eventfd). It returns false when a post is pending: the wait returns at
 *       once.</li>
 *   <li>Block until the device has news, the timeout passes, or the signal fires.</li>
 *   <li>{@link #disarm()}, always (in a {@code finally}).</li>
 * </ol>
 * A post publishes itself and then reads the armed signal, and {@code arm} publishes the signal and
 * then reads the post, so at least one of them sees the other: either the post fires the signal or
 * the wait sees the post.
 *
 * <p>A returning wait consumes the pending post, whatever ended it: the runtime polls after every
 * wait, and that poll serves every post made before it. One thread waits at a time (the runtime's
 * loop); {@link #post()} is safe from any thread. Nothing is allocated by a post or a wait.
 */
public final class Wakeup {

    /**
     * How a device ends its wait when the wake-up is posted: armed for the length of one wait.
     * {@link #signal()} may run on any thread, concurrently with the wait and also just after
     * {@link Wakeup#disarm()} (a post that read the signal before it was disarmed), even after the
     * device was closed: it must be harmless then (an extra early return is allowed; a write to a
     * closed descriptor is not).
     */
    @FunctionalInterface
    public interface Signal {
        /** Makes the current wait of the device that armed this signal return promptly. Never blocks. */
        void signal();
    }

    private final AtomicBoolean posted = new AtomicBoolean();
    private volatile Signal armed;
    /** What {@link #await(long)} parks on, when the runtime waits with no device. */
    private final Doorbell alone = new Doorbell();

    /** Creates a wake-up with no post pending. */
    public Wakeup() {}

    /**
     * Makes the current wait return promptly, or, when none is armed, the next one return at once.
     * Safe from any thread; never blocks; allocates nothing. Several posts before a wait count as one.
     */
    public void post() {
        posted.set(true);
        // Read after publishing the post: a wait arming meanwhile either sees the post or is seen here.
        Signal s = armed;
        if (s != null) {
            s.signal();
        }
    }

    /** Returns true while a post waits for a wait to consume it; a snapshot when read by another thread. */
    public boolean isPosted() {
        return posted.get();
    }

    /**
     * Arms {@code signal} for the wait about to block, and returns true; or, when a post is pending,
     * consumes it, arms nothing and returns false: the caller returns at once without blocking (and
     * without calling {@link #disarm()}). For {@link Device#await} implementations.
     *
     * @throws IllegalStateException when another wait is armed (only one thread waits at a time)
     * @throws NullPointerException when {@code signal} is null
     */
    public boolean arm(Signal signal) {
        if (signal == null) {
            throw new NullPointerException("signal");
        }
        if (armed != null) {
            throw new IllegalStateException("another wait is armed on this wake-up: " + armed);
        }
        armed = signal;
        // Re-check after publishing the signal: a post that came in between is seen here, and one that
        // comes later fires the signal.
        if (posted.getAndSet(false)) {
            armed = null;
            return false;
        }
        return true;
    }

    /**
     * Ends the wait armed by {@link #arm}: the signal is no longer fired, and a post made during the wait
     * is consumed (the poll after the wait serves it). For {@link Device#await} implementations.
     */
    public void disarm() {
        armed = null;
        // Read, not just cleared: reading the post orders what its poster did before it ahead of our poll.
        posted.getAndSet(false);
    }

    /**
     * Waits with no device: blocks until a post, or {@code timeoutMicros} pass (0: return at once;
     * negative: no limit). Returns at once when a post is pending, and consumes it. What a runtime calls
     * while no device is attached; a device's wait on the same wake-up ends the same way.
     *
     * @throws InterruptedException when the thread is interrupted before or during the wait
     */
    public void await(long timeoutMicros) throws InterruptedException {
        alone.await(this, timeoutMicros, null, null);
    }

    @Override
    public String toString() {
        return "wakeup(" + (posted.get() ? "posted" : "idle") + (armed != null ? ", armed" : "") + ")";
    }
}
