package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.phy.Frames.numbered;
import static smol.phy.Frames.receive;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {
    private static final int FRAMES = 10_000;
    private long now = 0;

    /** Sends {@code count} numbered frames through the injector's receive side and returns what arrives. */
    private List<byte[]> receiveThrough(FaultInjector injector, LoopbackDevice inner, int count) {
        List<byte[]> got = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            inner.transmit(numbered(n, 64), 0, 64, now);
            byte[] frame = receive(injector, now);
            if (frame != null) {
                got.add(frame);
            }
        }
        return got;
    }

    private static int differingOctets(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        int differ = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                differ++;
            }
        }
        return differ;
    }

    @Test
    void aFrameItCorruptedIsLeftForTheStackToCheckWhileOthersKeepTheDevicesWord() {
        LoopbackDevice loop = new LoopbackDevice(4);
        Device offloading = new Device() { // a packet socket's view: every checksum left to the card
            @Override
            public DeviceCapabilities capabilities() {
                return loop.capabilities();
            }

            @Override
            public int receive(byte[] buf, int off, long nowMicros) {
                return loop.receive(buf, off, nowMicros);
            }

            @Override
            public ReceivedChecksum receivedChecksum() {
                return ReceivedChecksum.NOT_READY;
            }

            @Override
            public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
                return loop.transmit(buf, off, len, nowMicros);
            }

            @Override
            public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException {
                loop.await(wakeup, timeoutMicros, untilWritable);
            }
        };
        FaultInjector injector = new FaultInjector(offloading, FaultConfig.NONE.withCorruptChance(0.5), 3);
        int corrupted = 0;
        int intact = 0;
        for (int n = 0; n < 200; n++) {
            loop.transmit(numbered(n, 64), 0, 64, now);
            boolean damaged = differingOctets(receive(injector, now), numbered(n, 64)) > 0;
            if (damaged) {
                assertThat(injector.receivedChecksum()).as("frame %d, corrupted", n).isEqualTo(ReceivedChecksum.UNKNOWN);
                corrupted++;
            } else {
                assertThat(injector.receivedChecksum()).as("frame %d, intact", n).isEqualTo(ReceivedChecksum.NOT_READY);
                intact++;
            }
        }
        assertThat(corrupted).isPositive();
        assertThat(intact).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameDecisions() {
        FaultConfig config = FaultConfig.NONE.withDropChance(0.2).withCorruptChance(0.2);
        LoopbackDevice inner1 = new LoopbackDevice(4);
        LoopbackDevice inner2 = new LoopbackDevice(4);
        List<byte[]> first = receiveThrough(new FaultInjector(inner1, config, 42), inner1, 1000);
        List<byte[]> second = receiveThrough(new FaultInjector(inner2, config, 42), inner2, 1000);
        assertThat(second).containsExactlyElementsOf(first);

        LoopbackDevice inner3 = new LoopbackDevice(4);
        List<byte[]> other = receiveThrough(new FaultInjector(inner3, config, 43), inner3, 1000);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void theDropChanceLosesAboutThatShareOfFramesInEachDirection() {
        LoopbackDevice inner = new LoopbackDevice(4);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withDropChance(0.3), 7);
        int received = receiveThrough(injector, inner, FRAMES).size();
        assertThat(injector.rxDropped()).isEqualTo(FRAMES - received);
        // Binomial(10,000, 0.3): the standard deviation is 46 frames; allow more than six of them.
        assertThat(injector.rxDropped()).isBetween(2700L, 3300L);

        int sent = 0;
        for (int n = 0; n < FRAMES; n++) {
            assertThat(injector.transmit(numbered(n, 64), 0, 64, now)).isTrue();
            if (receive(inner, now) != null) {
                sent++;
            }
        }
        assertThat(injector.txDropped()).isEqualTo(FRAMES - sent).isBetween(2700L, 3300L);
    }

    @Test
    void theCorruptChanceChangesAboutThatShareOfFramesByExactlyOneOctet() {
        LoopbackDevice inner = new LoopbackDevice(4);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withCorruptChance(0.1), 11);
        int corrupted = 0;
        for (int n = 0; n < FRAMES; n++) {
            inner.transmit(numbered(n, 64), 0, 64, now);
            int differ = differingOctets(receive(injector, now), numbered(n, 64));
            assertThat(differ).isLessThanOrEqualTo(1);
            corrupted += differ;
        }
        assertThat(injector.rxCorrupted()).isEqualTo(corrupted);
        // Binomial(10,000, 0.1): the standard deviation is 30 frames.
        assertThat(corrupted).isBetween(800, 1200);

        int txCorrupted = 0;
        for (int n = 0; n < FRAMES; n++) {
            byte[] frame = numbered(n, 64);
            injector.transmit(frame, 0, 64, now);
            assertThat(frame).as("the caller's array is not touched").isEqualTo(numbered(n, 64));
            int differ = differingOctets(receive(inner, now), frame);
            assertThat(differ).isLessThanOrEqualTo(1);
            txCorrupted += differ;
        }
        assertThat(injector.txCorrupted()).isEqualTo(txCorrupted);
        assertThat(txCorrupted).isBetween(800, 1200);
    }

    @Property(tries = 200)
    void corruptionChangesExactlyOneOctetOfAnyFrame(@ForAll long seed, @ForAll @IntRange(min = 1, max = 1514) int len) {
        LoopbackDevice inner = new LoopbackDevice(1);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withCorruptChance(1), seed);
        inner.transmit(numbered(len, len), 0, len, now);
        assertThat(differingOctets(receive(injector, now), numbered(len, len))).isEqualTo(1);
        injector.transmit(numbered(len, len), 0, len, now);
        assertThat(differingOctets(receive(inner, now), numbered(len, len))).isEqualTo(1);
        assertThat(injector.rxCorrupted()).isEqualTo(1);
        assertThat(injector.txCorrupted()).isEqualTo(1);
    }

    @Test
    void aLostFrameDoesNotHideTheFramesBehindIt() {
        LoopbackDevice inner = new LoopbackDevice(8);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withSizeLimit(100), 1);
        inner.transmit(numbered(1, 200), 0, 200, now);
        inner.transmit(numbered(2, 201), 0, 201, now);
        inner.transmit(numbered(3, 100), 0, 100, now);
        assertThat(receive(injector, now)).isEqualTo(numbered(3, 100));
        assertThat(injector.rxOversize()).isEqualTo(2);
    }

    @Test
    void aDropChanceOfOneLosesEverythingAndReceivesNothing() {
        LoopbackDevice inner = new LoopbackDevice(8);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withDropChance(1), 1);
        for (int n = 0; n < 8; n++) {
            inner.transmit(numbered(n, 60), 0, 60, now);
        }
        assertThat(receive(injector, now)).isNull();
        assertThat(injector.rxDropped()).isEqualTo(8);
        assertThat(inner.framesWaiting()).isZero();
    }

    @Test
    void framesOverTheSizeLimitAreLostInBothDirections() {
        LoopbackDevice inner = new LoopbackDevice(4);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withSizeLimit(100), 1);
        assertThat(injector.transmit(numbered(1, 101), 0, 101, now)).as("lost, not refused").isTrue();
        assertThat(injector.txOversize()).isEqualTo(1);
        assertThat(inner.framesWaiting()).isZero();
        assertThat(injector.transmit(numbered(2, 100), 0, 100, now)).isTrue();
        assertThat(receive(injector, now)).isEqualTo(numbered(2, 100));

        inner.transmit(numbered(3, 101), 0, 101, now);
        assertThat(receive(injector, now)).isNull();
        assertThat(injector.rxOversize()).isEqualTo(1);
    }

    @Test
    void theRxRateLimitLosesFramesBeyondItUntilTheIntervalHasPassed() {
        LoopbackDevice inner = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withRxRateLimit(3).withShapingIntervalMicros(1_000), 1);
        now = 5_000;
        assertThat(receiveThrough(injector, inner, 5)).hasSize(3);
        assertThat(injector.rxRateLimited()).isEqualTo(2);
        now = 5_999;
        assertThat(receiveThrough(injector, inner, 2)).isEmpty();
        assertThat(injector.rxRateLimited()).isEqualTo(4);
        now = 6_000;
        assertThat(receiveThrough(injector, inner, 5)).hasSize(3);
        assertThat(injector.rxRateLimited()).isEqualTo(6);
    }

    @Test
    void theTxRateLimitRefusesFramesBeyondItUntilTheIntervalHasPassed() {
        LoopbackDevice inner = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withTxRateLimit(2).withShapingIntervalMicros(1_000), 1);
        now = 100;
        assertThat(injector.transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(3, 60), 0, 60, now)).isFalse();
        now = 1_099;
        assertThat(injector.transmit(numbered(3, 60), 0, 60, now)).isFalse();
        assertThat(injector.txRateLimited()).isEqualTo(2);
        assertThat(inner.framesWaiting()).isEqualTo(2);
        now = 1_100;
        assertThat(injector.transmit(numbered(3, 60), 0, 60, now)).isTrue();
        assertThat(inner.framesWaiting()).isEqualTo(3);
    }

    @Test
    void aFrameTheInnerDeviceRefusesDoesNotUseUpTheRate() {
        LoopbackDevice inner = new LoopbackDevice(1);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withTxRateLimit(2).withShapingIntervalMicros(1_000), 1);
        assertThat(injector.transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).as("inner full").isFalse();
        assertThat(injector.txRateLimited()).isZero();
        receive(inner, now);
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).isTrue();
    }

    @Test
    void rxAndTxHaveSeparateBuckets() {
        LoopbackDevice inner = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withTxRateLimit(1).withRxRateLimit(1).withShapingIntervalMicros(1_000), 1);
        assertThat(injector.transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(receive(injector, now)).isEqualTo(numbered(1, 60));
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).isFalse();
    }

    @Test
    void aNewConfigurationTakesEffectOnTheNextFrameAndRestartsTheRates() {
        LoopbackDevice inner = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withTxRateLimit(1).withShapingIntervalMicros(1_000_000), 1);
        assertThat(injector.transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).isFalse();
        injector.setConfig(injector.config().withTxRateLimit(2));
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(3, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(4, 60), 0, 60, now)).isFalse();
        injector.setConfig(FaultConfig.NONE.withDropChance(1));
        assertThat(injector.transmit(numbered(4, 60), 0, 60, now)).isTrue();
        assertThat(injector.txDropped()).isEqualTo(1);
    }

    @Test
    void capabilitiesForceEveryChecksumOnAndKeepTheInnerMtu() {
        LoopbackDevice inner = new LoopbackDevice(DeviceCapabilities.ethernet(9000, ChecksumCapabilities.NONE), 1);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE, 1);
        assertThat(injector.capabilities()).isEqualTo(DeviceCapabilities.ethernet(9000, ChecksumCapabilities.ALL));
    }

    @Test
    void withoutADeviceNothingIsReceivedAndTransmitIsRefused() throws InterruptedException {
        FaultInjector injector = new FaultInjector(null, FaultConfig.NONE, 1);
        assertThat(injector.receive(new byte[100], 0, now)).isZero();
        assertThat(injector.transmit(numbered(1, 60), 0, 60, now)).isFalse();
        assertThat(injector.capabilities().checksums()).isEqualTo(ChecksumCapabilities.ALL);
        Wakeup wakeup = new Wakeup();
        injector.await(wakeup, 1_000, false);
        wakeup.post();
        injector.await(wakeup, -1, false); // would hang without the post
    }

    @Test
    void theInjectorSurvivesAChangeOfDevice() {
        LoopbackDevice first = new LoopbackDevice(4);
        FaultInjector injector = new FaultInjector(first, FaultConfig.NONE.withSizeLimit(100), 1);
        injector.transmit(numbered(1, 200), 0, 200, now);
        assertThat(injector.detach()).isSameAs(first);
        assertThat(injector.device()).isNull();

        LoopbackDevice second = new LoopbackDevice(DeviceCapabilities.ethernet(576, ChecksumCapabilities.NONE), 4);
        injector.attach(second);
        assertThat(injector.device()).isSameAs(second);
        assertThat(injector.capabilities().mtu()).isEqualTo(576);
        injector.transmit(numbered(2, 200), 0, 200, now);
        injector.transmit(numbered(3, 60), 0, 60, now);
        assertThat(injector.txOversize()).as("counters carry over").isEqualTo(2);
        assertThat(first.framesWaiting()).isZero();
        assertThat(receive(second, now)).isEqualTo(numbered(3, 60));
    }

    @Test
    void aWrapperCannotWrapItself() {
        FaultInjector injector = new FaultInjector(null, FaultConfig.NONE, 1);
        Tracer tracer = new Tracer(injector, line -> { });
        assertThatThrownBy(() -> injector.attach(injector)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> injector.attach(tracer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> injector.attach(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWaitWhileDetachedEndsWhenADeviceIsAttached() throws InterruptedException {
        FaultInjector injector = new FaultInjector(null, FaultConfig.NONE, 1);
        Wakeup wakeup = new Wakeup();
        // Parked first: an attach before the wait would rightly leave it waiting on the new device.
        Waiter waiter = Waiter.start(() -> injector.await(wakeup, -1, false)).parked();
        injector.attach(new LoopbackDevice(1));
        waiter.ended();
    }

    @Test
    void aWaitOnTheDeviceEndsWhenItIsDetached() throws InterruptedException {
        FaultInjector injector = new FaultInjector(new LoopbackDevice(1), FaultConfig.NONE, 1);
        Wakeup wakeup = new Wakeup();
        Waiter waiter = Waiter.start(() -> injector.await(wakeup, -1, false)).parked();
        injector.detach();
        waiter.ended();
    }

    @Test
    void aWaitOnTheOldDeviceEndsWhenAnotherIsAttached() throws InterruptedException {
        FaultInjector injector = new FaultInjector(new LoopbackDevice(1), FaultConfig.NONE, 1);
        Wakeup wakeup = new Wakeup();
        Waiter waiter = Waiter.start(() -> injector.await(wakeup, -1, false)).parked();
        injector.attach(new LoopbackDevice(1));
        waiter.ended();
    }

    @Test
    void aNewConfigurationEndsTheWaitSinceItMayLiftALimit() throws InterruptedException {
        FaultInjector injector = new FaultInjector(new LoopbackDevice(1), FaultConfig.NONE.withTxRateLimit(1), 1);
        Wakeup wakeup = new Wakeup();
        Waiter waiter = Waiter.start(() -> injector.await(wakeup, -1, false)).parked();
        injector.setConfig(FaultConfig.NONE);
        waiter.ended();
    }

    @Test
    void aFrameArrivingAtTheWrappedDeviceEndsAWaitOnTheInjector() throws InterruptedException {
        Cable cable = Cable.create(2);
        FaultInjector injector = new FaultInjector(cable.b(), FaultConfig.NONE, 1);
        Wakeup wakeup = new Wakeup();
        Waiter waiter = Waiter.start(() -> injector.await(wakeup, -1, false)).parked();
        cable.a().transmit(numbered(1, 60), 0, 60, now);
        waiter.ended();
        assertThat(receive(injector, now)).isEqualTo(numbered(1, 60));
    }

    @Test
    void afterATransmitRefusedForTheRatePollAtReportsWhenTheNextFrameMayGo() {
        FaultInjector injector = new FaultInjector(new LoopbackDevice(8),
                FaultConfig.NONE.withTxRateLimit(2).withShapingIntervalMicros(1_000), 1);
        now = 5_000;
        assertThat(injector.pollAt(now)).as("nothing refused yet").isEqualTo(Long.MAX_VALUE);
        assertThat(injector.transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).isTrue();
        assertThat(injector.pollAt(now)).as("the rate is used up, but nothing waits for it").isEqualTo(Long.MAX_VALUE);
        assertThat(injector.transmit(numbered(3, 60), 0, 60, now)).isFalse();
        assertThat(injector.pollAt(now)).isEqualTo(6_000);
        assertThat(injector.pollAt(5_999)).isEqualTo(6_000);

        now = 6_000;
        assertThat(injector.pollAt(now)).as("its time has come: nothing more is due").isEqualTo(Long.MAX_VALUE);
        assertThat(injector.transmit(numbered(3, 60), 0, 60, now)).isTrue();
        assertThat(injector.pollAt(now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void pollAtIsTheEarlierOfTheInjectorsAndTheWrappedDevicesDeadline() {
        WaitRecorder inner = new WaitRecorder();
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withTxRateLimit(1).withShapingIntervalMicros(1_000), 1);
        injector.transmit(numbered(1, 60), 0, 60, 0);
        injector.transmit(numbered(2, 60), 0, 60, 0);
        inner.pollAt = 700;
        assertThat(injector.pollAt(0)).isEqualTo(700);
        inner.pollAt = 1_300;
        assertThat(injector.pollAt(0)).isEqualTo(1_000);
        assertThat(new FaultInjector(null, FaultConfig.NONE, 1).pollAt(0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aWaitUntilWritableAsksTheWrappedDeviceForRoomOnlyWhenItRefusedTheFrame() throws InterruptedException {
        WaitRecorder inner = new WaitRecorder();
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withTxRateLimit(1), 1);
        Wakeup wakeup = new Wakeup();
        assertThat(injector.transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).as("over the rate").isFalse();
        injector.await(wakeup, 0, true);
        assertThat(inner.untilWritable).as("time lifts a rate refusal, not room").isFalse();

        now += 1_000_000;
        inner.refuse = true;
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).as("refused by the device").isFalse();
        injector.await(wakeup, 0, true);
        assertThat(inner.untilWritable).isTrue();
        assertThat(inner.timeoutMicros).isZero();
        assertThat(inner.wakeup).isSameAs(wakeup);
    }

    @Test
    void aWaitUntilWritableOnTheInjectorEndsWhenTheFullDeviceBeneathTakesAFrame() throws InterruptedException {
        Cable cable = Cable.create(1);
        FaultInjector injector = new FaultInjector(cable.a(), FaultConfig.NONE, 1);
        Wakeup wakeup = new Wakeup();
        assertThat(injector.transmit(numbered(1, 60), 0, 60, now)).isTrue();
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).as("the cable is full").isFalse();
        Waiter waiter = Waiter.start(() -> injector.await(wakeup, -1, true)).parked();
        assertThat(receive(cable.b(), now)).isEqualTo(numbered(1, 60));
        waiter.ended();
        assertThat(injector.transmit(numbered(2, 60), 0, 60, now)).isTrue();
    }

    @Test
    void aBadConfigurationIsRefusedWithTheValueNamed() {
        assertThatThrownBy(() -> FaultConfig.NONE.withDropChance(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drop chance must be within 0..1: 1.5");
        assertThatThrownBy(() -> FaultConfig.NONE.withCorruptChance(-0.1))
                .hasMessage("corrupt chance must be within 0..1: -0.1");
        assertThatThrownBy(() -> FaultConfig.NONE.withDropChance(Double.NaN))
                .hasMessage("drop chance must be within 0..1: NaN");
        assertThatThrownBy(() -> FaultConfig.NONE.withSizeLimit(-1))
                .hasMessage("size limit must be 0 (no limit) or more: -1");
        assertThatThrownBy(() -> FaultConfig.NONE.withTxRateLimit(-2))
                .hasMessage("tx rate limit must be 0 (no limit) or more: -2");
        assertThatThrownBy(() -> FaultConfig.NONE.withRxRateLimit(-3))
                .hasMessage("rx rate limit must be 0 (no limit) or more: -3");
        assertThatThrownBy(() -> FaultConfig.NONE.withShapingIntervalMicros(0))
                .hasMessage("shaping interval must be at least 1 microsecond: 0");
        assertThatThrownBy(() -> new FaultInjector(null, null, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noneChangesNothing() {
        LoopbackDevice inner = new LoopbackDevice(4);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE, 1);
        List<byte[]> got = receiveThrough(injector, inner, 1000);
        assertThat(got).hasSize(1000);
        for (int n = 0; n < 1000; n++) {
            assertThat(got.get(n)).isEqualTo(numbered(n, 64));
        }
        assertThat(injector.toString()).isEqualTo("fault injector: rx dropped=0 corrupted=0 oversize=0 rate-limited=0"
                + " delay-overflow=0 held=0, tx dropped=0 corrupted=0 oversize=0 rate-limited=0 delay-overflow=0"
                + " held=0");
    }
}
