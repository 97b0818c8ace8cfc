package smol.phy.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import smol.phy.Wakeup;

/**
 * The wait of a native device, against a stand-in device descriptor: an eventfd, which becomes readable when
 * written to (needs no privilege, unlike a TAP).
 */
class PollWaiterTest {
    private int device;
    private PollWaiter waiter;
    private final Wakeup wakeup = new Wakeup();

    @BeforeEach
    void open() throws ErrnoException {
        device = Libc.eventfd(0, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        assertThat(device).isNotNegative();
        waiter = new PollWaiter(device);
    }

    @AfterEach
    void close() {
        waiter.close();
        Libc.close(device);
    }

    @Test
    void aWaitEndsAtItsTimeoutWhenNothingHappens() throws InterruptedException {
        long start = System.nanoTime();
        waiter.await(wakeup, 30_000, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(29);
    }

    @Test
    void aPostFromAnotherThreadEndsABlockedWaitPromptly() throws Exception {
        Thread poster = new Thread(() -> {
            sleep(100);
            wakeup.post();
        });
        poster.start();
        long start = System.nanoTime();
        waiter.await(wakeup, -1, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(50L, 5_000L);
        assertThat(wakeup.isPosted()).as("the wait consumed the post").isFalse();
        poster.join();
    }

    @Test
    void aPendingPostEndsTheWaitAtOnce() throws InterruptedException {
        wakeup.post();
        long start = System.nanoTime();
        waiter.await(wakeup, 10_000_000, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(wakeup.isPosted()).isFalse();
    }

    @Test
    void aReadableDeviceEndsTheWaitAndReportsPollin() throws InterruptedException {
        Memory one = new Memory(8);
        one.setLong(0, 1);
        assertThat(Libc.write(device, Pointer.nativeValue(one), 8)).isEqualTo(8);
        long start = System.nanoTime();
        waiter.await(wakeup, 10_000_000, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(waiter.deviceEvents() & Libc.POLLIN).isNotZero();
    }

    @Test
    void untilWritableEndsTheWaitWhenTheDeviceTakesWrites() throws InterruptedException {
        long start = System.nanoTime();
        waiter.await(wakeup, 10_000_000, true);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(waiter.deviceEvents() & Libc.POLLOUT).isNotZero();
    }

    @Test
    void aSignalAfterTheWaitLeavesAtMostOneEarlyReturnAndIsDrained() throws InterruptedException {
        waiter.signal(); // a late signal: the post read it just before the wait disarmed it
        waiter.await(wakeup, 10_000_000, false); // returns early, drains
        long start = System.nanoTime();
        waiter.await(wakeup, 50_000, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("drained: a full wait")
                .isGreaterThanOrEqualTo(49);
    }

    @Test
    void anInterruptedThreadIsToldBeforeItBlocks() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> waiter.await(wakeup, -1, false)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aSignalAfterCloseIsHarmlessAndAClosedWaiterWaitsOnTheWakeupAlone() throws InterruptedException {
        int eventFd = waiter.eventFd();
        waiter.close();
        waiter.close(); // exactly once: the second does nothing
        // the number may be reused by the next descriptor opened: a late signal must not write to it
        int reused = Libc.eventfd(0, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        try {
            assertThat(reused).isEqualTo(eventFd);
            waiter.signal();
            Memory counter = new Memory(8);
            assertThat(Libc.read(reused, Pointer.nativeValue(counter), 8)).as("nothing was written").isEqualTo(-1);
            assertThat(Libc.errno()).isEqualTo(Libc.EAGAIN);
        } finally {
            Libc.close(reused);
        }
        long start = System.nanoTime();
        waiter.await(wakeup, 30_000, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(29);
        wakeup.post();
        start = System.nanoTime();
        waiter.await(wakeup, 10_000_000, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
    }

    @Test
    void closingEndsAWaitBlockedOnAnotherThread() throws Exception {
        Thread closer = new Thread(() -> {
            sleep(100);
            waiter.close();
        });
        closer.start();
        long start = System.nanoTime();
        waiter.await(wakeup, -1, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        closer.join();
    }

    @Test
    void timeoutsRoundUpToWholeMilliseconds() {
        assertThat(PollWaiter.timeoutMillis(-1)).isEqualTo(-1);
        assertThat(PollWaiter.timeoutMillis(0)).isZero();
        assertThat(PollWaiter.timeoutMillis(1)).isEqualTo(1);
        assertThat(PollWaiter.timeoutMillis(1000)).isEqualTo(1);
        assertThat(PollWaiter.timeoutMillis(1001)).isEqualTo(2);
        assertThat(PollWaiter.timeoutMillis(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
