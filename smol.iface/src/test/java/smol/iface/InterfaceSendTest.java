package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.hex;
import static smol.iface.InterfaceArpTest.arp;

import java.util.List;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.SocketSet;
import smol.socket.driver.IpSender;
import smol.socket.driver.SendOutcome;
import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;
import smol.wire.Ipv4Repr;
import smol.wire.TcpFlags;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/** The interface as the sockets' {@link IpSender}: routes, next hops, sources, headers, checksums. */
class InterfaceSendTest {
    private static final long MAC_A = Fixtures.MAC_A.bits();
    private static final long MAC_B = Fixtures.MAC_B.bits();
    private static final long MAC_GATEWAY = 0x02_00_00_00_00_feL;
    private static final int IP_A = Fixtures.IP_A.bits();
    private static final int IP_B = Fixtures.IP_B.bits();
    private static final int GATEWAY = Ipv4Address.parse("10.99.0.254").bits();
    private static final int INTERNET = Ipv4Address.parse("8.8.8.8").bits();
    private static final byte[] PAYLOAD = "ping?".getBytes();

    /** Host B with a gateway and a second subnet; neighbours A and the gateway already resolved. */
    private static Rig routedRig(RecordingDevice device) {
        Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B)
                .address(Ipv4Cidr.parse("192.168.7.1/24")).gateway(Ipv4Address.parse("10.99.0.254")).build(), device);
        rig.receive(
                arp("020000000002", "020000000001", 2, "020000000001", "10.99.0.1", "020000000002", "10.99.0.2"),
                arp("020000000002", "0200000000fe", 2, "0200000000fe", "10.99.0.254", "020000000002", "10.99.0.2"));
        return rig;
    }

    private static Rig routedRig() {
        return routedRig(new RecordingDevice());
    }

    private static UdpRepr udp(int srcPort, int dstPort) {
        return new UdpRepr().srcPort(srcPort).dstPort(dstPort).payload(PAYLOAD, 0, PAYLOAD.length);
    }

    @Test
    void packetToAnotherNetworkGoesToTheGatewaysMac() {
        Rig rig = routedRig();

        SendOutcome sent = rig.iface.ipSender().send(new Ipv4Repr().dst(INTERNET), udp(1000, 53));

        assertThat(sent).isEqualTo(SendOutcome.SENT);
        assertThat(rig.device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(hex(
                Frames.ipv4(MAC_GATEWAY, MAC_B, IP_B, INTERNET, 17, 0, 64, Frames.udp(IP_B, INTERNET, 1000, 53, PAYLOAD))));
    }

    @Test
    void packetOnALinkedSubnetGoesToItsDestinationsMac() {
        Rig rig = routedRig();

        rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A), udp(1000, 53));

        assertThat(rig.device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(hex(
                Frames.ipv4(MAC_A, MAC_B, IP_B, IP_A, 17, 0, 64, Frames.udp(IP_B, IP_A, 1000, 53, PAYLOAD))));
    }

    @Test
    void aStaticRouteTakesItsNetworksPacketsToItsRouterTheLongestPrefixFirst() {
        Rig rig = routedRig();
        rig.receive(arp("020000000002", "020000000007", 2, "020000000007", "192.168.7.7", "020000000002",
                "192.168.7.1"));
        rig.iface.addRoute(Ipv4Route.parse("172.16.0.0/12 via 10.99.0.1"));
        rig.iface.addRoute(Ipv4Route.parse("172.16.5.0/24 via 192.168.7.7"));
        int wide = Ipv4Address.parse("172.20.0.1").bits();
        int narrow = Ipv4Address.parse("172.16.5.9").bits();

        rig.iface.ipSender().send(new Ipv4Repr().dst(wide), udp(1, 2));
        rig.iface.ipSender().send(new Ipv4Repr().dst(narrow), udp(1, 2));
        rig.iface.ipSender().send(new Ipv4Repr().dst(INTERNET), udp(1, 2));

        List<byte[]> out = rig.device.takeTransmitted();
        assertThat(out).extracting(f -> hex(Frames.slice(f, 0, 6)))
                .as("router of the /12, router of the /24, the default gateway")
                .containsExactly("020000000001", "020000000007", "0200000000fe");
        assertThat(out).extracting(f -> Ipv4Address.from(f, 26).toString())
                .as("the source is our address on the router's subnet")
                .containsExactly("10.99.0.2", "192.168.7.1", "10.99.0.2");
        assertThat(rig.iface.routes()).extracting(Ipv4Route::toString)
                .containsExactly("172.16.0.0/12 via 10.99.0.1", "172.16.5.0/24 via 192.168.7.7");

        rig.iface.removeRoute(Ipv4Cidr.parse("172.16.5.0/24"));
        rig.iface.ipSender().send(new Ipv4Repr().dst(narrow), udp(1, 2));
        assertThat(rig.device.takeTransmitted()).extracting(f -> hex(Frames.slice(f, 0, 6)))
                .as("without the /24 the /12 takes it").containsExactly("020000000001");
    }

    @Test
    void unresolvedGatewayIsAskedForAndTheSendFails() {
        Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B)
                .gateway(Ipv4Address.parse("10.99.0.254")).build(), new RecordingDevice());

        SendOutcome sent = rig.iface.ipSender().send(new Ipv4Repr().dst(INTERNET), udp(1000, 53));

        assertThat(sent).isEqualTo(SendOutcome.NEIGHBOUR_PENDING);
        assertThat(rig.device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(hex(arp("ffffffffffff",
                "020000000002", 1, "020000000002", "10.99.0.2", "000000000000", "10.99.0.254")));
        assertThat(rig.stats().drops(IfaceDrop.NEIGHBOUR_UNRESOLVED)).isEqualTo(1);
    }

    @Test
    void noRouteWithoutGatewayFailsTheSendAndIsCounted() {
        Rig rig = new Rig();

        assertThat(rig.iface.ipSender().send(new Ipv4Repr().dst(INTERNET), udp(1000, 53)))
                .isEqualTo(SendOutcome.NO_ROUTE);

        assertThat(rig.device.takeTransmitted()).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.NO_ROUTE)).isEqualTo(1);
    }

    @Test
    void packetsToOurOwnAddressGoToOurOwnMac() {
        Rig rig = new Rig();

        assertThat(rig.iface.ipSender().send(new Ipv4Repr().dst(IP_B), udp(1000, 53))).isEqualTo(SendOutcome.SENT);
        assertThat(rig.device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(hex(
                Frames.ipv4(MAC_B, MAC_B, IP_B, IP_B, 17, 0, 64, Frames.udp(IP_B, IP_B, 1000, 53, PAYLOAD))));
    }

    @Test
    void sourceIsOurAddressOnTheDestinationsSubnet() {
        Rig rig = routedRig();
        rig.receive(arp("020000000002", "020000000009", 2, "020000000009", "192.168.7.9", "020000000002",
                "192.168.7.1"));
        int neighbour = Ipv4Address.parse("192.168.7.9").bits();

        rig.iface.ipSender().send(new Ipv4Repr().dst(neighbour), udp(1, 2));
        rig.iface.ipSender().send(new Ipv4Repr().dst(INTERNET), udp(1, 2));
        rig.iface.ipSender().send(new Ipv4Repr().dst(-1), udp(1, 2));

        List<byte[]> out = rig.device.takeTransmitted();
        assertThat(out).extracting(f -> Ipv4Address.from(f, 26).toString())
                .containsExactly("192.168.7.1", "10.99.0.2", "10.99.0.2");
        assertThat(out).extracting(f -> hex(Frames.slice(f, 0, 6)))
                .containsExactly("020000000009", "0200000000fe", "ffffffffffff");
    }

    @Test
    void socketsChosenSourceAndTtlAreKept() {
        Rig rig = routedRig();
        int second = Ipv4Address.parse("192.168.7.1").bits();

        rig.iface.ipSender().send(new Ipv4Repr().src(second).dst(IP_A).ttl(7), udp(1, 2));

        byte[] f = rig.device.takeTransmitted().get(0);
        assertThat(Ipv4Address.from(f, 26).bits()).isEqualTo(second);
        assertThat(f[22]).isEqualTo((byte) 7);
    }

    @Test
    void foreignSourceAddressIsRefused() {
        Rig rig = routedRig();

        assertThat(rig.iface.ipSender().send(new Ipv4Repr().src(INTERNET).dst(IP_A), udp(1, 2)))
                .isEqualTo(SendOutcome.NO_ROUTE);
        assertThat(rig.stats().drops(IfaceDrop.FOREIGN_SOURCE)).isEqualTo(1);
    }

    @Test
    void multicastGoesToTheGroupsMac() {
        Rig rig = new Rig();

        rig.iface.ipSender().send(new Ipv4Repr().dst(Ipv4Address.parse("224.0.0.251").bits()), udp(5353, 5353));

        // RFC 1112 §6.4: 01-00-5e and the low 23 bits of the group
        assertThat(hex(Frames.slice(rig.device.takeTransmitted().get(0), 0, 6))).isEqualTo("01005e0000fb");
    }

    @Test
    void identificationCountsEveryPacket() {
        Rig rig = routedRig();

        for (int i = 0; i < 3; i++) {
            rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A), udp(1, 2));
        }

        assertThat(rig.device.takeTransmitted()).extracting(f -> Fixtures.u16(f, 18)).containsExactly(0, 1, 2);
    }

    @Test
    void tcpAndIcmpAreEmittedWithTheirChecksums() {
        Rig rig = routedRig();
        TcpRepr syn = new TcpRepr().srcPort(40000).dstPort(7777).seq(1).flags(TcpFlags.SYN).window(512);
        byte[] data = {1, 2, 3, 4};
        Icmpv4Repr echo = new Icmpv4Repr().echoRequest(7, 1, data, 0, data.length);

        rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A), syn);
        rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A), echo);

        assertThat(rig.device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(
                hex(Frames.ipv4(MAC_A, MAC_B, IP_B, IP_A, 6, 0, 64,
                        Frames.tcp(IP_B, IP_A, 40000, 7777, 1, 0, TcpFlags.SYN, 512))),
                hex(Frames.ipv4(MAC_A, MAC_B, IP_B, IP_A, 1, 1, 64,
                        Frames.icmp(8, 0, new byte[] {0, 7, 0, 1}, data))));
    }

    @Test
    void checksumsAreLeftZeroForADeviceThatFillsThem() {
        Rig rig = routedRig(new RecordingDevice(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE)));

        rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A), udp(1, 2));

        byte[] f = rig.device.takeTransmitted().get(0);
        assertThat(Fixtures.u16(f, 24)).isZero();
        assertThat(Fixtures.u16(f, 40)).isZero();
    }

    @Test
    void packetLargerThanTheMtuIsRefused() {
        Rig rig = routedRig();
        byte[] fits = new byte[1500 - 28];
        byte[] tooBig = new byte[1500 - 27];

        assertThat(rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A),
                new UdpRepr().srcPort(1).dstPort(2).payload(fits, 0, fits.length))).isEqualTo(SendOutcome.SENT);
        assertThat(rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A),
                new UdpRepr().srcPort(1).dstPort(2).payload(tooBig, 0, tooBig.length))).isEqualTo(SendOutcome.TOO_BIG);
        assertThat(rig.device.takeTransmitted()).extracting(f -> f.length).containsExactly(1514);
        assertThat(rig.stats().drops(IfaceDrop.TOO_BIG)).isEqualTo(1);
    }

    @Test
    void busyDeviceFailsTheSend() {
        Rig rig = routedRig();
        rig.device.refuseTransmit(true);
        long framesOut = rig.stats().framesOut();

        assertThat(rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A), udp(1, 2))).isEqualTo(SendOutcome.DEVICE_BUSY);
        assertThat(rig.stats().drops(IfaceDrop.DEVICE_BUSY)).isEqualTo(1);
        assertThat(rig.stats().framesOut()).isEqualTo(framesOut);
    }

    @Test
    void sendWithoutDeviceFailsAsLinkDown() {
        Rig rig = routedRig();
        rig.iface.detach();

        assertThat(rig.iface.ipSender().send(new Ipv4Repr().dst(IP_A), udp(1, 2))).isEqualTo(SendOutcome.NO_DEVICE);
        assertThat(rig.stats().drops(IfaceDrop.LINK_DOWN)).isEqualTo(1);
    }

    @Test
    void mtuIsTheDevicesAndFramesUpToItsLengthAreReceived() {
        Interface iface = new Interface(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new SocketSet(2));
        assertThat(iface.ipSender().mtu()).isEqualTo(Interface.DEFAULT_MTU);
        RecordingDevice jumbo = new RecordingDevice(DeviceCapabilities.ethernet(9000, ChecksumCapabilities.ALL));
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5555);
        iface.sockets().add(sink);

        iface.attach(jumbo);
        byte[] big = new byte[9000 - 28];
        jumbo.inject(Frames.ipv4(MAC_B, MAC_A, IP_A, IP_B, 17, 1, 64, Frames.udp(IP_A, IP_B, 1, 5555, big)));
        iface.poll(0);

        assertThat(iface.ipSender().mtu()).isEqualTo(9000);
        assertThat(sink.payloads).hasSize(1);
        assertThat(sink.payloads.get(0)).hasSize(9000 - 28);
    }
}
