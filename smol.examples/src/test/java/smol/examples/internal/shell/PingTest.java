package smol.examples.internal.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.IcmpEndpoint;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.InterfaceService;
import smol.phy.Cable;
import smol.socket.IcmpSocket;
import smol.socket.SocketSet;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * A ping run ({@link Ping}) between two runtimes on an in-memory cable, real threads and clock: the replies
 * and the summary, the loss to an absent neighbour; how its options are checked; and which interface a
 * ping leaves by ({@link Interfaces#to}).
 */
@Timeout(60)
class PingTest {
    private final Cable cable = Cable.create(64);
    private final InterfaceRuntime a = runtime("a", "02-00-00-00-00-01", "10.98.0.1/24");
    private final InterfaceRuntime b = runtime("b", "02-00-00-00-00-02", "10.98.0.2/24");
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static InterfaceRuntime runtime(String name, String mac, String cidr) {
        InterfaceConfig config = InterfaceConfig.builder().mac(EthernetAddress.parse(mac))
                .address(Ipv4Cidr.parse(cidr)).build();
        return InterfaceRuntime.builder(new Interface(config, new SocketSet(4))).name(name).build();
    }

    PingTest() {
        a.attach(cable.a());
        b.attach(cable.b());
        a.start();
        b.start();
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
    }

    private Ping.Result ping(String count, String timeout, String address) throws Exception {
        PingOptions options = PingOptions.parse(count, "56", "0.05", timeout, "64", "", address);
        try (IcmpEndpoint endpoint = a.icmp(new IcmpSocket(8, 4, 4 * 56))) {
            endpoint.bind(77);
            return new Ping(endpoint, options, out).run();
        }
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyRequestIsAnsweredAndTheSummarySaysNoLoss() throws Exception {
        Ping.Result result = ping("3", "5", "10.98.0.2");

        assertThat(result).isEqualTo(new Ping.Result(3, 3, 0, 0));
        assertThat(printed().lines().filter(l -> l.startsWith("64 bytes from 10.98.0.2: icmp_seq="))).hasSize(3);
        assertThat(printed()).contains("--- 10.98.0.2 ping statistics ---")
                .containsPattern("3 packets transmitted, 3 received, 0% packet loss, time \\d+ms")
                .contains("rtt min/avg/max/mdev = ");
    }

    @Test
    void requestsToAnAbsentNeighbourAreAllLostOnceTheTimeoutPassed() throws Exception {
        long start = System.nanoTime();
        Ping.Result result = ping("2", "0.3", "10.98.0.99");

        assertThat(result).isEqualTo(new Ping.Result(2, 0, 0, 0));
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(350);
        assertThat(printed()).contains("2 packets transmitted, 0 received, 100% packet loss").doesNotContain("rtt");
    }

    @Test
    void optionsOutOfRangeOrNotNumbersAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> PingOptions.parse("0", "56", "1", "2", "64", "", "10.0.0.1"))
                .hasMessage("ping: -c count must be at least 1, not 0");
        assertThatThrownBy(() -> PingOptions.parse("1", "70000", "1", "2", "64", "", "10.0.0.1"))
                .hasMessage("ping: -s size must be in 0..65507, not 70000");
        assertThatThrownBy(() -> PingOptions.parse("1", "56", "soon", "2", "64", "", "10.0.0.1"))
                .hasMessageStartingWith("ping: -i interval must be a number of seconds");
        assertThatThrownBy(() -> PingOptions.parse("1", "56", "1", "0", "64", "", "10.0.0.1"))
                .hasMessage("ping: -W timeout must be 0.001 to 86400 seconds, not 0");
        assertThatThrownBy(() -> PingOptions.parse("1", "56", "1", "2", "256", "", "10.0.0.1"))
                .hasMessage("ping: -t ttl must be in 1..255, not 256");
        assertThatThrownBy(() -> PingOptions.parse("1", "56", "1", "2", "64", "", "example.org"))
                .hasMessageStartingWith("ping: example.org is not an IPv4 address");
        assertThatThrownBy(() -> PingOptions.parse("1", "56", "1", "2", "64", "", "-x"))
                .hasMessageStartingWith("ping: unknown option -x");
        assertThat(PingOptions.parse("2", "0", "0.2", "1.5", "9", "eth0", "10.0.0.1"))
                .satisfies(o -> assertThat(o.interval().toMillis()).isEqualTo(200))
                .satisfies(o -> assertThat(o.timeout().toMillis()).isEqualTo(1500))
                .satisfies(o -> assertThat(o.interfaceName()).isEqualTo("eth0"));
    }

    @Test
    void aPingLeavesByTheInterfaceOnTheTargetsSubnetThatDoesNotHoldIt() {
        Interfaces both = Interfaces.of(List.of(known("b", b), known("a", a)));

        assertThat(both.to("ping", Ipv4Address.parse("10.98.0.2")).known().name()).isEqualTo("a");
        assertThat(both.to("ping", Ipv4Address.parse("10.98.0.1")).known().name()).isEqualTo("b");
        assertThat(both.to("ping", Ipv4Address.parse("10.98.0.50")).known().name()).isEqualTo("a");
        assertThatThrownBy(() -> both.to("ping", Ipv4Address.parse("10.1.2.3")))
                .hasMessageStartingWith("ping: no interface routes to 10.1.2.3; interfaces: a [10.98.0.1/24]");
        assertThatThrownBy(() -> both.named("arp", "c")).hasMessageStartingWith("arp: no interface named c;");
    }

    private static Map.Entry<Map<String, ?>, InterfaceService> known(String name, InterfaceService service) {
        return Map.entry(Map.of("smol.interface.name", name, "smol.interface.device", name + "-dev"), service);
    }
}
