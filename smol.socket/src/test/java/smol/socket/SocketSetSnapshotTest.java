package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import smol.socket.driver.InitialSequence;
import smol.wire.IpEndpoint;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Repr;
import smol.wire.TcpFlags;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/**
 * {@link SocketSet#snapshot()}: one immutable record per socket, in slot order, with kind, state, owner,
 * endpoints, queues and counters as the live sockets show them, on a virtual clock ({@link TcpWire},
 * {@link SetPoller}).
 */
class SocketSetSnapshotTest {
    private static final long SECOND = 1_000_000L;

    private final SocketSet set = new SocketSet(8);
    private final TcpSocket client = new TcpSocket(4096, 4096);
    private final TcpSocket server = new TcpSocket(4096, 4096);
    private final SocketSetView clientView = set.view("com.example.client");

    /** Puts the client in the set for {@code com.example.client}, the server for {@code com.example.server}, and connects them. */
    private TcpWire establishedPair() {
        clientView.add(client);
        set.view("com.example.server").add(server);
        return new TcpWire(client, server).open();
    }

    private static byte[] bytes(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) i;
        }
        return data;
    }

    @Test
    void establishedConnectionShowsOwnersEndpointsQueuesAndCountersInSlotOrder() {
        TcpWire wire = establishedPair();
        assertThat(client.send(bytes(3000), 0, 3000)).isEqualTo(3000);
        wire.runUntil(() -> server.recvQueue() == 3000 && client.sendQueue() == 0, 10 * SECOND);

        List<SocketSnapshot> snapshot = set.snapshot();

        assertThat(snapshot).extracting(SocketSnapshot::slot).containsExactly(0, 1);
        SocketSnapshot c = snapshot.get(0);
        assertThat(c.kind()).isEqualTo(SocketKind.TCP);
        assertThat(c.state()).isEqualTo("ESTABLISHED");
        assertThat(c.owner()).isEqualTo("com.example.client");
        assertThat(c.handle()).isEqualTo(new SocketHandle(c.handle().set(), 0, 0));
        assertThat(set.contains(c.handle())).isTrue();
        assertThat(c.local()).isEqualTo(TcpWire.A);
        assertThat(c.remote()).isEqualTo(TcpWire.B);
        assertThat(c.retiring()).isFalse();
        assertThat(c.txQueued()).isZero();
        assertThat(c.counters().bytesOut()).isEqualTo(3000).isEqualTo(client.counters().bytesOut());
        assertThat(c.counters().packetsOut()).isEqualTo(client.counters().packetsOut());
        assertThat(c.counters().retransmissions()).isZero();
        assertThat(c.counters().drops()).isZero();
        assertThat(c.connectionCounters()).isEqualTo(c.counters()); // the socket's first connection

        SocketSnapshot s = snapshot.get(1);
        assertThat(s.state()).isEqualTo("ESTABLISHED");
        assertThat(s.owner()).isEqualTo("com.example.server");
        assertThat(s.local()).isEqualTo(TcpWire.B);
        assertThat(s.remote()).isEqualTo(TcpWire.A);
        assertThat(s.rxQueued()).isEqualTo(3000);
        assertThat(s.rxCapacity()).isEqualTo(server.recvCapacity());
        assertThat(c.txCapacity()).isEqualTo(client.sendCapacity());
        assertThat(s.counters().bytesIn()).isEqualTo(3000);
        assertThat(s.counters().packetsIn()).isEqualTo(server.counters().packetsIn());
    }

    @Test
    void snapshotIsACopyThatLaterTrafficLeavesAlone() {
        TcpWire wire = establishedPair();
        client.send(bytes(100), 0, 100);
        wire.runUntil(() -> client.sendQueue() == 0, 10 * SECOND);
        SocketSnapshot before = set.snapshot().get(0);

        client.send(bytes(200), 0, 200);
        wire.runUntil(() -> client.sendQueue() == 0, 10 * SECOND);
        SocketSnapshot after = set.snapshot().get(0);

        assertThat(before.counters().bytesOut()).isEqualTo(100);
        assertThat(after.counters().bytesOut()).isEqualTo(300);
        assertThatThrownBy(() -> set.snapshot().add(before)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> before.counters().dropsByReason().put(SocketDrop.BAD_STATE, 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void connectionCountersStartAgainWithTheNextConnectionWhileLifeCountersGoOn() {
        TcpWire wire = establishedPair();
        client.send(bytes(500), 0, 500);
        wire.runUntil(() -> client.sendQueue() == 0, 10 * SECOND);
        client.abort();
        wire.runUntil(() -> server.state() == TcpState.CLOSED, 10 * SECOND);
        client.connect(TcpWire.B, new IpEndpoint(TcpWire.A.address(), 40001));

        SocketSnapshot c = set.snapshot().get(0);

        assertThat(c.state()).isEqualTo("SYN_SENT");
        assertThat(c.counters().bytesOut()).isEqualTo(500);
        assertThat(c.connectionCounters().bytesOut()).isZero();
        assertThat(c.connectionCounters().packetsOut()).isZero();
    }

    @Test
    void listenerReserveShowsAsListenerSlotsAndAHandshakeAsItsState() {
        SetPoller stack = new SetPoller(set, InitialSequence.fixed(1000));
        set.listen(80, 2, 1024, 1024);
        int local = Ipv4Address.of(192, 168, 69, 1).bits();
        int remote = Ipv4Address.of(192, 168, 69, 100).bits();
        stack.in(remote, local, new TcpRepr().srcPort(5555).dstPort(80).flags(TcpFlags.SYN).seq(5000).window(4096));
        stack.poll();

        List<SocketSnapshot> snapshot = set.snapshot();

        assertThat(snapshot).hasSize(2).allSatisfy(s -> {
            assertThat(s.kind()).isEqualTo(SocketKind.TCP_LISTENER);
            assertThat(s.owner()).isNull();
        });
        assertThat(snapshot).extracting(SocketSnapshot::state).containsExactly("SYN_RECEIVED", "LISTEN");
        assertThat(snapshot.get(0).remote()).isEqualTo(new IpEndpoint(Ipv4Address.of(remote), 5555));
        assertThat(snapshot.get(1).local()).isEqualTo(new IpEndpoint(Ipv4Address.UNSPECIFIED, 80));
        assertThat(snapshot.get(1).remote()).isNull();
    }

    @Test
    void udpAndIcmpSocketsShowBindingOwnerAndDropsByReason() {
        UdpSocket udp = new UdpSocket(1, 64, 1, 64);
        udp.bind(6969);
        SocketSetView app = set.view("com.example.dns");
        app.add(udp);
        set.add(new IcmpSocket(1, 1, 64));
        Ipv4Repr ip = new Ipv4Repr().src(Ipv4Address.of(10, 0, 0, 2).bits()).dst(Ipv4Address.of(10, 0, 0, 1).bits())
                .protocol(IpProtocol.UDP).ttl(64).payloadLength(8 + 3);
        UdpRepr datagram = new UdpRepr().srcPort(53).dstPort(6969).payload(new byte[3], 0, 3);
        Poller.processUdp(udp, 0, ip, datagram);
        Poller.processUdp(udp, 0, ip, datagram); // one slot: dropped

        List<SocketSnapshot> snapshot = set.snapshot();

        SocketSnapshot u = snapshot.get(0);
        assertThat(u.kind()).isEqualTo(SocketKind.UDP);
        assertThat(u.state()).isEqualTo("BOUND");
        assertThat(u.owner()).isEqualTo("com.example.dns");
        assertThat(u.local()).isEqualTo(new IpEndpoint(Ipv4Address.UNSPECIFIED, 6969));
        assertThat(u.remote()).isNull();
        assertThat(u.connectionCounters()).isNull();
        assertThat(u.counters().packetsIn()).isEqualTo(1);
        assertThat(u.counters().drops()).isEqualTo(udp.counters().totalDrops()).isEqualTo(1);
        assertThat(u.counters().drops(SocketDrop.RX_BUFFER_FULL)).isEqualTo(1);
        assertThat(u.rxQueued()).as("datagrams waiting").isEqualTo(1);
        assertThat(u.rxCapacity()).as("slots").isEqualTo(1);
        assertThat(u.txQueued()).isZero();
        assertThat(u.toString()).contains("UDP BOUND 0.0.0.0:6969 owner=com.example.dns", "drop.rx_buffer_full=1");
        SocketSnapshot i = snapshot.get(1);
        assertThat(i.kind()).isEqualTo(SocketKind.ICMP);
        assertThat(i.state()).isEqualTo("CLOSED");
        assertThat(i.owner()).isNull();
        assertThat(i.local()).isNull();
        assertThat(i.rxCapacity()).isEqualTo(1);
        assertThat(i.txCapacity()).isEqualTo(1);
    }

    @Test
    void socketOfAClosedViewIsListedAsRetiringWithoutHandleOrOwnerUntilItsResetLeaves() {
        establishedPair();
        SocketSetView other = set.view("com.example.other");
        other.add(new TcpSocket(64, 64));
        other.close(); // a socket that never connected has nothing to send: freed at once
        assertThat(set.snapshot()).hasSize(2);

        clientView.close(); // the connection is aborted: its RST is still to go out

        SocketSnapshot retired = set.snapshot().get(0);
        assertThat(retired.retiring()).isTrue();
        assertThat(retired.handle()).isNull();
        assertThat(retired.owner()).isNull();
        assertThat(retired.toString()).contains("retiring");
        assertThat(set.snapshot().get(1).retiring()).isFalse();

        set.driver(0).dispatch(Poller.context(client, 0, new TcpRecorder())); // the RST leaves
        assertThat(set.driver(0)).isNull();
        assertThat(set.snapshot()).extracting(SocketSnapshot::slot).containsExactly(1);
    }

    @Test
    void toStringReadsAsATableRow() {
        TcpWire wire = establishedPair();
        client.send(bytes(12), 0, 12);

        String row = set.snapshot().get(0).toString();

        assertThat(row).startsWith("0 TCP ESTABLISHED 10.0.0.1:40000 -> 10.0.0.2:80 owner=com.example.client rx=0/4096 tx=12/4096 ")
                .contains("retransmissions=0", "drops=0");
        assertThat(wire).isNotNull();
    }

    @Test
    void countersSnapshotRefusesATotalThatIsNotTheSumByReason() {
        assertThatThrownBy(() -> new SocketCountersSnapshot(0, 0, 0, 0, 0, 2, Map.of(SocketDrop.BAD_STATE, 1L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum");
    }
}
