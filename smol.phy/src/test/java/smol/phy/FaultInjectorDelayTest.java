package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.phy.Frames.numbered;
import static smol.phy.Frames.receive;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delay line of {@link FaultInjector}: a fixed delay plus jitter, in each direction, on a virtual clock. */
class FaultInjectorDelayTest {
    private static final long DELAY = 20_000;
    private static final long JITTER = 5_000;
    /** The virtual clock's step between frames sent. */
    private static final long STEP = 100;

    /** A frame seen leaving a device: its number and the virtual time it came out. */
    private record Arrival(int number, long atMicros) {}

    /** The number of a frame made by {@link Frames#numbered}: its first byte (numbers below 256). */
    private static int numberOf(byte[] frame) {
        return frame[0] & 0xff;
    }

    @Test
    void aReceivedFrameComesOutNoEarlierThanItsDelay() {
        LoopbackDevice inner = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withDelayMicros(DELAY), 1);
        inner.transmit(numbered(7, 60), 0, 60, 1_000);

        assertThat(receive(injector, 1_000)).isNull();
        assertThat(injector.rxHeld()).isEqualTo(1);
        assertThat(receive(injector, 1_000 + DELAY - 1)).isNull();
        assertThat(receive(injector, 1_000 + DELAY)).isEqualTo(numbered(7, 60));
        assertThat(injector.rxHeld()).isZero();
        assertThat(receive(injector, 1_000 + DELAY)).isNull();
    }

    @Test
    void aTransmittedFrameReachesTheDeviceAtTheFirstCallAfterItsDelay() {
        Cable cable = Cable.create(LoopbackDevice.DEFAULT_CAPABILITIES, 16);
        FaultInjector injector = new FaultInjector(cable.a(), FaultConfig.NONE.withDelayMicros(DELAY), 1);

        assertThat(injector.transmit(numbered(3, 60), 0, 60, 0)).as("held, not refused").isTrue();
        assertThat(injector.txHeld()).isEqualTo(1);
        assertThat(receive(injector, DELAY - 1)).isNull(); // a call before the release time
        assertThat(receive(cable.b(), DELAY - 1)).isNull();
        assertThat(receive(injector, DELAY)).isNull(); // this call hands it on
        assertThat(receive(cable.b(), DELAY)).isEqualTo(numbered(3, 60));
        assertThat(injector.txHeld()).isZero();
    }

    @Test
    void jitterReordersFramesAndDeliversEachExactlyOnceWithinItsBounds() {
        int count = 2_000;
        LoopbackDevice inner = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withDelayMicros(DELAY).withJitterMicros(JITTER).withDelaySlots(1024), 42);
        List<Arrival> arrivals = new ArrayList<>();
        long now = 0;
        for (int n = 0; arrivals.size() < count && now < 10_000_000; n++, now += STEP) {
            if (n < count) {
                inner.transmit(numbered(n, 60), 0, 60, now); // frame n enters at n * STEP
            }
            for (byte[] f = receive(injector, now); f != null; f = receive(injector, now)) {
                arrivals.add(new Arrival(sentNumber(f, arrivals, count), now));
            }
        }

        assertThat(arrivals).hasSize(count);
        boolean[] seen = new boolean[count];
        int overtaken = 0;
        for (int i = 0; i < count; i++) {
            Arrival a = arrivals.get(i);
            assertThat(seen[a.number()]).as("frame %d twice", a.number()).isFalse();
            seen[a.number()] = true;
            long sentAt = a.number() * STEP;
            assertThat(a.atMicros() - sentAt).as("frame %d", a.number())
                    .isBetween(DELAY - JITTER, DELAY + JITTER + STEP);
            if (i > 0 && a.number() < arrivals.get(i - 1).number()) {
                overtaken++; // this frame was sent before the one that came out before it
            }
        }
        assertThat(overtaken).as("pairs that overtook each other").isGreaterThan(count / 10);
        assertThat(injector.rxDelayOverflow()).isZero();
    }

    /**
     * Frame numbers wrap at 256 in the first byte; this recovers the full number as the smallest one not
     * yet seen with that first byte (frames that far apart never cross: 256 steps are longer than twice
     * the jitter).
     */
    private static int sentNumber(byte[] frame, List<Arrival> arrivals, int count) {
        int low = numberOf(frame);
        for (int n = low; n < count; n += 256) {
            int candidate = n;
            if (arrivals.stream().noneMatch(a -> a.number() == candidate)) {
                return n;
            }
        }
        throw new AssertionError("no frame left numbered " + low);
    }

    @Test
    void aPairSentInOrderComesOutSwappedWhenTheSecondDrawsTheShorterDelay() {
        // Frame 1 enters at 0, frame 2 at 1 us; with a jitter as large as the delay, about half the seeds
        // release frame 2 first.
        int swapped = 0;
        for (long seed = 1; seed <= 20; seed++) {
            LoopbackDevice inner = new LoopbackDevice(16);
            FaultInjector injector = new FaultInjector(inner,
                    FaultConfig.NONE.withDelayMicros(DELAY).withJitterMicros(DELAY), seed);
            inner.transmit(numbered(1, 60), 0, 60, 0);
            assertThat(receive(injector, 0)).isNull();
            inner.transmit(numbered(2, 60), 0, 60, 1);
            receive(injector, 1); // null, unless frame 1 drew a delay of 0
            List<Integer> order = new ArrayList<>();
            for (long t = 1; order.size() < 2 && t <= 2 * DELAY + 1; t = injector.pollAt(t)) {
                for (byte[] f = receive(injector, t); f != null; f = receive(injector, t)) {
                    order.add(numberOf(f));
                }
            }
            assertThat(order).containsExactlyInAnyOrder(1, 2);
            if (order.get(0) == 2) {
                swapped++;
            }
        }
        assertThat(swapped).isBetween(3, 17);
    }

    @Test
    void pollAtTellsTheEarliestReleaseOfEitherDirection() {
        Cable cable = Cable.create(LoopbackDevice.DEFAULT_CAPABILITIES, 16);
        FaultInjector injector = new FaultInjector(cable.a(), FaultConfig.NONE.withDelayMicros(DELAY), 1);
        assertThat(injector.pollAt(0)).isEqualTo(Long.MAX_VALUE);

        assertThat(injector.transmit(numbered(1, 60), 0, 60, 5_000)).isTrue(); // due at 25 ms
        assertThat(injector.pollAt(5_000)).isEqualTo(25_000);
        cable.b().transmit(numbered(2, 60), 0, 60, 6_000);
        assertThat(receive(injector, 6_000)).isNull(); // takes frame 2 in, due at 26 ms
        assertThat(injector.pollAt(6_000)).isEqualTo(25_000);

        assertThat(receive(injector, 25_000)).isNull(); // frame 1 goes out
        assertThat(receive(cable.b(), 25_000)).isEqualTo(numbered(1, 60));
        assertThat(injector.pollAt(25_000)).isEqualTo(26_000);
        assertThat(receive(injector, 25_999)).isNull();
        assertThat(receive(injector, 26_000)).isEqualTo(numbered(2, 60));
        assertThat(injector.pollAt(26_000)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void pollAtWithJitterNamesTheTimeTheNextFrameComesOutExactly() {
        LoopbackDevice inner = new LoopbackDevice(64);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withDelayMicros(DELAY).withJitterMicros(JITTER), 9);
        for (int n = 0; n < 50; n++) {
            inner.transmit(numbered(n, 60), 0, 60, 0);
        }
        assertThat(receive(injector, 0)).isNull();
        int received = 0;
        long now = 0;
        while (received < 50) {
            long at = injector.pollAt(now);
            assertThat(at).isGreaterThan(now).isBetween(DELAY - JITTER, DELAY + JITTER);
            assertThat(receive(injector, at - 1)).as("nothing before the time pollAt named").isNull();
            now = at;
            for (byte[] f = receive(injector, now); f != null; f = receive(injector, now)) {
                received++;
            }
        }
        assertThat(injector.pollAt(now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aHeldTransmitTheDeviceRefusesWaitsForRoomWithoutAPastPollAt() {
        Cable cable = Cable.create(LoopbackDevice.DEFAULT_CAPABILITIES, 1);
        FaultInjector injector = new FaultInjector(cable.a(), FaultConfig.NONE.withDelayMicros(DELAY), 1);
        injector.transmit(numbered(1, 60), 0, 60, 0);
        injector.transmit(numbered(2, 60), 0, 60, 0);

        assertThat(receive(injector, DELAY)).isNull(); // frame 1 goes, the cable then refuses frame 2
        assertThat(injector.txHeld()).isEqualTo(1);
        assertThat(injector.pollAt(DELAY)).as("room, not time, moves it").isEqualTo(Long.MAX_VALUE);
        assertThat(injector.waitsForRoom()).isTrue();

        assertThat(receive(cable.b(), DELAY + 1)).isEqualTo(numbered(1, 60));
        assertThat(receive(injector, DELAY + 1)).isNull(); // tried again: it goes now
        assertThat(injector.txHeld()).isZero();
        assertThat(injector.waitsForRoom()).isFalse();
        assertThat(receive(cable.b(), DELAY + 1)).isEqualTo(numbered(2, 60));
    }

    @Test
    void aFullDelayLineLosesTheFramesThatFindItFullAndCountsThem() {
        Cable cable = Cable.create(LoopbackDevice.DEFAULT_CAPABILITIES, 16);
        FaultInjector injector = new FaultInjector(cable.a(),
                FaultConfig.NONE.withDelayMicros(DELAY).withDelaySlots(4), 1);
        for (int n = 0; n < 6; n++) {
            cable.b().transmit(numbered(n, 60), 0, 60, 0);
            assertThat(injector.transmit(numbered(10 + n, 60), 0, 60, 0)).as("a loss, not a refusal").isTrue();
        }
        assertThat(receive(injector, 0)).isNull();

        assertThat(injector.rxHeld()).isEqualTo(4);
        assertThat(injector.txHeld()).isEqualTo(4);
        assertThat(injector.rxDelayOverflow()).isEqualTo(2);
        assertThat(injector.txDelayOverflow()).isEqualTo(2);
        assertThat(injector.toString()).contains("rate-limited=0 delay-overflow=2 held=4");
        List<byte[]> got = new ArrayList<>();
        for (byte[] f = receive(injector, DELAY); f != null; f = receive(injector, DELAY)) {
            got.add(f);
        }
        assertThat(got).containsExactly(numbered(0, 60), numbered(1, 60), numbered(2, 60), numbered(3, 60));
        for (int n = 0; n < 4; n++) {
            assertThat(receive(cable.b(), DELAY)).isEqualTo(numbered(10 + n, 60));
        }
        assertThat(receive(cable.b(), DELAY)).isNull();
    }

    @Test
    void theSameSeedGivesTheSameFramesAtTheSameTimes() {
        assertThat(run(77)).isEqualTo(run(77));
        assertThat(run(77)).isNotEqualTo(run(78));
    }

    /** Numbered frames through a lossy, jittery receive side; returns what came out, when. */
    private static List<Arrival> run(long seed) {
        LoopbackDevice inner = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withDropChance(0.1).withDelayMicros(DELAY).withJitterMicros(JITTER), seed);
        List<Arrival> arrivals = new ArrayList<>();
        for (long now = 0; now < 200 * STEP + 2 * DELAY; now += STEP) {
            if (now < 200 * STEP) {
                inner.transmit(numbered((int) (now / STEP), 60), 0, 60, now);
            }
            for (byte[] f = receive(injector, now); f != null; f = receive(injector, now)) {
                arrivals.add(new Arrival(numberOf(f), now));
            }
        }
        return arrivals;
    }

    @Test
    void eachDirectionIsDelayedOnItsOwn() {
        Cable cable = Cable.create(LoopbackDevice.DEFAULT_CAPABILITIES, 16);
        FaultInjector injector = new FaultInjector(cable.a(),
                FaultConfig.NONE.withDelayMicros(DELAY).withDelaySlots(2), 1);
        // Two frames in, then fill the receive line: the transmit line still has room.
        cable.b().transmit(numbered(1, 60), 0, 60, 0);
        cable.b().transmit(numbered(2, 60), 0, 60, 0);
        cable.b().transmit(numbered(3, 60), 0, 60, 0);
        assertThat(receive(injector, 0)).isNull();
        assertThat(injector.transmit(numbered(4, 60), 0, 60, 3_000)).isTrue();
        assertThat(injector.transmit(numbered(5, 60), 0, 60, 3_000)).isTrue();

        assertThat(injector.rxDelayOverflow()).isEqualTo(1);
        assertThat(injector.txDelayOverflow()).isZero();
        assertThat(receive(injector, DELAY)).isEqualTo(numbered(1, 60));
        assertThat(receive(injector, DELAY)).isEqualTo(numbered(2, 60));
        assertThat(receive(cable.b(), DELAY)).as("sent 3 ms later, due 3 ms later").isNull();
        assertThat(receive(injector, 3_000 + DELAY)).isNull();
        assertThat(receive(cable.b(), 3_000 + DELAY)).isEqualTo(numbered(4, 60));
        assertThat(receive(cable.b(), 3_000 + DELAY)).isEqualTo(numbered(5, 60));
    }

    @Test
    void aDelayedFrameKeepsTheDevicesChecksumWordAndACorruptedOneIsLeftToTheStack() {
        Checksummed inner = new Checksummed(ReceivedChecksum.VERIFIED);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withDelayMicros(DELAY), 1);
        inner.transmit(numbered(1, 60), 0, 60, 0);
        assertThat(receive(injector, 0)).isNull();
        inner.word = ReceivedChecksum.NOT_READY; // the device's word for a later frame
        inner.transmit(numbered(2, 60), 0, 60, 10);
        assertThat(receive(injector, 10)).isNull();

        assertThat(receive(injector, DELAY)).isEqualTo(numbered(1, 60));
        assertThat(injector.receivedChecksum()).isEqualTo(ReceivedChecksum.VERIFIED);
        assertThat(receive(injector, DELAY + 10)).isEqualTo(numbered(2, 60));
        assertThat(injector.receivedChecksum()).isEqualTo(ReceivedChecksum.NOT_READY);

        injector.setConfig(injector.config().withCorruptChance(1));
        inner.transmit(numbered(3, 60), 0, 60, 100);
        assertThat(receive(injector, 100)).isNull();
        assertThat(receive(injector, 100 + DELAY)).isNotEqualTo(numbered(3, 60)).hasSize(60);
        assertThat(injector.receivedChecksum()).isEqualTo(ReceivedChecksum.UNKNOWN);
    }

    /** A loopback device that says {@link #word} of every frame's checksum. */
    private static final class Checksummed extends WrappedDevice {
        ReceivedChecksum word;

        Checksummed(ReceivedChecksum word) {
            super(new LoopbackDevice(16), false);
            this.word = word;
        }

        @Override
        public int receive(byte[] buf, int off, long nowMicros) {
            return device().receive(buf, off, nowMicros);
        }

        @Override
        public ReceivedChecksum receivedChecksum() {
            return word;
        }

        @Override
        public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
            return device().transmit(buf, off, len, nowMicros);
        }
    }

    @Test
    void aNewConfigurationLeavesHeldFramesTheirTimesAndAZeroDelayLetsNewFramesOutAtOnce() {
        LoopbackDevice inner = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(inner, FaultConfig.NONE.withDelayMicros(DELAY), 1);
        inner.transmit(numbered(1, 60), 0, 60, 0);
        assertThat(receive(injector, 0)).isNull();

        injector.setConfig(FaultConfig.NONE);
        inner.transmit(numbered(2, 60), 0, 60, 1_000);
        assertThat(receive(injector, 1_000)).as("the new frame, due at once").isEqualTo(numbered(2, 60));
        assertThat(receive(injector, 1_000)).as("the held frame keeps its time").isNull();
        assertThat(injector.pollAt(1_000)).isEqualTo(DELAY);
        assertThat(receive(injector, DELAY)).isEqualTo(numbered(1, 60));
        // the line is empty: frames pass straight through again
        inner.transmit(numbered(3, 60), 0, 60, DELAY);
        assertThat(receive(injector, DELAY)).isEqualTo(numbered(3, 60));
    }

    @Test
    void heldFramesWaitWhileDetachedAndGoToTheNextDevice() {
        LoopbackDevice first = new LoopbackDevice(16);
        FaultInjector injector = new FaultInjector(first, FaultConfig.NONE.withDelayMicros(DELAY), 1);
        first.transmit(numbered(1, 60), 0, 60, 0);
        assertThat(receive(injector, 0)).isNull();
        injector.detach();
        assertThat(receive(injector, DELAY)).isNull();
        assertThat(injector.pollAt(DELAY)).isEqualTo(Long.MAX_VALUE);

        injector.attach(new LoopbackDevice(16));
        assertThat(receive(injector, DELAY)).isEqualTo(numbered(1, 60));
    }

    @Test
    void framesThroughBothDelayLinesAllocateNothingAfterWarmUp() {
        // Through a loopback device every frame crosses the transmit line, then the receive line.
        LoopbackDevice inner = new LoopbackDevice(64);
        FaultInjector injector = new FaultInjector(inner,
                FaultConfig.NONE.withDelayMicros(1_000).withJitterMicros(500).withDropChance(0.01), 3);
        byte[] frame = numbered(1, 1514);
        byte[] buf = new byte[1514];
        long[] now = {0};
        long[] received = {0};
        Runnable frames = () -> {
            for (int i = 0; i < 100_000; i++) {
                injector.transmit(frame, 0, frame.length, now[0]);
                while (injector.receive(buf, 0, now[0]) > 0) {
                    received[0]++;
                }
                now[0] += 10;
            }
        };
        frames.run(); // warm-up: the slots are made, the code compiled
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        frames.run();
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(injector.rxHeld() + injector.txHeld()).as("the lines were in use").isPositive();
        assertThat(received[0]).isGreaterThan(190_000);
        assertThat((double) allocated / 100_000).as("bytes per frame").isLessThan(1.0);
        assertThat(buf).isEqualTo(frame);
    }

    @Test
    void aBadDelayIsRefusedWithTheValueNamed() {
        assertThatThrownBy(() -> FaultConfig.NONE.withDelayMicros(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must be within 0..60000000 microseconds: -1");
        assertThatThrownBy(() -> FaultConfig.NONE.withDelayMicros(FaultConfig.MAX_DELAY_MICROS + 1))
                .hasMessage("delay must be within 0..60000000 microseconds: 60000001");
        assertThatThrownBy(() -> FaultConfig.NONE.withDelayMicros(10).withJitterMicros(11))
                .hasMessage("jitter must be within 0..delay (10 microseconds; set the delay first): 11");
        assertThatThrownBy(() -> FaultConfig.NONE.withJitterMicros(-1))
                .hasMessage("jitter must be within 0..delay (0 microseconds; set the delay first): -1");
        assertThatThrownBy(() -> FaultConfig.NONE.withDelaySlots(0))
                .hasMessage("delay slots must be within 1..65536: 0");
        assertThatThrownBy(() -> FaultConfig.NONE.withDelaySlots(FaultConfig.MAX_DELAY_SLOTS + 1))
                .hasMessage("delay slots must be within 1..65536: 65537");
        assertThat(FaultConfig.NONE.delayMicros()).isZero();
        assertThat(FaultConfig.NONE.jitterMicros()).isZero();
        assertThat(FaultConfig.NONE.delaySlots()).isEqualTo(FaultConfig.DEFAULT_DELAY_SLOTS);
    }
}
