package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.kernel.TapFrames.TAP;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import smol.examples.MeasuringPorts;
import smol.phy.FaultConfig;
import smol.testsupport.Netns;

/**
 * Every frame we put on the TAP is well formed as Wireshark reads it: a capture on the kernel's side of the
 * TAP (tshark inside the namespace) during TCP, UDP and ICMP traffic has, among the frames from our MAC, no
 * bad IPv4, TCP, UDP or ICMP checksum and no expert-info item of severity error (notes and warnings, such as
 * retransmissions or a zero window, are fine). And the check is shown to catch a frame we corrupt.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class WireCheckTest {
    /**
     * Our frames that Wireshark finds broken. Checksum status 0 is "Bad" (1 good, 2 unverified, 3 not
     * present); IPv4, TCP and UDP checksums are verified only when asked to ({@link #CHECKSUM_OPTIONS}).
     */
    static final String BROKEN_FRAMES_OF_OURS = "eth.src==" + TapServer.MAC.replace('-', ':')
            + " && (_ws.expert.severity==error || ip.checksum.status==0 || tcp.checksum.status==0"
            + " || udp.checksum.status==0 || icmp.checksum.status==0)";
    private static final String[] CHECKSUM_OPTIONS = {
        "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"};

    private static TapServer server;
    @TempDir
    Path dir;
    private Process capture;

    @BeforeAll
    static void serve() throws Exception {
        Netns.requireRootAndTun();
        Netns.requireTool("tshark", "tshark");
        Netns.requireTool("socat", "socat");
        Netns.requireTool("ping", "iputils-ping");
        server = TapServer.start("wire");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void faultsOff() {
        server.runtime.faults(FaultConfig.NONE);
    }

    @AfterEach
    void stopCapture() throws Exception {
        if (capture != null) {
            capture.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        server.runtime.faults(FaultConfig.NONE);
    }

    @Test
    void everyFrameWeSendIsWellFormedAsWiresharkReadsIt() throws Exception {
        Path file = startCapture();
        traffic(1024 * 1024);
        stopCapture(file);
        assertThat(read(file, "eth.src==" + TapServer.MAC.replace('-', ':') + " && tcp.len > 0").lines().count())
                .as("our TCP segments with data in the capture (about 725 carry the 1 MiB echo; a loaded machine's"
                        + " dumpcap may miss some, which does not weaken the check of those it kept)")
                .isGreaterThan(100);
        assertThat(read(file, "eth.src==" + TapServer.MAC.replace('-', ':') + " && (udp || icmp || arp)"))
                .as("our ARP, UDP and ICMP frames in the capture").isNotBlank();
        assertThat(read(file, BROKEN_FRAMES_OF_OURS)).as("frames of ours Wireshark finds broken").isEmpty();
    }

    @Test
    void theCheckCatchesAFrameWeCorrupt() throws Exception {
        Path file = startCapture();
        // The injector corrupts one octet of a frame after the stack filled its checksums, on transmit as
        // on receive: what reaches the TAP from us is then broken on the wire.
        // Pings only: each reply of ours is a frame the injector may corrupt (60 at 0.2: all intact with a
        // chance of 2e-6), and nothing waits on a connection that the corruption would slow to a crawl.
        server.runtime.faults(FaultConfig.NONE.withCorruptChance(0.2));
        server.ns.run("ping", "-c", "60", "-i", "0.02", "-W", "1", TapServer.OUR_IP);
        server.runtime.faults(FaultConfig.NONE);
        stopCapture(file);
        assertThat(server.runtime.faultStatistics()).containsPattern("tx dropped=\\d+ corrupted=[1-9]");
        assertThat(read(file, BROKEN_FRAMES_OF_OURS)).as("frames of ours Wireshark finds broken").isNotBlank();
        assertThat(read(file, "eth.src==" + TapServer.MAC.replace('-', ':')
                + " && (icmp.checksum.status==0 || ip.checksum.status==0 || _ws.expert.severity==error)"))
                .as("a corrupted reply of ours fails a checksum as Wireshark checks it").isNotBlank();
    }

    /** TCP to the echo port ({@code bytes} there and back) and to 6969, UDP to 6969, and a few pings. */
    private static void traffic(int bytes) throws Exception {
        Transfers.echo(server.connect(MeasuringPorts.ECHO_PORT, 20_000), Transfers.randomBytes(bytes, 5));
        server.ns.run("sh", "-c", "printf abcdefg | socat -t 2 - TCP4-CONNECT:" + TapServer.OUR_IP + ":6969");
        server.ns.run("sh", "-c", "printf abcdefg | socat -t 1 - UDP4-CONNECT:" + TapServer.OUR_IP + ":6969");
        server.ns.run("ping", "-c", "3", "-i", "0.2", "-s", "1000", "-W", "1", TapServer.OUR_IP);
    }

    /** Starts tshark on the TAP inside the namespace, writing to a new file; returns once it captures. */
    private Path startCapture() throws Exception {
        Path file = dir.resolve("wire.pcapng");
        capture = server.ns.start("tshark", "-i", TAP, "-w", file.toString());
        BufferedReader stderr = new BufferedReader(new InputStreamReader(capture.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> capturing = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = stderr.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    if (line.startsWith("Capturing on")) {
                        return seen.toString();
                    }
                }
            } catch (java.io.IOException e) {
                seen.append(e);
            }
            throw new IllegalStateException("tshark did not start capturing: " + seen);
        });
        assertThat(capturing.get(20, TimeUnit.SECONDS)).contains(TAP);
        // tshark says it captures as dumpcap starts, which may be before dumpcap's socket takes frames: a quick
        // 1 MiB echo right after was seen captured in part (40 of ~725 segments), its start missing
        Thread.sleep(1000);
        return file;
    }

    /** Ends the capture with SIGTERM, as Ctrl-C would: tshark then writes out what it holds and exits. */
    private void stopCapture(Path file) throws Exception {
        Thread.sleep(1000); // the last frames reach dumpcap's buffer, and a loaded dumpcap catches up
        capture.destroy();
        assertThat(capture.waitFor(20, TimeUnit.SECONDS)).as("tshark ends on SIGTERM").isTrue();
        assertThat(file).isNotEmptyFile();
    }

    /** Returns one line (frame number and expert messages) per frame of {@code file} matching {@code filter}. */
    private static String read(Path file, String filter) {
        String[] command = {"tshark", "-r", file.toString()};
        command = concat(command, CHECKSUM_OPTIONS);
        command = concat(command, new String[] {"-Y", filter, "-T", "fields", "-e", "frame.number",
            "-e", "_ws.expert.message"});
        return server.ns.check(command);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
