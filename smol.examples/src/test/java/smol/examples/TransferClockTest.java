package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link TransferClock}: the virtual clock counts bytes at its link rate and skips; the wall clock runs. */
class TransferClockTest {
    @Test
    void virtualTimeIsTheBytesSentAtTenGigabitsPerSecondPlusTheTimeSkipped() {
        TransferClock clock = TransferClock.virtual();
        clock.start();

        assertThat(clock.nowMicros(0)).isZero();
        assertThat(clock.nowMicros(1249)).isZero(); // 9,992 bits: not yet a microsecond at 10 Gbit/s
        assertThat(clock.nowMicros(1250)).isEqualTo(1);
        assertThat(clock.nowMicros(1_250_000_000L)).isEqualTo(1_000_000L);
        clock.skip(200_000);
        assertThat(clock.nowMicros(1250)).isEqualTo(200_001);
        assertThat(clock.skippedMicros()).isEqualTo(200_000);
    }

    @Test
    void virtualTimeStandsStillWhileNothingIsSent() throws InterruptedException {
        TransferClock clock = TransferClock.virtual();
        clock.start();
        long before = clock.nowMicros(5000);

        Thread.sleep(5);

        assertThat(clock.nowMicros(5000)).isEqualTo(before);
    }

    @Test
    void wallTimeRunsWithoutBytesAndSkipsAddToIt() throws InterruptedException {
        TransferClock clock = TransferClock.wall();
        clock.start();

        Thread.sleep(5);
        assertThat(clock.nowMicros(0)).isGreaterThanOrEqualTo(5000);
        clock.skip(1_000_000_000L);
        assertThat(clock.nowMicros(0)).isGreaterThanOrEqualTo(1_000_005_000L);
    }

    @Test
    void skippingBackIsIgnored() {
        TransferClock clock = TransferClock.virtual();
        clock.start();

        clock.skip(-5);

        assertThat(clock.nowMicros(0)).isZero();
        assertThat(clock.skippedMicros()).isZero();
    }
}
