package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link LoopbackTransfer} on its two clocks: a run with faults is timed on a virtual clock and repeats
 * exactly under its seed; a run without is timed on the wall clock. Small transfers (at most 256 KiB).
 */
class LoopbackTransferTest {
    static final LoopbackTransfer.Settings LOSSY_CABLE = new LoopbackTransfer.Settings(256 << 10,
            LoopbackTransfer.DEFAULT_MTU, true, true, 0.1, 0.05);

    static LoopbackTransfer.Result run(LoopbackTransfer.Settings settings) {
        return new LoopbackTransfer(settings, new StreamPattern()).run(null);
    }

    @Test
    void aSeededFaultRunIsTheSameRunEveryTime() {
        LoopbackTransfer.Result first = run(LOSSY_CABLE);

        assertThat(first.completed()).as(first.failure()).isTrue();
        assertThat(first.virtualClock()).isTrue();
        assertThat(first.framesLost()).isPositive();
        assertThat(first.framesCorrupted()).isPositive();
        for (int i = 0; i < 2; i++) {
            // everything but the wall time: segments, retransmissions, losses, checksums, the virtual time
            assertThat(run(LOSSY_CABLE)).usingRecursiveComparison().ignoringFields("wallNanos").isEqualTo(first);
        }
    }

    @Test
    void aFaultRunsThroughputIsOverItsVirtualTime() {
        LoopbackTransfer.Result result = run(LOSSY_CABLE);

        assertThat(result.clockMicros()).isGreaterThan(result.skippedMicros());
        assertThat(result.gbps()).isEqualTo(result.bytes() * 8.0 / (result.clockMicros() * 1000));
    }

    @Test
    void aRunWithoutFaultsIsTimedOnTheWallClock() {
        LoopbackTransfer.Result result = run(new LoopbackTransfer.Settings(256 << 10,
                LoopbackTransfer.DEFAULT_MTU, false, true, 0, 0));

        assertThat(result.completed()).as(result.failure()).isTrue();
        assertThat(result.virtualClock()).isFalse();
        assertThat(result.gbps()).isEqualTo(result.bytes() * 8.0 / result.wallNanos());
    }

    @Test
    void aFailedRunCountsEverythingUpToTheFailure() {
        LoopbackTransfer.Result result = run(new LoopbackTransfer.Settings(1024, LoopbackTransfer.DEFAULT_MTU,
                false, false, 1, 0));

        assertThat(result.completed()).isFalse();
        assertThat(result.failure()).startsWith("the client's connection ended (TIMEOUT");
        assertThat(result.bytes()).isZero();
        assertThat(result.clientSegments()).isPositive();
        assertThat(result.clientRetransmissions()).isPositive();
        assertThat(result.framesLost()).isGreaterThanOrEqualTo(result.clientSegments());
        // the connection timed out after its backed-off timers, on the virtual clock: seconds, not waited for
        assertThat(result.clockMicros()).isGreaterThan(60_000_000L);
        assertThat(result.wallNanos()).isLessThan(result.clockMicros() * 1000);
    }
}
