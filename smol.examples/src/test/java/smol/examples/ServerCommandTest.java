package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.UdpEndpoint;
import smol.phy.Cable;
import smol.phy.FaultConfig;
import smol.socket.SocketSet;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * {@code ./smol server}'s arguments, the kernel set-up it would run (recorded, not run: no root needed),
 * and its start and stop over the in-memory cable in place of the TAP.
 */
class ServerCommandTest {

    /** Records every command and answers each with the next scripted result (exit 0 when none is left). */
    private static final class RecordingRunner implements TapSetup.CommandRunner {
        final List<String> commands = new ArrayList<>();
        final Deque<TapSetup.Result> results = new ArrayDeque<>();

        RecordingRunner answering(int exitCode, String output) {
            results.add(new TapSetup.Result(exitCode, output));
            return this;
        }

        @Override
        public TapSetup.Result run(List<String> command) {
            commands.add(String.join(" ", command));
            return results.isEmpty() ? new TapSetup.Result(0, "") : results.removeFirst();
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run run(TapSetup.CommandRunner runner, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ServerCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), runner);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aNamespaceNameMayBeLongerThanAnInterfaceName() {
        ServerCommand.Options options = ServerCommand.Options.parse(new String[] {"--netns", "smol-launch-918a-lab"});
        assertThat(options.netns()).isEqualTo("smol-launch-918a-lab");
        assertThatThrownBy(() -> ServerCommand.Options.parse(new String[] {"--netns", "a/b"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without '/'");
        assertThatThrownBy(() -> ServerCommand.Options.parse(new String[] {"--tap", "a-very-long-tap-name"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 15 characters");
    }

    @Test
    void withoutArgumentsItServesOnTap0WithTheKernelSideSetUp() {
        ServerCommand.Options options = ServerCommand.Options.parse(new String[0]);

        assertThat(options).isEqualTo(new ServerCommand.Options("tap0", null, null, 0, 0, true, false));
        assertThat(options.faults()).isEqualTo(FaultConfig.NONE);
        assertThat(options.deviceOptions()).isEqualTo(Map.of("persistent", "true"));
    }

    @Test
    void everyOptionIsRead() {
        ServerCommand.Options options = ServerCommand.Options.parse(new String[] {"--tap", "tap7", "--netns", "lab",
            "--pcap", "out.pcap", "--drop-chance", "0.1", "--corrupt-chance", "0.05", "--no-setup"});

        assertThat(options).isEqualTo(new ServerCommand.Options("tap7", "lab", Path.of("out.pcap"), 0.1, 0.05, false,
                false));
        assertThat(options.faults()).isEqualTo(FaultConfig.NONE.withDropChance(0.1).withCorruptChance(0.05));
        assertThat(options.deviceOptions()).containsExactly(Map.entry("persistent", "true"), Map.entry("netns", "lab"));
    }

    @Test
    void badArgumentsAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> ServerCommand.Options.parse(new String[] {"--tap"}))
                .hasMessage("--tap needs a value");
        assertThatThrownBy(() -> ServerCommand.Options.parse(new String[] {"--drop-chance", "2"}))
                .hasMessage("--drop-chance must be a chance within 0..1, not '2'");
        assertThatThrownBy(() -> ServerCommand.Options.parse(new String[] {"--corrupt-chance", "x"}))
                .hasMessage("--corrupt-chance must be a chance within 0..1, not 'x'");
        assertThatThrownBy(() -> ServerCommand.Options.parse(new String[] {"--tap", "a/b"}))
                .hasMessageStartingWith("--tap must be a name of 1 to 15 characters");
        assertThatThrownBy(() -> ServerCommand.Options.parse(new String[] {"--tap", "much-too-long-name"}))
                .hasMessageStartingWith("--tap must be a name of 1 to 15 characters");
        assertThatThrownBy(() -> ServerCommand.Options.parse(new String[] {"--verbose"}))
                .hasMessage("unknown option '--verbose'");
    }

    @Test
    void aBadArgumentExitsWith2AndTheUsage() {
        RecordingRunner runner = new RecordingRunner();

        Run run = run(runner, "--drop-chance", "1.5");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("smol server: --drop-chance must be a chance within 0..1, not '1.5'\n")
                .contains(ServerCommand.USAGE);
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void helpPrintsTheUsageAndExits0() {
        Run run = run(new RecordingRunner(), "--help");

        assertThat(run.code()).isZero();
        assertThat(run.out()).isEqualTo(ServerCommand.USAGE + "\n");
        assertThat(run.out()).contains("--tap").contains("--netns").contains("--pcap").contains("--drop-chance")
                .contains("--corrupt-chance").contains("--no-setup");
    }

    @Test
    void withoutTheTapBundleItSaysSoAndSetsNothingUp() {
        // smol.phy.tap is not a dependency of smol.examples: its provider is not on this class path
        RecordingRunner runner = new RecordingRunner();

        Run run = run(runner, "--tap", "tap9");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).startsWith("smol server: the TAP device (smol.phy.tap) is not on the class path");
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void aMissingTapIsCreatedPersistentThenGivenTheKernelAddressAndBroughtUp() throws IOException {
        RecordingRunner runner = new RecordingRunner().answering(1, "Device \"tap0\" does not exist.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ServerCommand.setUp(new TapSetup("tap0", null, runner), ServerCommand.Options.parse(new String[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(runner.commands).containsExactly(
                "ip link show dev tap0",
                "ip tuntap add name tap0 mode tap",
                "ip addr add 192.168.69.100/24 dev tap0",
                "ip link set dev tap0 up");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("created the persistent TAP tap0; remove it with: sudo ip tuntap del name tap0 mode tap\n")
                .contains("the kernel's side of tap0 is 192.168.69.100/24, up\n");
    }

    @Test
    void anExistingTapIsOnlyConfiguredAndAnAddressItHasAlreadyIsFine() throws IOException {
        RecordingRunner runner = new RecordingRunner().answering(0, "5: tap0: <BROADCAST> mtu 1500")
                .answering(2, "RTNETLINK answers: File exists");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ServerCommand.setUp(new TapSetup("tap0", null, runner), ServerCommand.Options.parse(new String[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(runner.commands).containsExactly(
                "ip link show dev tap0",
                "ip addr add 192.168.69.100/24 dev tap0",
                "ip link set dev tap0 up");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("using the existing TAP tap0\n")
                .doesNotContain("created");
    }

    @Test
    void inANamespaceEveryCommandRunsThroughIpNetnsExec() throws IOException {
        RecordingRunner runner = new RecordingRunner().answering(1, "Device \"tap3\" does not exist.");
        TapSetup setup = new TapSetup("tap3", "lab", runner);

        ServerCommand.setUp(setup, ServerCommand.Options.parse(new String[] {"--tap", "tap3", "--netns", "lab"}),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(runner.commands).containsExactly(
                "ip netns exec lab ip link show dev tap3",
                "ip netns exec lab ip tuntap add name tap3 mode tap",
                "ip netns exec lab ip addr add 192.168.69.100/24 dev tap3",
                "ip netns exec lab ip link set dev tap3 up");
        assertThat(setup.removeCommand()).isEqualTo("ip netns exec lab ip tuntap del name tap3 mode tap");
    }

    @Test
    void aFailingSetUpCommandIsReportedWithWhatItPrinted() {
        RecordingRunner runner = new RecordingRunner().answering(1, "Device \"tap0\" does not exist.")
                .answering(1, "ioctl(TUNSETIFF): Operation not permitted");
        TapSetup setup = new TapSetup("tap0", null, runner);

        assertThatThrownBy(() -> ServerCommand.setUp(setup, ServerCommand.Options.parse(new String[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessage("'ip tuntap add name tap0 mode tap' failed (exit 1): ioctl(TUNSETIFF): Operation not permitted");
        assertThat(runner.commands).hasSize(2);
    }

    @Test
    void aMissingNamespaceIsAnErrorNotAMissingTap() {
        RecordingRunner runner = new RecordingRunner()
                .answering(1, "Cannot open network namespace \"lab\": No such file or directory");

        assertThatThrownBy(() -> new TapSetup("tap0", "lab", runner).exists())
                .hasMessageContaining("Cannot open network namespace");
    }

    @Test
    void stoppingCapturesTheFramesAndSummarizesInOneLine(@TempDir Path dir) throws Exception {
        Cable cable = Cable.create(64);
        Path pcap = dir.resolve("server.pcap");
        ServerCommand.Running running = ServerCommand.start(cable.b(),
                ServerCommand.Options.parse(new String[] {"--pcap", pcap.toString(), "--drop-chance", "0"}));
        Interface iface = new Interface(InterfaceConfig.builder().mac(EthernetAddress.parse("02-00-00-00-00-02"))
                .address(Ipv4Cidr.parse("192.168.69.100/24")).build(), new SocketSet(2));
        try (InterfaceRuntime client = InterfaceRuntime.builder(iface).name("client").build()) {
            client.attach(cable.a());
            client.start();
            UdpEndpoint udp = client.udp(new UdpSocket(2, 256, 2, 256)).receiveTimeout(Duration.ofSeconds(20));
            udp.bind(40000);
            udp.send(new IpEndpoint(Ipv4Address.parse("192.168.69.1"), Server.PORT), new byte[] {1}, 0, 1);
            udp.receive(new UdpDatagram(64));
        }

        String summary = running.stop();

        assertThat(summary).startsWith("smol server: stopped after ").doesNotContain("\n")
                .containsPattern("in [1-9]\\d* frames").containsPattern("out [1-9]\\d* frames")
                .containsPattern("captured [1-9]\\d* frames");
        assertThat(running.runtime().isStopped()).isTrue();
        assertThat(Files.size(pcap)).isGreaterThan(24); // the pcap header, then the frames
    }
}
