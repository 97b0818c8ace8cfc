package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.hex;
import static smol.iface.InterfaceArpTest.arp;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import smol.phy.LoopbackDevice;
import smol.socket.SocketSet;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;
import smol.wire.Ipv4Repr;
import smol.wire.TcpFlags;
import smol.wire.UdpRepr;

/**
 * Traffic to the interface's own addresses: it goes to our own MAC without ARP, and comes back through
 * a loopback device as from any host, while the same source address from another MAC stays spoofed.
 */
class InterfaceLoopbackTest {
    private static final long MAC_A = Fixtures.MAC_A.bits();
    private static final long MAC_B = Fixtures.MAC_B.bits();
    private static final int IP_A = Fixtures.IP_A.bits();
    private static final int IP_B = Fixtures.IP_B.bits();
    private static final byte[] PAYLOAD = "self".getBytes(StandardCharsets.US_ASCII);

    @Test
    void udpToOurOwnAddressGoesToOurOwnMacWithoutArp() {
        Rig rig = new Rig();
        UdpRepr udp = new UdpRepr().srcPort(4000).dstPort(5000).payload(PAYLOAD, 0, PAYLOAD.length);

        smol.socket.driver.SendOutcome sent = rig.iface.ipSender().send(new Ipv4Repr().dst(IP_B), udp);

        assertThat(sent).isEqualTo(smol.socket.driver.SendOutcome.SENT);
        assertThat(rig.device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(hex(
                Frames.ipv4(MAC_B, MAC_B, IP_B, IP_B, 17, 0, 64, Frames.udp(IP_B, IP_B, 4000, 5000, PAYLOAD))));
        assertThat(rig.stats().arpRequestsSent()).isZero();
        assertThat(rig.iface.arpCache().lookup(IP_B, rig.now)).isEqualTo(ArpCache.NO_ENTRY);
    }

    @Test
    void tcpToOurOwnAddressGoesToOurOwnMac() {
        Rig rig = new Rig();
        TcpSocket client = new TcpSocket(64, 64);
        rig.add(client);
        client.connect(new IpEndpoint(Fixtures.IP_B, 80), new IpEndpoint(Ipv4Address.UNSPECIFIED, 4000));

        byte[] syn = rig.receive().get(0);

        assertThat(hex(Frames.slice(syn, 0, 12))).isEqualTo("020000000002" + "020000000002");
        assertThat(Ipv4Address.from(syn, 26).bits()).isEqualTo(IP_B);
        assertThat(Ipv4Address.from(syn, 30).bits()).isEqualTo(IP_B);
        assertThat(syn[14 + 20 + 13]).isEqualTo((byte) TcpFlags.SYN);
    }

    @Test
    void packetFromOurAddressAndOurMacIsReceivedAsLoopedBack() {
        Rig rig = new Rig();
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5000);
        rig.add(sink);

        assertThat(rig.receive(Frames.ipv4(MAC_B, MAC_B, IP_B, IP_B, 17, 0, 64,
                Frames.udp(IP_B, IP_B, 4000, 5000, PAYLOAD)))).isEmpty();

        assertThat(sink.payloads).extracting(p -> new String(p, StandardCharsets.US_ASCII)).containsExactly("self");
        assertThat(sink.sources).containsExactly("10.99.0.2:4000");
        assertThat(rig.stats().drops(IfaceDrop.BAD_SOURCE)).isZero();
    }

    @Test
    void packetFromOurAddressOutOfAnotherMacIsDroppedAsSpoofed() {
        Rig rig = new Rig();
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5000);
        rig.add(sink);

        assertThat(rig.receive(Frames.ipv4(MAC_B, MAC_A, IP_B, IP_B, 17, 0, 64,
                Frames.udp(IP_B, IP_B, 4000, 5000, PAYLOAD)))).isEmpty();

        assertThat(sink.payloads).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BAD_SOURCE)).isEqualTo(1);
    }

    @Test
    void otherSourceFromOurMacIsReceivedAsFromAnyHost() {
        Rig rig = new Rig();
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5000);
        rig.add(sink);

        // Our MAC as the source says nothing by itself: only our own IPv4 source needs it.
        rig.receive(Frames.ipv4(MAC_B, MAC_B, IP_A, IP_B, 17, 0, 64, Frames.udp(IP_A, IP_B, 4000, 5000, PAYLOAD)));

        assertThat(sink.sources).containsExactly("10.99.0.1:4000");
    }

    @Test
    void echoRequestToOurselvesIsAnsweredToOurOwnMac() {
        Rig rig = new Rig();
        byte[] rest = {0x12, 0x34, 0x00, 0x01};
        byte[] request = Frames.ipv4(MAC_B, MAC_B, IP_B, IP_B, 1, 7, 64, Frames.icmp(8, 0, rest, PAYLOAD));

        assertThat(rig.receive(request)).extracting(Fixtures::hex).containsExactly(hex(
                Frames.ipv4(MAC_B, MAC_B, IP_B, IP_B, 1, 0, 64, Frames.icmp(0, 0, rest, PAYLOAD))));
    }

    @Test
    void ourOwnArpComingBackIsIgnored() {
        Rig rig = new Rig();
        byte[] announcement = arp("ffffffffffff", "020000000002", 1, "020000000002", "10.99.0.2", "000000000000",
                "10.99.0.2");
        byte[] request = arp("ffffffffffff", "020000000002", 1, "020000000002", "10.99.0.2", "000000000000",
                "10.99.0.1");

        assertThat(rig.receive(announcement, request)).isEmpty();

        assertThat(rig.stats().drops(IfaceDrop.NOT_FOR_US)).isEqualTo(2);
        assertThat(rig.stats().drops(IfaceDrop.BAD_SOURCE)).isZero();
        assertThat(rig.iface.arpCache().lookup(IP_B, rig.now)).isEqualTo(ArpCache.NO_ENTRY);
    }

    @Test
    void anotherStationClaimingOurAddressInArpIsStillABadSource() {
        Rig rig = new Rig();

        assertThat(rig.receive(arp("ffffffffffff", "020000000001", 1, "020000000001", "10.99.0.2", "000000000000",
                "10.99.0.2"))).isEmpty();

        assertThat(rig.stats().drops(IfaceDrop.BAD_SOURCE)).isEqualTo(1);
    }

    @Test
    void localhostIsAValidInterfaceAddress() {
        InterfaceConfig config = Fixtures.builder().mac(EthernetAddress.parse("02-00-00-00-00-01"))
                .address(Ipv4Cidr.parse("127.0.0.1/8")).build();

        assertThat(config.addresses()).containsExactly(Ipv4Cidr.parse("127.0.0.1/8"));
    }

    @Test
    void udpSocketTalksToItselfOverALoopbackDevice() {
        Interface iface = localhost(new SocketSet(1));
        UdpSocket socket = new UdpSocket(4, 256, 4, 256);
        socket.bind(7);
        iface.sockets().add(socket);
        int localhost = Ipv4Address.parse("127.0.0.1").bits();

        socket.send(localhost, 7, PAYLOAD, 0, PAYLOAD.length);
        long now = 0;
        for (int i = 0; i < 3; i++) {
            iface.poll(now);
        }

        UdpDatagram got = new UdpDatagram(16);
        assertThat(socket.recv(got)).isEqualTo(1);
        assertThat(got.length()).isEqualTo(PAYLOAD.length);
        assertThat(got.sourceAddress()).isEqualTo(localhost);
        assertThat(got.sourcePort()).isEqualTo(7);
        assertThat(new String(got.buffer(), 0, PAYLOAD.length, StandardCharsets.US_ASCII)).isEqualTo("self");
        assertThat(iface.statistics().drops(IfaceDrop.BAD_SOURCE)).isZero();
    }

    @Test
    void tcpClientAndServerOnOneInterfaceConnectAndTransferOverALoopbackDevice() {
        Interface iface = localhost(new SocketSet(2));
        TcpSocket server = new TcpSocket(1024, 1024);
        TcpSocket client = new TcpSocket(1024, 1024);
        iface.sockets().add(server);
        iface.sockets().add(client);
        server.listen(1234);
        client.connect(new IpEndpoint(Ipv4Address.parse("127.0.0.1"), 1234),
                new IpEndpoint(Ipv4Address.UNSPECIFIED, 65000));
        byte[] message = "over the loop".getBytes(StandardCharsets.US_ASCII);

        long now = 0;
        for (int i = 0; i < 8 && client.state() != TcpState.ESTABLISHED; i++) {
            iface.poll(now += 10);
        }
        client.send(message, 0, message.length);
        byte[] got = new byte[64];
        int n = 0;
        for (int i = 0; i < 8 && n == 0; i++) {
            iface.poll(now += 10);
            n = server.recv(got, 0, got.length);
        }

        assertThat(client.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(server.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(server.remoteEndpoint()).isEqualTo(IpEndpoint.parse("127.0.0.1:65000"));
        assertThat(new String(got, 0, n, StandardCharsets.US_ASCII)).isEqualTo("over the loop");
        assertThat(iface.statistics().drops(IfaceDrop.BAD_SOURCE)).isZero();
        assertThat(iface.statistics().drops(IfaceDrop.NO_ROUTE)).isZero();
    }

    /** An interface at 127.0.0.1/8 on a loopback device, its announcement already looped and ignored. */
    private static Interface localhost(SocketSet sockets) {
        Interface iface = new Interface(Fixtures.builder().mac(EthernetAddress.parse("02-00-00-00-00-01"))
                .address(Ipv4Cidr.parse("127.0.0.1/8")).build(), sockets);
        iface.attach(new LoopbackDevice(16));
        return iface;
    }
}
