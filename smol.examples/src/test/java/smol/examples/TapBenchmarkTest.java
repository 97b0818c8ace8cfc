package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.examples.LoopbackBenchmarkTest.smol;

import org.junit.jupiter.api.Test;
import smol.examples.LoopbackBenchmarkTest.Run;
import smol.examples.TapBenchmark.Mode;
import smol.examples.TapBenchmark.Settings;

/**
 * {@code ./smol bench tap}'s options and its privilege check, without root: the runs themselves are in
 * kernel-tests ({@code TapBenchmarkKernelTest}).
 */
class TapBenchmarkTest {

    @Test
    void defaultsAreSmoltcpsBenchmarkOneGigabyteAtMtu1500With64KibBuffersAndTwoHundredPings() {
        Settings s = TapBenchmark.parse(new String[] {"reader"});

        assertThat(s).isEqualTo(new Settings(Mode.READER, 1_000_000_000L, 1500, 65536, 200));
    }

    @Test
    void optionsMayComeBeforeOrAfterTheMode() {
        assertThat(TapBenchmark.parse(new String[] {"--bytes", "20m", "writer", "--mtu", "9000"}))
                .isEqualTo(new Settings(Mode.WRITER, 20L << 20, 9000, 65536, 200));
        assertThat(TapBenchmark.parse(new String[] {"ping", "--count", "5"}))
                .isEqualTo(new Settings(Mode.PING, 1_000_000_000L, 1500, 65536, 5));
    }

    @Test
    void kernelBuffersTakeASizeOrAutoForTheKernelsOwnDefaults() {
        assertThat(TapBenchmark.parse(new String[] {"reader", "--kernel-buffers", "256k"}).kernelBuffers())
                .isEqualTo(256 * 1024);
        assertThat(TapBenchmark.parse(new String[] {"reader", "--kernel-buffers", "auto"}).kernelBuffers()).isZero();
        assertThatThrownBy(() -> TapBenchmark.parse(new String[] {"reader", "--kernel-buffers", "2g"}))
                .hasMessageContaining("--kernel-buffers must be at most 1g");
    }

    @Test
    void helpIsNullAndListsEveryModeAndOption() {
        assertThat(TapBenchmark.parse(new String[] {"reader", "--help"})).isNull();

        Run run = smol("bench", "tap", "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).contains(TapBenchmark.USAGE).contains("reader").contains("writer").contains("ping")
                .contains("--bytes").contains("--mtu").contains("--kernel-buffers").contains("--count").contains("Needs root");
    }

    @Test
    void aMissingUnknownOrSecondModeIsRefused() {
        assertThatThrownBy(() -> TapBenchmark.parse(new String[] {"--bytes", "1m"})).hasMessageContaining("which mode?");
        assertThatThrownBy(() -> TapBenchmark.parse(new String[] {"sideways"})).hasMessageContaining("unknown mode 'sideways'");
        assertThatThrownBy(() -> TapBenchmark.parse(new String[] {"reader", "writer"})).hasMessageContaining("one mode only");
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> TapBenchmark.parse(new String[] {"reader", "--mtu", "100"}))
                .hasMessageContaining("--mtu must be within 576..9000");
        assertThatThrownBy(() -> TapBenchmark.parse(new String[] {"reader", "--bytes"}))
                .hasMessageContaining("--bytes needs a value");
        assertThatThrownBy(() -> TapBenchmark.parse(new String[] {"ping", "--count", "0"}))
                .hasMessageContaining("--count must be within 1..100000");
        assertThatThrownBy(() -> TapBenchmark.parse(new String[] {"reader", "--fast"}))
                .hasMessageContaining("unknown option '--fast'");
    }

    @Test
    void badUsageExitsTwoWithTheUsageBeforeAnyPrivilegeIsNeeded() {
        Run run = smol("bench", "tap", "--mtu", "1500");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("smol bench tap: which mode?").contains(TapBenchmark.USAGE);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void rootsCapabilitiesArePrivilegedAnOrdinaryUsersAreNot() {
        // CapEff lines of /proc/self/status: root on a 5.x/6.x kernel, and a user without capabilities
        assertThat(TapBenchmark.privileged("Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n")).isTrue();
        assertThat(TapBenchmark.privileged("Name:\tjava\nCapEff:\t0000000000000000\n")).isFalse();
        // CAP_NET_ADMIN (bit 12) alone cannot make and enter a namespace: CAP_SYS_ADMIN (bit 21) too
        assertThat(TapBenchmark.privileged("CapEff:\t0000000000001000\n")).isFalse();
        assertThat(TapBenchmark.privileged("CapEff:\t0000000000201000\n")).isTrue();
        assertThat(TapBenchmark.privileged("")).isFalse();
    }
}
