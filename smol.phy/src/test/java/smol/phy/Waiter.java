package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One wait run on a thread of its own, as a runtime's loop runs it: the test starts it, ends it from its
 * own thread, and checks that it ended. The waits a test gives it have no limit (or hours), so that only
 * the event under test can end them; the 30 s bounds here only keep a failing test from hanging.
 */
final class Waiter {
    private static final long GUARD_MILLIS = 30_000;

    /** A wait to run. */
    interface Wait {
        void run() throws InterruptedException;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failed = new AtomicReference<>();

    private Waiter(Wait wait) {
        this.thread = new Thread(() -> {
            try {
                wait.run();
            } catch (Throwable t) {
                failed.set(t);
            }
        }, "waiter");
        thread.setDaemon(true);
    }

    /** Starts {@code wait} on a new thread. */
    static Waiter start(Wait wait) {
        Waiter waiter = new Waiter(wait);
        waiter.thread.start();
        return waiter;
    }

    /** Returns once the thread is parked in its wait (fails after 30 s): what the test does next comes during the wait. */
    Waiter parked() {
        long deadline = System.nanoTime() + GUARD_MILLIS * 1_000_000;
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertThat(thread.isAlive()).as("the wait returned before the event under test").isTrue();
            assertThat(System.nanoTime() - deadline).as("thread never parked").isNegative();
            Thread.yield();
        }
        return this;
    }

    /** Checks that the wait returned, without failing (waits up to 30 s for it). */
    void ended() throws InterruptedException {
        thread.join(GUARD_MILLIS);
        boolean alive = thread.isAlive();
        thread.interrupt();
        assertThat(alive).as("the wait is still blocked").isFalse();
        assertThat(failed.get()).as("the wait failed").isNull();
    }
}
