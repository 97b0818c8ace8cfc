package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.examples.LoopbackBenchmarkTest.smol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.examples.LoopbackBenchmarkTest.Run;

/**
 * {@code ./smol bench threads} run small (8 MiB): it completes byte-exact over the threaded runtime and
 * reports its figures; bad options are refused. No timing is asserted.
 */
@Timeout(120)
class ThreadedCableBenchmarkTest {

    @Test
    void movesEveryByteThroughTheRuntimeThreadsAndTheStreams() {
        Run run = smol("bench", "threads", "--bytes", "8m", "--connections", "4");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("settings: bytes=8388608 connections=4 (half each way")
                .contains("done in: ").contains("throughput: ").contains("verified: 8388608 bytes byte-exact");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("smol-runtime bench-"));
    }

    @Test
    void defaultsMoveOneHundredMegabytesOverEightConnections() {
        ThreadedCableBenchmark.Settings d = ThreadedCableBenchmark.Settings.defaults();

        assertThat(d.bytes()).isEqualTo(100_000_000L);
        assertThat(d.connections()).isEqualTo(8);
        assertThat(d.mtu()).isEqualTo(1500);
    }

    @Test
    void anOddNumberOfConnectionsIsRefused() {
        Run run = smol("bench", "threads", "--connections", "3");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--connections must be even").contains(ThreadedCableBenchmark.USAGE);
    }

    @Test
    void helpNamesEveryOption() {
        Run run = smol("bench", "threads", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains("--bytes").contains("--connections").contains("--mtu");
    }
}
