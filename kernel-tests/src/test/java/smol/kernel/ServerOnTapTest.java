package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.kernel.TapFrames.TAP;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smol.iface.ArpEntry;
import smol.iface.Interface;
import smol.testsupport.Netns;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;

/**
 * smoltcp's server example on a TAP, the kernel's own tools on the other side (ping, socat) as smoltcp's
 * README runs them: one namespace and one server for the class.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerOnTapTest {
    private static TapServer server;

    @BeforeAll
    static void serve() throws Exception {
        Netns.requireRootAndTun();
        server = TapServer.start("srv");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "ping -s {0}")
    @ValueSource(ints = {0, 56, 1472})
    void theKernelsPingIsAnsweredWithoutLoss(int payload) {
        Netns.requireTool("ping", "iputils-ping");
        Netns.Result ping = server.ns.run("ping", "-c", "5", "-i", "0.2", "-s", Integer.toString(payload), "-W", "2",
                TapServer.OUR_IP);
        assertThat(ping.stdout()).as(ping.stderr()).contains("5 packets transmitted, 5 received, 0% packet loss");
        assertThat(ping.exit()).isZero();
        if (payload >= 8) { // smaller echoes carry no timestamp, so ping prints no time
            assertThat(ping.stdout()).contains((payload + 8) + " bytes from " + TapServer.OUR_IP);
        }
    }

    @Test
    void afterAPingTheKernelHoldsOurMacAsReachableAndWeHoldTheKernels() {
        Netns.requireTool("ping", "iputils-ping");
        server.ns.check("ping", "-c", "2", "-i", "0.2", "-W", "2", TapServer.OUR_IP);
        String neighbour = server.ns.check("ip", "neigh", "show", TapServer.OUR_IP, "dev", TAP);
        // Resolved by ARP moments ago, confirmed by our reply: REACHABLE for the base reachable time (30 s
        // randomised to 15..45 s). The kernel may already have moved it to DELAY when a later packet went
        // out after the last confirmation; DELAY still means a MAC learnt and in use, never re-resolved.
        assertThat(neighbour).contains("lladdr " + MAC_COLONS).containsPattern("REACHABLE|DELAY");
        String kernelMac = server.kernelMac();
        List<ArpEntry> ours = server.runtime.withInterface(Interface::arpTable);
        assertThat(ours).as("our ARP cache").anySatisfy(entry -> {
            assertThat(entry.address()).isEqualTo(Ipv4Address.parse(TapServer.KERNEL_IP));
            assertThat(entry.mac()).isEqualTo(EthernetAddress.parse(kernelMac));
        });
    }

    @Test
    void aUdpDatagramTo6969IsAnsweredYoDawg() {
        Netns.requireTool("socat", "socat");
        Netns.Result socat = server.ns.run("sh", "-c",
                "printf abcdefg | socat -t 2 - UDP4-CONNECT:" + TapServer.OUR_IP + ":6969");
        assertThat(socat.exit()).as(socat.stderr()).isZero();
        assertThat(socat.stdout()).isEqualTo("yo dawg");
    }

    @Test
    void aUdpDatagramToAClosedPortIsRefused() {
        Netns.requireTool("socat", "socat");
        // our ICMP port unreachable makes the kernel fail the connected socket's next call: ECONNREFUSED
        Netns.Result socat = server.ns.run("sh", "-c",
                "printf abcdefg | socat -t 2 - UDP4-CONNECT:" + TapServer.OUR_IP + ":6999");
        assertThat(socat.exit()).isNotZero();
        assertThat(socat.stderr()).contains("Connection refused");
        assertThat(socat.stdout()).isEmpty();
    }

    @Test
    void tcpTo6969AnswersTheChunkReversed() {
        Netns.requireTool("socat", "socat");
        Netns.Result socat = server.ns.run("sh", "-c",
                "printf abcdefg | socat -t 2 - TCP4-CONNECT:" + TapServer.OUR_IP + ":6969");
        assertThat(socat.exit()).as(socat.stderr()).isZero();
        assertThat(socat.stdout()).isEqualTo("gfedcba\n");
    }

    @Test
    void tcpToAClosedPortIsRefusedWithAReset() {
        Netns.requireTool("socat", "socat");
        Netns.Result socat = server.ns.run("sh", "-c",
                "printf abcdefg | socat -t 2 - TCP4-CONNECT:" + TapServer.OUR_IP + ":6999,connect-timeout=5");
        assertThat(socat.exit()).isNotZero();
        assertThat(socat.stderr()).contains("Connection refused");
    }

    private static final String MAC_COLONS = TapServer.MAC.replace('-', ':');
}
