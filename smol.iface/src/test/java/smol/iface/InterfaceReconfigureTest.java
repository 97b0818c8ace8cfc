package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.InterfaceArpTest.arp;

import java.util.List;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.EtherType;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;
import smol.wire.TcpFlags;

/** Changing an interface while it runs: addresses, gateway, MAC; no socket is lost but those that must end. */
class InterfaceReconfigureTest {
    private static final long SECOND = 1_000_000L;
    private static final Ipv4Address SECOND_ADDRESS = Ipv4Address.parse("10.99.0.5");

    @Test
    void anAddedAddressIsAnnouncedAndAnswered() {
        Rig rig = new Rig();
        long before = rig.stats().arpAnnouncementsSent();

        rig.iface.addAddress(Ipv4Cidr.parse("10.99.0.5/24"));

        List<byte[]> announced = rig.receive();
        assertThat(announced).hasSize(2).allSatisfy(f -> assertThat(Fixtures.u16(f, 12)).isEqualTo(EtherType.ARP));
        assertThat(rig.stats().arpAnnouncementsSent() - before).isEqualTo(2);
        // the kernel asks who has 10.99.0.5: the interface answers for its new address
        List<byte[]> reply = rig.receive(arp("ffffffffffff", "020000000001", 1, "020000000001", "10.99.0.1",
                "000000000000", "10.99.0.5"));
        assertThat(reply).singleElement().satisfies(f -> assertThat(Fixtures.u16(f, 14 + 6)).isEqualTo(2));
        assertThat(rig.iface.addresses()).extracting(Ipv4Cidr::toString).containsExactly("10.99.0.2/24", "10.99.0.5/24");
    }

    @Test
    void removingAnAddressResetsTheConnectionsThatUseItAndNoOther() {
        TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.ALL));
        stacks.b.addAddress(Ipv4Cidr.parse("10.99.0.5/24"));
        TcpSocket onSecond = new TcpSocket(4096, 4096);
        TcpSocket onFirst = new TcpSocket(4096, 4096);
        TcpSocket clientOfSecond = new TcpSocket(4096, 4096);
        TcpSocket clientOfFirst = new TcpSocket(4096, 4096);
        stacks.socketsB.add(onSecond);
        stacks.socketsB.add(onFirst);
        stacks.socketsA.add(clientOfSecond);
        stacks.socketsA.add(clientOfFirst);
        onSecond.listen(new IpEndpoint(SECOND_ADDRESS, 7777));
        onFirst.listen(new IpEndpoint(Fixtures.IP_B, 7777));
        clientOfSecond.connect(new IpEndpoint(SECOND_ADDRESS, 7777), new IpEndpoint(Fixtures.IP_A, 40000));
        clientOfFirst.connect(new IpEndpoint(Fixtures.IP_B, 7777), new IpEndpoint(Fixtures.IP_A, 40001));
        stacks.runUntilOrFail(() -> onSecond.state() == TcpState.ESTABLISHED
                && onFirst.state() == TcpState.ESTABLISHED, SECOND, "both established");

        stacks.b.removeAddress(SECOND_ADDRESS);

        assertThat(onSecond.state()).isEqualTo(TcpState.CLOSED);
        assertThat(onSecond.closeReason()).isEqualTo(TcpCloseReason.ADDRESS_REMOVED);
        stacks.runUntilOrFail(() -> clientOfSecond.state() == TcpState.CLOSED, SECOND, "the peer told");
        assertThat(clientOfSecond.closeReason()).as("the RST left from the address before it went")
                .isEqualTo(TcpCloseReason.RESET_BY_PEER);
        assertThat(onFirst.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(clientOfFirst.state()).isEqualTo(TcpState.ESTABLISHED);
        byte[] data = "still here".getBytes();
        clientOfFirst.send(data, 0, data.length);
        stacks.runUntilOrFail(() -> onFirst.recvQueue() == data.length, SECOND, "the other connection moves");
    }

    @Test
    void aNewGatewayCarriesTrafficBeyondTheSubnets() {
        Rig rig = new Rig();
        smol.wire.UdpRepr udp = new smol.wire.UdpRepr().srcPort(1).dstPort(2).payload(new byte[1], 0, 1);
        assertThat(rig.iface.ipSender().send(new smol.wire.Ipv4Repr().dst(Ipv4Address.parse("192.0.2.1").bits()),
                udp)).isEqualTo(smol.socket.driver.SendOutcome.NO_ROUTE);

        rig.iface.gateway(Ipv4Address.parse("10.99.0.254"));

        assertThat(rig.iface.ipSender().send(new smol.wire.Ipv4Repr().dst(Ipv4Address.parse("192.0.2.1").bits()),
                udp)).isEqualTo(smol.socket.driver.SendOutcome.NEIGHBOUR_PENDING);
        byte[] request = rig.device.takeTransmitted().get(0);
        assertThat(Ipv4Address.of(Fixtures.u16(request, 38) << 16 | Fixtures.u16(request, 40)))
                .as("the ARP request asks for the gateway").isEqualTo(Ipv4Address.parse("10.99.0.254"));
    }

    @Test
    void aNewMacIsAnnouncedForEveryAddressAndTheOldOneNoLongerTakesFrames() {
        Rig rig = new Rig();
        EthernetAddress next = EthernetAddress.parse("02-00-00-00-00-42");

        rig.iface.mac(next);

        List<byte[]> announced = rig.receive();
        assertThat(announced).singleElement().satisfies(f -> assertThat(EthernetAddress.from(f, 6)).isEqualTo(next));
        byte[] toOldMac = Frames.ipv4(Fixtures.MAC_B.bits(), Fixtures.MAC_A.bits(), Fixtures.IP_A.bits(),
                Fixtures.IP_B.bits(), 6, 1, 64, Frames.tcp(Fixtures.IP_A.bits(), Fixtures.IP_B.bits(), 40000, 7777,
                        1, 0, TcpFlags.SYN, 1000));
        rig.receive(toOldMac);
        assertThat(rig.stats().drops(IfaceDrop.NOT_FOR_US)).isEqualTo(1);
        assertThat(rig.iface.mac()).isEqualTo(next);
    }

    @Test
    void whatCannotChangeInPlaceIsRefusedClearly() {
        Rig rig = new Rig();

        assertThatThrownBy(() -> rig.iface.reconfigure(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B)
                .arpCacheCapacity(3).build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ARP cache capacity is fixed");
        assertThatThrownBy(() -> rig.iface.removeAddress(Ipv4Address.parse("10.99.0.9")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an address of this interface");
        assertThatThrownBy(() -> rig.iface.removeAddress(Fixtures.IP_B)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one IPv4 address");
        assertThat(rig.iface.addresses()).containsExactly(Fixtures.CIDR_B);
    }
}
