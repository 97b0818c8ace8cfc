package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The runtime's wake-up: a post ends the current wait, or the next one, whatever device that wait is on,
 * or none. Waits here have no limit, so that only a post can end them.
 */
class WakeupTest {

    @Test
    void aPostBeforeTheWaitMakesItReturnAtOnce() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        wakeup.post();
        assertThat(wakeup.isPosted()).isTrue();
        wakeup.await(-1); // would hang if the post were lost
        assertThat(wakeup.isPosted()).as("the wait consumed the post").isFalse();
    }

    @Test
    void severalPostsBeforeAWaitCountAsOne() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        wakeup.post();
        wakeup.post();
        wakeup.await(-1);
        wakeup.await(1_000); // 1 ms: times out, nothing is left pending
        assertThat(wakeup.isPosted()).isFalse();
    }

    @Test
    void aPostFromAnotherThreadEndsAWaitWithNoDevice() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        Waiter waiter = Waiter.start(() -> wakeup.await(-1)).parked();
        wakeup.post();
        waiter.ended();
    }

    @Test
    void aPostFromAnotherThreadEndsALongWaitOnADevice() throws InterruptedException {
        LoopbackDevice loopback = new LoopbackDevice(1);
        Wakeup wakeup = new Wakeup();
        Waiter waiter = Waiter.start(() -> loopback.await(wakeup, 3_600_000_000L, false)).parked();
        wakeup.post();
        waiter.ended();
    }

    @Test
    void aPostWhileNoDeviceIsAttachedReachesTheNextWaitOnANewDevice() throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        wakeup.await(0); // the runtime, with no device, looks and finds nothing
        wakeup.post(); // an application while no device is attached: nothing is armed
        Cable.End attached = Cable.create(1).a();
        attached.await(wakeup, -1, false); // would hang if the post were lost
        assertThat(wakeup.isPosted()).isFalse();
    }

    @Test
    void aPostWhileTheWrapperIsDetachedReachesTheWaitOnTheDeviceAttachedLater() throws InterruptedException {
        Tracer tracer = new Tracer(null, line -> { });
        Wakeup wakeup = new Wakeup();
        wakeup.post();
        tracer.attach(new LoopbackDevice(1));
        tracer.await(wakeup, -1, false);
    }

    @Test
    void armingWithAPostPendingConsumesItAndArmsNothing() {
        Wakeup wakeup = new Wakeup();
        AtomicInteger fired = new AtomicInteger();
        wakeup.post();
        assertThat(wakeup.arm(fired::incrementAndGet)).isFalse();
        assertThat(wakeup.isPosted()).isFalse();
        wakeup.post();
        assertThat(fired).as("nothing was armed").hasValue(0);
    }

    @Test
    void aPostWhileArmedFiresTheSignalAndTheDisarmConsumesIt() {
        Wakeup wakeup = new Wakeup();
        AtomicInteger fired = new AtomicInteger();
        Wakeup.Signal signal = fired::incrementAndGet;
        assertThat(wakeup.arm(signal)).isTrue();
        wakeup.post();
        assertThat(fired).hasValue(1);
        wakeup.disarm();
        assertThat(wakeup.isPosted()).isFalse();
        wakeup.post();
        assertThat(fired).as("disarmed: not fired again").hasValue(1);
        assertThat(wakeup.isPosted()).as("left for the next wait").isTrue();
    }

    @Test
    void onlyOneWaitIsArmedAtATime() {
        Wakeup wakeup = new Wakeup();
        assertThat(wakeup.arm(() -> { })).isTrue();
        assertThatThrownBy(() -> wakeup.arm(() -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another wait is armed");
        wakeup.disarm();
        assertThat(wakeup.arm(() -> { })).isTrue();
    }

    @Test
    void aWaitOnTheWakeupAloneThrowsWhenTheThreadIsInterrupted() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> new Wakeup().await(-1)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    /**
     * A loop waits without limit, on whatever device is current or on none, while another thread swaps
     * devices and posts work: every post must end a wait, or the loop never serves it and the test stalls.
     */
    @Test
    void noPostIsLostWhileDevicesAreSwappedUnderTheWaitingLoop() throws InterruptedException {
        int posts = 3_000;
        Cable cable = Cable.create(1);
        Device[] devices = {null, new LoopbackDevice(1), cable.a(),
                new FaultInjector(new LoopbackDevice(1), FaultConfig.NONE, 1), cable.b()};
        Wakeup wakeup = new Wakeup();
        AtomicReference<Device> current = new AtomicReference<>();
        AtomicLong requested = new AtomicLong();
        AtomicLong served = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Waiter loop = Waiter.start(() -> {
            while (!stop.get()) {
                served.set(requested.get()); // the poll: serves the work posted before it
                Device d = current.get();
                if (d == null) {
                    wakeup.await(-1);
                } else {
                    d.await(wakeup, -1, false);
                }
            }
        });
        for (int n = 1; n <= posts; n++) {
            current.set(devices[n % devices.length]);
            requested.set(n);
            wakeup.post();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (served.get() < n) {
                assertThat(System.nanoTime() - deadline).as("post " + n + " was lost").isNegative();
                Thread.yield();
            }
        }
        stop.set(true);
        wakeup.post();
        loop.ended();
    }
}
