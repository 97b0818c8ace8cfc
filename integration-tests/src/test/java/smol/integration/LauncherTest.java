package smol.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the {@code ./smol} launcher at the repository root as a newcomer would. */
class LauncherTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int code, String out, String err) {}

    static Run smol(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = ROOT.resolve("smol").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).start();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void tcpdumpListsTheReadmeExampleCapture() throws Exception {
        Run run = smol("tcpdump", "-r", "smol.wire/src/test/resources/fixtures/tcp.pcap");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("EthernetII src=").contains("\n    TCP src=");
    }

    @Test
    void tcpdumpOfAMissingFileIsOneLineAndExitCode2() throws Exception {
        Run run = smol("tcpdump", "-r", "missing.pcap");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("smol tcpdump: missing.pcap: no such file\n");
    }

    @Test
    void benchLoopbackMovesItsBytesAndReportsThroughputAndAllocation() throws Exception {
        Run run = smol("bench", "loopback", "--bytes", "8m");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("throughput: ").contains(" Gbps").contains("allocated: ")
                .contains("verified: 8388608 bytes byte-exact");
    }

    @Test
    void benchWithABadOptionExitsWith2() throws Exception {
        Run run = smol("bench", "loopback", "--drop-chance", "2");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--drop-chance");
    }
}
