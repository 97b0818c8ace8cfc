package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.SocketSet;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;
import smol.wire.Malformed;

/**
 * {@link Interface#snapshot()} and {@link InterfaceStatistics#snapshot()}: immutable copies of the
 * interface (MAC, addresses, link, MTU, neighbour table) and of its counters that agree with the live
 * ones, over two stacks on a virtual clock ({@link TwoStacks}) and a recording device.
 */
class InterfaceSnapshotTest {
    private static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, 7777);
    private static final IpEndpoint CLIENT = new IpEndpoint(Fixtures.IP_A, 40000);

    private final TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE));
    private final TcpSocket client = new TcpSocket(8192, 8192);
    private final TcpSocket server = new TcpSocket(8192, 8192);

    /** Connects A's client to B's server and moves {@code bytes} from the client to the server. */
    private void transfer(int bytes) {
        stacks.open(client, CLIENT, server, SERVER);
        stacks.runUntilOrFail(() -> client.state() == TcpState.ESTABLISHED && server.state() == TcpState.ESTABLISHED,
                5_000_000, "established");
        byte[] data = new byte[bytes];
        byte[] sink = new byte[4096];
        int[] sent = {0};
        int[] received = {0};
        stacks.application(() -> {
            int n = sent[0] < bytes ? client.send(data, sent[0], bytes - sent[0]) : 0;
            sent[0] += n;
            int m = Math.max(0, server.recv(sink, 0, sink.length));
            received[0] += m;
            return n + m > 0;
        });
        stacks.runUntilOrFail(() -> received[0] == bytes && client.sendQueue() == 0, 60_000_000, "transferred");
    }

    @Test
    void snapshotCopiesMacAddressesDeviceLinkAndMtu() {
        InterfaceSnapshot a = stacks.a.snapshot();

        assertThat(a.mac()).isEqualTo(Fixtures.MAC_A);
        assertThat(a.addresses()).containsExactly(Ipv4Cidr.parse("10.99.0.1/24"));
        assertThat(a.gateway()).isNull();
        assertThat(a.linkUp()).isTrue();
        assertThat(a.device()).isEqualTo(stacks.deviceA.toString());
        assertThat(a.mtu()).isEqualTo(1500);
        assertThat(a.arpTable()).isEmpty();
        assertThat(a.toString()).startsWith("02-00-00-00-00-01 10.99.0.1/24 link up (")
                .contains("mtu 1500, 0 neighbours: in=0/0B out=0/0B");
    }

    @Test
    void snapshotOfADetachedInterfaceWithAGatewayShowsTheLinkDown() {
        Interface iface = new Interface(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B)
                .address(Ipv4Cidr.parse("192.168.7.1/24")).gateway(Ipv4Address.parse("10.99.0.254")).build(),
                new SocketSet(2));

        InterfaceSnapshot snapshot = iface.snapshot();

        assertThat(snapshot.addresses()).containsExactly(Fixtures.CIDR_B, Ipv4Cidr.parse("192.168.7.1/24"));
        assertThat(snapshot.gateway()).isEqualTo(Ipv4Address.parse("10.99.0.254"));
        assertThat(snapshot.linkUp()).isFalse();
        assertThat(snapshot.device()).isNull();
        assertThat(snapshot.mtu()).isEqualTo(Interface.DEFAULT_MTU);
        assertThat(snapshot.toString()).contains("10.99.0.2/24 192.168.7.1/24 gw 10.99.0.254 link down mtu 1500");
    }

    @Test
    void countersAndNeighbourTableMatchTheLiveInterfaceAfterATransfer() {
        transfer(100_000);

        InterfaceSnapshot a = stacks.a.snapshot();
        InterfaceStatistics live = stacks.a.statistics();
        InterfaceStatisticsSnapshot copy = a.statistics();

        assertThat(copy.framesIn()).isEqualTo(live.framesIn()).isPositive();
        assertThat(copy.bytesIn()).isEqualTo(live.bytesIn());
        assertThat(copy.framesOut()).isEqualTo(live.framesOut()).isPositive();
        assertThat(copy.bytesOut()).isEqualTo(live.bytesOut()).isGreaterThan(100_000);
        assertThat(copy.framesAccepted()).isEqualTo(live.framesAccepted());
        assertThat(copy.arpRequestsSent()).isEqualTo(live.arpRequestsSent()).isEqualTo(1);
        assertThat(copy.drops(IfaceDrop.NEIGHBOUR_UNRESOLVED)).isEqualTo(1);
        for (IfaceDrop reason : IfaceDrop.values()) {
            assertThat(copy.drops(reason)).as(reason.name()).isEqualTo(live.drops(reason));
        }
        assertThat(copy.receivedDrops()).isEqualTo(live.receivedDrops());
        assertThat(copy.sendDrops()).isEqualTo(live.sendDrops());
        assertThat(copy.toString()).isEqualTo(live.toString());
        assertThat(stacks.b.snapshot().statistics().arpRequestsAnswered()).isEqualTo(1);
        assertThat(a.arpTable()).singleElement().satisfies(entry -> {
            assertThat(entry.address()).isEqualTo(Fixtures.IP_B);
            assertThat(entry.mac()).isEqualTo(Fixtures.MAC_B);
            assertThat(entry.expiresAtMicros()).isGreaterThan(a.polledAtMicros());
        });
        assertThat(a.polledAtMicros()).isGreaterThan(TwoStacks.START_MICROS);
    }

    @Test
    void statisticsSnapshotStaysAsTakenAndCannotBeChanged() {
        transfer(10_000);
        InterfaceStatisticsSnapshot before = stacks.a.statistics().snapshot();
        long framesOutThen = stacks.a.statistics().framesOut();

        stacks.runTo(stacks.now + 1_000_000);
        client.send(new byte[5000], 0, 5000);
        stacks.runUntilOrFail(() -> client.sendQueue() == 0, 10_000_000, "acknowledged");
        InterfaceStatisticsSnapshot after = stacks.a.statistics().snapshot();

        assertThat(after.bytesOut()).isGreaterThan(before.bytesOut() + 5000);
        assertThat(before.framesOut()).isEqualTo(framesOutThen).isLessThan(stacks.a.statistics().framesOut());
        assertThat(before).isNotEqualTo(after);
        assertThatThrownBy(() -> before.drops().put(IfaceDrop.NO_ROUTE, 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void malformedFramesAreCopiedByReason() {
        RecordingDevice device = new RecordingDevice();
        Interface iface = new Interface(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new SocketSet(2));
        iface.attach(device);
        byte[] arpRequest = Fixtures.frame("arp.pcap", 1);
        device.inject(Arrays.copyOf(arpRequest, 20)); // Ethernet header, then 6 bytes of a 28-byte ARP packet
        iface.poll(1_000_000);

        InterfaceStatisticsSnapshot copy = iface.snapshot().statistics();

        assertThat(copy.drops(IfaceDrop.MALFORMED)).isEqualTo(1);
        long byReason = 0;
        for (Malformed reason : Malformed.values()) {
            assertThat(copy.malformed(reason)).as(reason.name()).isEqualTo(iface.statistics().malformed(reason));
            byReason += copy.malformed(reason);
        }
        assertThat(byReason).isEqualTo(1);
        assertThat(copy.toString()).contains("drop.malformed=1", "malformed.");
    }
}
