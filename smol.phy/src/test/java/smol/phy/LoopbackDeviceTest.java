package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.phy.Frames.numbered;
import static smol.phy.Frames.receive;

import java.util.ArrayDeque;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LoopbackDeviceTest {
    private long now = 1_000_000;

    @Test
    void framesComeBackInTheOrderTheyWereSent() {
        LoopbackDevice loopback = new LoopbackDevice(4);
        for (int n = 0; n < 3; n++) {
            assertThat(loopback.transmit(numbered(n, 60 + n), 0, 60 + n, now)).isTrue();
        }
        assertThat(loopback.framesWaiting()).isEqualTo(3);
        for (int n = 0; n < 3; n++) {
            assertThat(receive(loopback, now)).isEqualTo(numbered(n, 60 + n));
        }
        assertThat(receive(loopback, now)).isNull();
    }

    @Test
    void anEmptyLoopbackReceivesNothing() {
        assertThat(new LoopbackDevice(1).receive(new byte[1514], 0, now)).isZero();
    }

    @Test
    void transmitIsRefusedWhileTheQueueIsFullAndTakenAgainOnceAFrameIsReceived() {
        LoopbackDevice loopback = new LoopbackDevice(2);
        assertThat(loopback.transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(loopback.transmit(numbered(2, 60), 0, 60, now)).isTrue();
        assertThat(loopback.transmit(numbered(3, 60), 0, 60, now)).isFalse();
        assertThat(loopback.txQueueFull()).isEqualTo(1);

        assertThat(receive(loopback, now)).isEqualTo(numbered(1, 60));
        assertThat(loopback.transmit(numbered(3, 60), 0, 60, now)).isTrue();
        assertThat(receive(loopback, now)).isEqualTo(numbered(2, 60));
        assertThat(receive(loopback, now)).isEqualTo(numbered(3, 60));
    }

    @Test
    void theQueueWrapsAroundManyTimesWithoutLosingOrder() {
        LoopbackDevice loopback = new LoopbackDevice(3);
        int next = 0;
        for (int round = 0; round < 100; round++) {
            int first = next;
            for (int i = 0; i < 1 + round % 3; i++, next++) {
                assertThat(loopback.transmit(numbered(next, 64), 0, 64, now)).isTrue();
            }
            for (int n = first; n < next; n++) {
                assertThat(receive(loopback, now)).isEqualTo(numbered(n, 64));
            }
        }
    }

    @Test
    void theCallerMayReuseItsBufferAsSoonAsTransmitReturns() {
        LoopbackDevice loopback = new LoopbackDevice(2);
        byte[] buf = numbered(7, 60);
        loopback.transmit(buf, 0, 60, now);
        buf[0] = 99;
        assertThat(receive(loopback, now)).isEqualTo(numbered(7, 60));
    }

    @Test
    void framesAreCopiedFromAndToTheGivenOffsets() {
        LoopbackDevice loopback = new LoopbackDevice(2);
        byte[] out = numbered(0, 100);
        loopback.transmit(out, 10, 50, now);
        byte[] in = new byte[80];
        assertThat(loopback.receive(in, 30, now)).isEqualTo(50);
        for (int i = 0; i < 50; i++) {
            assertThat(in[30 + i]).isEqualTo(out[10 + i]);
        }
        assertThat(in[29]).isZero();
    }

    @Test
    void aFrameLongerThanTheMtuAllowsIsDroppedAndCountedNotQueued() {
        LoopbackDevice loopback = new LoopbackDevice(2);
        assertThat(loopback.transmit(numbered(1, 1515), 0, 1515, now)).isTrue();
        assertThat(loopback.txOversize()).isEqualTo(1);
        assertThat(loopback.framesWaiting()).isZero();
        assertThat(loopback.transmit(numbered(2, 1514), 0, 1514, now)).isTrue();
        assertThat(receive(loopback, now)).isEqualTo(numbered(2, 1514));
    }

    @Test
    void aFrameTooLongForTheReceiveBufferIsDroppedAndCountedAndTheNextOneDelivered() {
        LoopbackDevice loopback = new LoopbackDevice(3);
        loopback.transmit(numbered(1, 200), 0, 200, now);
        loopback.transmit(numbered(2, 100), 0, 100, now);
        byte[] small = new byte[150];
        assertThat(loopback.receive(small, 0, now)).isEqualTo(100);
        assertThat(loopback.rxTooLong()).isEqualTo(1);
        assertThat(loopback.receive(small, 0, now)).isZero();
    }

    @Test
    void aFrameOfTheLargestMtuGoesThrough() {
        LoopbackDevice loopback = new LoopbackDevice(DeviceCapabilities.ethernet(65535, ChecksumCapabilities.NONE), 2);
        int len = 65535 + 14;
        assertThat(loopback.capabilities().maxFrameLength()).isEqualTo(len);
        assertThat(loopback.transmit(numbered(5, len), 0, len, now)).isTrue();
        assertThat(receive(loopback, now)).isEqualTo(numbered(5, len));
    }

    @Test
    void theBenchmarkFrameOf65535BytesGoesThroughAtMtu65521() {
        LoopbackDevice loopback = new LoopbackDevice(DeviceCapabilities.ethernet(65535 - 14, ChecksumCapabilities.NONE), 1);
        assertThat(loopback.transmit(numbered(6, 65535), 0, 65535, now)).isTrue();
        assertThat(receive(loopback, now)).isEqualTo(numbered(6, 65535));
    }

    @Test
    void defaultCapabilitiesAreEthernet1500WithoutChecksumDuties() {
        DeviceCapabilities caps = new LoopbackDevice(1).capabilities();
        assertThat(caps.medium()).isEqualTo(Medium.ETHERNET);
        assertThat(caps.mtu()).isEqualTo(1500);
        assertThat(caps.checksums()).isEqualTo(ChecksumCapabilities.NONE);
    }

    @Test
    void chosenCapabilitiesAreReported() {
        DeviceCapabilities caps = DeviceCapabilities.ethernet(9000, ChecksumCapabilities.ALL);
        assertThat(new LoopbackDevice(caps, 1).capabilities()).isSameAs(caps);
    }

    @Test
    void misuseIsRefusedWithTheBadValueNamed() {
        assertThatThrownBy(() -> new LoopbackDevice(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(": 0");
        assertThatThrownBy(() -> new LoopbackDevice(null, 1)).isInstanceOf(IllegalArgumentException.class);
        LoopbackDevice loopback = new LoopbackDevice(1);
        assertThatThrownBy(() -> loopback.transmit(new byte[10], 0, 0, now))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("len=0");
        assertThatThrownBy(() -> loopback.transmit(new byte[10], 5, 6, now))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> loopback.receive(new byte[10], 11, now))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void awaitReturnsAtOnceWhenAFrameIsWaiting() throws InterruptedException {
        LoopbackDevice loopback = new LoopbackDevice(1);
        loopback.transmit(numbered(1, 60), 0, 60, now);
        loopback.await(new Wakeup(), -1, false); // no limit: would hang if it did not see the frame
        assertThat(loopback.framesWaiting()).isEqualTo(1);
    }

    @Test
    void awaitReturnsAtOnceWhenTheWakeupWasPosted() throws InterruptedException {
        LoopbackDevice loopback = new LoopbackDevice(1);
        Wakeup wakeup = new Wakeup();
        wakeup.post();
        loopback.await(wakeup, -1, false); // no limit: would hang if the post were lost
        assertThat(wakeup.isPosted()).as("the wait consumed the post").isFalse();
    }

    @Test
    void aPostEndsOneAwaitOnly() throws InterruptedException {
        LoopbackDevice loopback = new LoopbackDevice(1);
        Wakeup wakeup = new Wakeup();
        wakeup.post();
        loopback.await(wakeup, -1, false);
        loopback.await(wakeup, 1_000, false); // 1 ms: times out, the post was used
    }

    @Test
    void awaitReturnsWhenTheTimeoutPasses() throws InterruptedException {
        new LoopbackDevice(1).await(new Wakeup(), 1_000, false);
        new LoopbackDevice(1).await(new Wakeup(), 0, false);
    }

    @Test
    void aFullLoopbackEndsAWaitUntilWritableAtOnceSinceItsFramesWaitToBeReceived() throws InterruptedException {
        LoopbackDevice loopback = new LoopbackDevice(1);
        loopback.transmit(numbered(1, 60), 0, 60, now);
        assertThat(loopback.transmit(numbered(2, 60), 0, 60, now)).isFalse();
        loopback.await(new Wakeup(), -1, true); // would hang if it waited for room its own receive makes
    }

    @Test
    void awaitThrowsWhenTheThreadIsInterrupted() {
        LoopbackDevice loopback = new LoopbackDevice(1);
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> loopback.await(new Wakeup(), -1, false)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    /** Operations: 0 receives, 1..1600 transmits a frame of that length (over 1514 is oversize). */
    @Property(tries = 300)
    void behavesAsABoundedFifoOfFrames(@ForAll @IntRange(min = 1, max = 6) int capacity,
            @ForAll @Size(max = 200) List<@IntRange(min = 0, max = 1600) Integer> operations) {
        LoopbackDevice loopback = new LoopbackDevice(capacity);
        ArrayDeque<byte[]> model = new ArrayDeque<>();
        long oversize = 0;
        long full = 0;
        int n = 0;
        for (int op : operations) {
            if (op == 0) {
                assertThat(receive(loopback, now)).isEqualTo(model.poll());
            } else {
                byte[] frame = numbered(n++, op);
                boolean taken = loopback.transmit(frame, 0, op, now);
                if (op > 1514) {
                    oversize++;
                    assertThat(taken).isTrue();
                } else if (model.size() == capacity) {
                    full++;
                    assertThat(taken).isFalse();
                } else {
                    assertThat(taken).isTrue();
                    model.add(frame);
                }
            }
            assertThat(loopback.framesWaiting()).isEqualTo(model.size());
        }
        assertThat(loopback.txOversize()).isEqualTo(oversize);
        assertThat(loopback.txQueueFull()).isEqualTo(full);
    }
}
