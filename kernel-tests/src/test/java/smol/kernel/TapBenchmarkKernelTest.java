package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.examples.Main;
import smol.testsupport.Netns;

/**
 * {@code ./smol bench tap} run in this process, small: the kernel reads and writes 20 MiB through the TAP
 * byte-exact, and pings the stack without loss; each run makes its own namespace and deletes it. A check that
 * the benchmark runs and reports, not of its speed: no figure is asserted.
 */
@Timeout(180)
class TapBenchmarkKernelTest {
    private static final Pattern NETNS = Pattern.compile("netns=(smol-bench-[0-9a-f]{4})");

    /** What the command did: its exit code and what it printed. */
    record Run(int code, String out, String err) {
        /** The namespace the run made, from its settings line. */
        Path namespace() {
            Matcher m = NETNS.matcher(out);
            assertThat(m.find()).as("a netns= on the settings line: " + out).isTrue();
            return Path.of("/var/run/netns", m.group(1));
        }
    }

    private static Run smol(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void privileged() {
        Netns.requireRootAndTun();
    }

    @Test
    void theKernelReadsTwentyMebibytesFromTheStackByteExact() {
        Run run = smol("bench", "tap", "reader", "--bytes", "20m");

        assertThat(run.code()).as(run.err() + run.out()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("settings: mode=reader (the kernel reads from the stack) bytes=20971520 mtu=1500")
                .contains("kernel-buffers=65536")
                .contains("done in: ").containsPattern("throughput: [0-9]+\\.[0-9]{3} Gbps")
                .contains("allocated on the loop thread: ").contains("verified: 20971520 bytes byte-exact")
                .contains("frames: in ");
        assertThat(run.namespace()).doesNotExist();
    }

    @Test
    void theKernelWritesTwentyMebibytesToTheStackByteExact() {
        Run run = smol("bench", "tap", "writer", "--bytes", "20m");

        assertThat(run.code()).as(run.err() + run.out()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("settings: mode=writer (the kernel writes to the stack) bytes=20971520")
                .containsPattern("throughput: [0-9]+\\.[0-9]{3} Gbps").contains("verified: 20971520 bytes byte-exact");
        assertThat(run.namespace()).doesNotExist();
    }

    @Test
    void aLargerMtuAndTheKernelsOwnBuffersWorkToo() {
        Run run = smol("bench", "tap", "reader", "--bytes", "4m", "--mtu", "9000", "--kernel-buffers", "auto");

        assertThat(run.code()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("mtu=9000").contains("kernel-buffers=auto")
                .contains("verified: 4194304 bytes byte-exact");
    }

    @Test
    void theKernelPingsTheStackWithoutLoss() {
        Netns.requireTool("ping", "iputils-ping");

        Run run = smol("bench", "tap", "ping", "--count", "5");

        assertThat(run.code()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("settings: pings=5 size=56 interval=0.01s")
                .contains("ping: 5 packets transmitted, 5 received, 0% packet loss")
                .containsPattern("rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms");
        assertThat(Files.exists(run.namespace())).isFalse();
    }
}
