package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpdumpTest {
    static final Path FIXTURES = Path.of("../smol.wire/src/test/resources/fixtures");

    record Run(int code, String out, String err) {}

    static Run tcpdump(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listsEveryFrameOfACaptureStartingAtColumnZero() {
        Run run = tcpdump("tcpdump", "-r", FIXTURES.resolve("tcp.pcap").toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        long frames = run.out().lines().filter(l -> l.startsWith("EthernetII")).count();
        assertThat(frames).isGreaterThan(5);
        assertThat(run.out()).contains("    TCP ").contains(" syn ").contains("mss=");
        assertThat(run.out().lines()).allMatch(l -> l.startsWith("EthernetII") || l.startsWith("  "));
    }

    @Test
    void readsPcapngAsWell() {
        Run run = tcpdump("tcpdump", "-r", FIXTURES.resolve("mixed.pcapng").toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("EthernetII ");
    }

    @Test
    void aLiveCaptureAndAFileAtOnceIsBadUsage() {
        Run run = tcpdump("tcpdump", "-r", FIXTURES.resolve("tcp.pcap").toString(), "eth0");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("smol tcpdump: -r reads a file;").contains(Tcpdump.USAGE);
    }

    @Test
    void nothingToListIsBadUsageNamingBothForms() {
        Run run = tcpdump("tcpdump");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("-r FILE").contains("IFACE");
    }

    @Test
    void aFrameCountMustBeAPositiveNumber() {
        Run run = tcpdump("tcpdump", "-c", "none", "eth0");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("smol tcpdump: -c");
    }

    @Test
    void missingFileIsAOneLineErrorWithExitCode2() {
        Run run = tcpdump("tcpdump", "-r", "no-such-capture.pcap");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("smol tcpdump: no-such-capture.pcap: no such file\n");
    }

    @Test
    void aFileThatIsNoCaptureIsAOneLineErrorWithExitCode2(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "these are not packets\n");
        Run run = tcpdump("tcpdump", "-r", text.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("smol tcpdump: " + text + ": not a pcap").endsWith("\n");
        assertThat(run.err().lines().count()).isEqualTo(1);

        Path empty = dir.resolve("empty.pcap");
        Files.write(empty, new byte[0]);
        run = tcpdump("tcpdump", "-r", empty.toString());
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err().lines().count()).isEqualTo(1);
    }

    @Test
    void aTruncatedLastRecordIsReportedAfterTheWholeFrames(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("udp.pcap"));
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 5));
        Run full = tcpdump("tcpdump", "-r", FIXTURES.resolve("udp.pcap").toString());
        Run run = tcpdump("tcpdump", "-r", cut.toString());
        assertThat(run.code()).isEqualTo(1);
        long frames = full.out().lines().filter(l -> l.startsWith("EthernetII")).count();
        assertThat(run.out().lines().filter(l -> l.startsWith("EthernetII")).count()).isEqualTo(frames - 1);
        assertThat(run.err()).contains("truncated").contains("after " + (frames - 1) + " whole frames");
    }

    @Test
    void malformedFixturesAreListedWithoutAStackTrace() {
        Run run = tcpdump("tcpdump", "-r", FIXTURES.resolve("malformed.pcap").toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).doesNotContain("printer error").doesNotContain("Exception")
                .contains("(truncated)").contains("(bad checksum)");
    }

    @Test
    void wrongChecksumsInAFileAreNamedAndEveryFieldFollows() {
        // tcp-lo.pcap: captured on lo, which leaves every TCP checksum to a card; a file cannot say so.
        Run run = tcpdump("tcpdump", "-r", FIXTURES.resolve("tcp-lo.pcap").toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(l -> l.startsWith("    TCP ")).toList()).hasSize(10)
                .allSatisfy(l -> assertThat(l).startsWith("    TCP (bad checksum) src=").contains(" len=", " ts="));
        assertThat(run.out()).contains(" mss=65495 sack-permitted wscale=10 ts=");
    }

    @Test
    void badUsageExitsWith2() {
        assertThat(tcpdump("tcpdump").code()).isEqualTo(2);
        assertThat(tcpdump("tcpdump", "-x").code()).isEqualTo(2);
        assertThat(tcpdump("nonsense").code()).isEqualTo(2);
        assertThat(tcpdump().code()).isEqualTo(2);
        assertThat(tcpdump("help").code()).isZero();
    }
}
