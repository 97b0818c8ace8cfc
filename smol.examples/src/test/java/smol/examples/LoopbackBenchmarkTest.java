package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./smol bench loopback} run small (4 MiB) in each mode: it completes byte-exact and reports its
 * figures, or fails and reports them up to the failure. No timing is asserted: speed and allocation are
 * what the command measures, not what a test may expect of a shared machine (only a fault run's virtual
 * time, the same on every machine).
 */
class LoopbackBenchmarkTest {
    record Run(int code, String out, String err) {}

    static Run smol(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run bench(String options) {
        return smol(("bench loopback --bytes 4m " + options).trim().split(" "));
    }

    @Test
    void defaultsMatchSmoltcpsLoopbackBenchmark() {
        LoopbackTransfer.Settings d = LoopbackTransfer.Settings.defaults();

        assertThat(d.bytes()).isEqualTo(1L << 30);
        assertThat(d.mtu() + 14).isEqualTo(65535);
        assertThat(d.checksums()).isFalse();
        assertThat(d.cable()).isFalse();
        assertThat(LoopbackTransfer.BUFFER_BYTES).isEqualTo(65536);
    }

    @Test
    void defaultModeMovesEveryByteOverOneLoopbackInterface() {
        Run run = bench("");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("settings: bytes=4194304 mtu=65521 (frames up to 65535 bytes) checksums=off"
                + " buffers=65536 path=loopback 127.0.0.1/8");
        assertThat(run.out()).contains("faults=none");
        assertReported(run);
        assertThat(run.out()).doesNotContain("faults: ");
    }

    @Test
    void withThreadsTheSameTransferRunsThroughTheRuntimeAndItsStreams() {
        Run run = bench("--threads --mtu 1500 --checksums");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("settings: bytes=4194304 mtu=1500 checksums=on buffers=65536"
                + " path=loopback 127.0.0.1/8, one runtime thread");
        assertThat(run.out()).contains("throughput: ").contains("allocated on the loop thread: ")
                .contains("verified: 4194304 bytes byte-exact");
    }

    @Test
    void threadsRefuseTheCableAndFaults() {
        Run run = bench("--threads --drop-chance 0.1");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--threads runs one interface without faults");
    }

    @Test
    void realisticPathWithChecksumsAndEthernetMtu() {
        Run run = bench("--mtu 1500 --checksums");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("settings: bytes=4194304 mtu=1500 (frames up to 1514 bytes) checksums=on");
        assertReported(run);
    }

    @Test
    void twoInterfacesJoinedByACable() {
        Run run = bench("--cable");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("path=cable 10.0.0.1/24 -> 10.0.0.2/24");
        assertReported(run);
    }

    @Test
    void lossyAndCorruptingCableStillDeliversEveryByte() {
        Run run = bench("--cable --drop-chance 0.1 --corrupt-chance 0.05");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("checksums=on").contains("faults=drop 0.1 corrupt 0.05 seed ");
        assertReported(run);
        assertThat(run.out()).containsPattern("segments: client sent \\d+ \\([1-9]\\d* retransmitted\\)");
        assertThat(run.out()).containsPattern("faults: [1-9]\\d* frames lost, [1-9]\\d* corrupted, [1-9]\\d* dropped"
                + " for a bad checksum");
    }

    @Test
    void faultsOnTheLoopbackDeviceTurnChecksumsOn() {
        Run run = bench("--corrupt-chance 0.2");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("path=loopback").contains("checksums=on");
        assertReported(run);
    }

    @Test
    void aLinkThatLosesEverythingFailsWithExitCode1InsteadOfHanging() {
        Run run = smol("bench", "loopback", "--bytes", "1k", "--drop-chance", "1");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("smol bench loopback: the client's connection ended (TIMEOUT");
        assertThat(run.err().lines().count()).isEqualTo(1);
    }

    @Test
    void aFailedRunPrintsTheSameStatisticsAsACompletedOne() {
        Run run = smol("bench", "loopback", "--bytes", "1k", "--drop-chance", "1");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).containsPattern("(?m)^failed after: \\d+\\.\\d{3} s on the virtual clock"
                + " \\(\\d+\\.\\d{3} s of wall time\\)$");
        assertThat(run.out()).containsPattern("(?m)^throughput: 0\\.000 Gbps \\(virtual clock\\)$");
        assertThat(run.out()).containsPattern("(?m)^allocated: (not measured|unknown)");
        assertThat(run.out()).contains("verified: 0 of 1024 bytes byte-exact before the failure\n");
        assertThat(run.out()).containsPattern("(?m)^segments: client sent [1-9]\\d* \\([1-9]\\d* retransmitted\\),"
                + " server sent 0 \\(0 retransmitted\\)$");
        assertThat(run.out()).containsPattern("(?m)^queue full: \\d+ sends refused");
        assertThat(run.out()).containsPattern("(?m)^faults: [1-9]\\d* frames lost, 0 corrupted, 0 dropped for a bad"
                + " checksum; \\d+\\.\\d{3} s of idle waiting skipped on the virtual clock$");
    }

    @Test
    void aRunWithoutFaultsReportsWallClockThroughput() {
        Run run = bench("--cable");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^done in: \\d+\\.\\d{3} s$");
        assertThat(run.out()).containsPattern("(?m)^throughput: \\d+\\.\\d{3} Gbps$");
        assertThat(run.out()).doesNotContain("virtual");
    }

    @Test
    void aFaultRunReportsVirtualClockThroughputAndItsWallTime() {
        Run run = bench("--cable --drop-chance 0.1");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).containsPattern("(?m)^done in: \\d+\\.\\d{3} s on the virtual clock"
                + " \\(\\d+\\.\\d{3} s of wall time\\)$");
        assertThat(run.out()).containsPattern("(?m)^throughput: \\d+\\.\\d+ Gbps \\(virtual clock\\)$");
    }

    @Test
    void aSeededFaultRunPrintsTheSameCountsEveryTime() {
        String first = withoutWallFigures(bench("--cable --drop-chance 0.1 --corrupt-chance 0.05").out());
        String second = withoutWallFigures(bench("--cable --drop-chance 0.1 --corrupt-chance 0.05").out());

        assertThat(second).isEqualTo(first);
    }

    @Test
    void virtualThroughputKeepsFourSignificantDigitsHoweverSmall() {
        assertThat(LoopbackBenchmark.significant(0.0000279187)).isEqualTo("0.00002792");
        assertThat(LoopbackBenchmark.significant(1.81549)).isEqualTo("1.815");
        assertThat(LoopbackBenchmark.significant(12.34567)).isEqualTo("12.35");
        assertThat(LoopbackBenchmark.significant(0)).isEqualTo("0.000");
    }

    /** The output without what the wall clock decides: its time and the allocation the JIT makes. */
    private static String withoutWallFigures(String out) {
        return out.replaceAll("\\(\\d+\\.\\d{3} s of wall time\\)", "(wall time)")
                .replaceAll("(?m)^allocated: .*$", "allocated: ...");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--mtu 67", "--mtu 65536", "--mtu x", "--bytes 0", "--bytes -1", "--bytes 4t",
        "--drop-chance 1.5", "--corrupt-chance -0.1", "--drop-chance NaN", "--bytes", "--frobnicate"})
    void badOptionsAreUsageErrorsWithExitCode2(String options) {
        Run run = smol(("bench loopback " + options).split(" "));

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("smol bench loopback: ").endsWith(LoopbackBenchmark.USAGE + "\n");
        assertThat(run.err().lines().count()).isEqualTo(2);
    }

    @Test
    void errorsNameTheOptionAndValue() {
        assertThat(smol("bench", "loopback", "--mtu", "67").err()).startsWith(
                "smol bench loopback: --mtu must be within 68..65535: 67\n");
        assertThat(smol("bench", "loopback", "--frobnicate").err()).startsWith(
                "smol bench loopback: unknown option '--frobnicate'\n");
        assertThat(smol("bench", "loopback", "--bytes").err()).startsWith(
                "smol bench loopback: --bytes needs a value\n");
    }

    @Test
    void sizesTakeBinarySuffixes() {
        assertThat(LoopbackBenchmark.parseSize("--bytes", "4096")).isEqualTo(4096);
        assertThat(LoopbackBenchmark.parseSize("--bytes", "64k")).isEqualTo(64 << 10);
        assertThat(LoopbackBenchmark.parseSize("--bytes", "4M")).isEqualTo(4 << 20);
        assertThat(LoopbackBenchmark.parseSize("--bytes", "4MiB")).isEqualTo(4 << 20);
        assertThat(LoopbackBenchmark.parseSize("--bytes", "1g")).isEqualTo(1L << 30);
    }

    @Test
    void helpPrintsTheOptionsAndExits0() {
        Run run = smol("bench", "loopback", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).startsWith(LoopbackBenchmark.USAGE).contains("--drop-chance P");
    }

    @Test
    void benchWithoutOrWithAnUnknownBenchmarkIsAUsageError() {
        assertThat(smol("bench").code()).isEqualTo(2);
        Run run = smol("bench", "sideways");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("smol bench: unknown benchmark 'sideways'");
    }

    @Test
    void thePatternIsCheckedByteForByte() {
        StreamPattern pattern = new StreamPattern();
        byte[] stretch = new byte[100];
        long position = StreamPattern.PERIOD - 50; // across the period's end
        System.arraycopy(pattern.bytes(), StreamPattern.offsetOf(position), stretch, 0, stretch.length);

        assertThat(pattern.mismatch(position, stretch, 0, stretch.length)).isEqualTo(-1);
        assertThat(pattern.mismatch(position + 1, stretch, 0, stretch.length)).isZero();
        stretch[77] ^= 1;
        assertThat(pattern.mismatch(position, stretch, 0, stretch.length)).isEqualTo(77);
    }

    private static void assertReported(Run run) {
        assertThat(run.out()).contains("verified: 4194304 bytes byte-exact");
        assertThat(run.out()).containsPattern("(?m)^throughput: \\d+\\.\\d+ Gbps( \\(virtual clock\\))?$");
        assertThat(run.out()).containsPattern("(?m)^allocated: (\\d+ bytes per MiB moved|unknown)");
        assertThat(run.out()).containsPattern("(?m)^segments: client sent \\d+ \\(\\d+ retransmitted\\), server sent");
        assertThat(run.out()).containsPattern("(?m)^queue full: \\d+ sends refused by a full device queue");
    }
}
