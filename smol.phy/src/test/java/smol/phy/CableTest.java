package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.phy.Frames.numbered;
import static smol.phy.Frames.receive;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CableTest {
    private static final long JOIN_MILLIS = 30_000;
    private final long now = 0;

    @Test
    void whatOneEndTransmitsTheOtherReceivesInOrder() {
        Cable cable = Cable.create(4);
        cable.a().transmit(numbered(1, 60), 0, 60, now);
        cable.a().transmit(numbered(2, 61), 0, 61, now);
        assertThat(receive(cable.a(), now)).as("a end does not hear itself").isNull();
        assertThat(receive(cable.b(), now)).isEqualTo(numbered(1, 60));
        assertThat(receive(cable.b(), now)).isEqualTo(numbered(2, 61));
        assertThat(receive(cable.b(), now)).isNull();
    }

    @Test
    void bothDirectionsCarryFramesIndependently() {
        Cable cable = Cable.create(1);
        assertThat(cable.a().transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(cable.b().transmit(numbered(2, 60), 0, 60, now)).isTrue();
        assertThat(cable.a().transmit(numbered(3, 60), 0, 60, now)).as("a→b holds one frame").isFalse();
        assertThat(cable.a().txQueueFull()).isEqualTo(1);
        assertThat(receive(cable.a(), now)).isEqualTo(numbered(2, 60));
        assertThat(receive(cable.b(), now)).isEqualTo(numbered(1, 60));
    }

    @Test
    void bothEndsReportTheCablesCapabilities() {
        DeviceCapabilities caps = DeviceCapabilities.ethernet(9000, ChecksumCapabilities.ALL);
        Cable cable = Cable.create(caps, 2);
        assertThat(cable.a().capabilities()).isSameAs(caps);
        assertThat(cable.b().capabilities()).isSameAs(caps);
        assertThat(Cable.create(2).a().capabilities().checksums()).isEqualTo(ChecksumCapabilities.NONE);
        assertThat(cable.a().transmit(numbered(0, 9014), 0, 9014, now)).isTrue();
        assertThat(receive(cable.b(), now)).hasSize(9014);
    }

    @Test
    void misuseIsRefusedWithTheBadValueNamed() {
        assertThatThrownBy(() -> Cable.create(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(": 0");
        assertThatThrownBy(() -> Cable.create(null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void awaitReturnsAtOnceWhenAFrameWaitsAtThatEnd() throws InterruptedException {
        Cable cable = Cable.create(2);
        cable.a().transmit(numbered(1, 60), 0, 60, now);
        cable.b().await(new Wakeup(), -1, false); // would hang if it did not see the frame
        cable.a().await(new Wakeup(), 1_000, false); // nothing for a: times out after 1 ms
    }

    @Test
    void eachEndsRuntimeHasItsOwnWakeup() throws InterruptedException {
        Cable cable = Cable.create(2);
        Wakeup wakeupA = new Wakeup();
        Wakeup wakeupB = new Wakeup();
        wakeupB.post();
        cable.b().await(wakeupB, -1, false);
        cable.a().await(wakeupA, 1_000, false); // b's post does not end a's wait: times out after 1 ms
    }

    @Test
    void awaitReturnsWhenTheTimeoutPasses() throws InterruptedException {
        Cable.create(1).a().await(new Wakeup(), 1_000, false);
    }

    @Test
    void aWaitUntilWritableReturnsAtOnceWhileTheQueueHasRoom() throws InterruptedException {
        Cable cable = Cable.create(1);
        cable.a().await(new Wakeup(), -1, true); // would hang if room did not end the wait
    }

    @Test
    void aWaitUntilWritableOnAFullQueueEndsWhenTheOtherEndTakesAFrame() throws InterruptedException {
        Cable cable = Cable.create(1);
        Wakeup wakeup = new Wakeup();
        assertThat(cable.a().transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(cable.a().transmit(numbered(2, 60), 0, 60, now)).as("the queue is full").isFalse();
        Waiter waiter = Waiter.start(() -> cable.a().await(wakeup, -1, true)).parked();
        assertThat(receive(cable.b(), now)).isEqualTo(numbered(1, 60));
        waiter.ended();
        assertThat(cable.a().transmit(numbered(2, 60), 0, 60, now)).isTrue();
    }

    @Test
    void aFrameArrivingFromAnotherThreadEndsAWaitUntilWritableToo() throws InterruptedException {
        Cable cable = Cable.create(1);
        Wakeup wakeup = new Wakeup();
        cable.a().transmit(numbered(1, 60), 0, 60, now);
        Waiter waiter = Waiter.start(() -> cable.a().await(wakeup, -1, true)).parked();
        cable.b().transmit(numbered(2, 60), 0, 60, now);
        waiter.ended();
    }

    @Test
    void aFrameFromAnotherThreadWakesAParkedReceiver() throws InterruptedException {
        Cable cable = Cable.create(2);
        Wakeup wakeup = new Wakeup();
        AtomicReference<byte[]> got = new AtomicReference<>();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread receiver = new Thread(() -> {
            try {
                byte[] frame = null;
                // A long timeout: only the frame's arrival can end the wait before the join gives up.
                while (frame == null) {
                    cable.b().await(wakeup, 600_000_000L, false);
                    frame = receive(cable.b(), now);
                }
                got.set(frame);
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        receiver.start();
        cable.a().transmit(numbered(9, 100), 0, 100, now);
        receiver.join(JOIN_MILLIS);
        assertThat(receiver.isAlive()).as("receiver still waiting").isFalse();
        assertThat(failed.get()).isNull();
        assertThat(got.get()).isEqualTo(numbered(9, 100));
    }

    @Test
    void aPostFromAnotherThreadEndsAnUnlimitedAwait() throws InterruptedException {
        Cable cable = Cable.create(2);
        Wakeup wakeup = new Wakeup();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                cable.a().await(wakeup, -1, false);
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        waiter.start();
        wakeup.post();
        waiter.join(JOIN_MILLIS);
        assertThat(waiter.isAlive()).as("waiter still waiting").isFalse();
        assertThat(failed.get()).isNull();
    }

    @Test
    void manyFramesCrossBetweenTwoThreadsInOrderWithoutLossOrTearing() throws InterruptedException {
        int frames = 100_000;
        Cable cable = Cable.create(8);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                byte[] frame = new byte[64];
                for (int n = 0; n < frames; ) {
                    Arrays.fill(frame, (byte) n);
                    frame[0] = (byte) (n >>> 16);
                    frame[1] = (byte) (n >>> 8);
                    frame[2] = (byte) n;
                    int len = 3 + n % 61;
                    if (cable.a().transmit(frame, 0, len, now)) {
                        n++;
                    } else {
                        Thread.yield(); // queue full: let the consumer catch up
                    }
                }
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        producer.start();
        byte[] buf = new byte[64];
        Wakeup wakeup = new Wakeup();
        int next = 0;
        while (next < frames && failed.get() == null) {
            int len = cable.b().receive(buf, 0, now);
            if (len == 0) {
                cable.b().await(wakeup, 10_000, false);
                continue;
            }
            int n = (buf[0] & 0xff) << 16 | (buf[1] & 0xff) << 8 | buf[2] & 0xff;
            if (n != next || len != 3 + n % 61) {
                throw new AssertionError("expected frame " + next + " of " + (3 + next % 61) + " bytes, got frame "
                        + n + " of " + len);
            }
            for (int i = 3; i < len; i++) {
                if (buf[i] != (byte) n) {
                    throw new AssertionError("frame " + n + " torn at byte " + i);
                }
            }
            next++;
        }
        producer.join(JOIN_MILLIS);
        assertThat(failed.get()).isNull();
        assertThat(next).isEqualTo(frames);
        assertThat(cable.b().framesWaiting()).isZero();
    }

    /** Bounces one frame back and forth, each side waiting without limit: a lost wake-up would hang it. */
    private static Thread bouncer(Cable.End end, int rounds, boolean serves, AtomicReference<Throwable> failed) {
        return new Thread(() -> {
            try {
                byte[] buf = new byte[64];
                Wakeup wakeup = new Wakeup();
                if (serves) {
                    end.transmit(buf, 0, 60, 0);
                }
                for (int i = 0; i < rounds; i++) {
                    int len;
                    while ((len = end.receive(buf, 0, 0)) == 0) {
                        end.await(wakeup, -1, false);
                    }
                    buf[0]++;
                    if (!end.transmit(buf, 0, len, 0)) {
                        throw new AssertionError("the cable holds one frame in flight: never full");
                    }
                }
            } catch (InterruptedException e) {
                failed.compareAndSet(null, new AssertionError("interrupted: a wake-up was lost"));
            } catch (Throwable t) {
                failed.compareAndSet(null, t);
            }
        });
    }

    @Test
    void aFrameBouncedTenThousandTimesBetweenTwoWaitingThreadsNeverStalls() throws InterruptedException {
        Cable cable = Cable.create(2);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread a = bouncer(cable.a(), 10_000, true, failed);
        Thread b = bouncer(cable.b(), 10_000, false, failed);
        a.start();
        b.start();
        a.join(JOIN_MILLIS);
        b.join(JOIN_MILLIS);
        boolean stalled = a.isAlive() || b.isAlive();
        a.interrupt();
        b.interrupt();
        assertThat(stalled).as("a thread is still waiting").isFalse();
        assertThat(failed.get()).isNull();
    }
}
