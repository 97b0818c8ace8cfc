package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import smol.socket.SocketSet;
import smol.socket.driver.InitialSequence;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

class InterfaceConfigTest {
    private static InterfaceConfig.Builder valid() {
        return Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B);
    }

    @Test
    void validConfigurationKeepsItsValues() {
        InterfaceConfig config = valid().gateway(Ipv4Address.parse("10.99.0.254")).arpCacheCapacity(4)
                .framesPerPoll(8).build();

        assertThat(config.mac()).isEqualTo(Fixtures.MAC_B);
        assertThat(config.addresses()).containsExactly(Fixtures.CIDR_B);
        assertThat(config.gateway()).isEqualTo(Ipv4Address.parse("10.99.0.254"));
        assertThat(config.arpCacheCapacity()).isEqualTo(4);
        assertThat(config.framesPerPoll()).isEqualTo(8);
    }

    @Test
    void macIsRequiredAndUnicast() {
        assertThatThrownBy(() -> Fixtures.builder().address(Fixtures.CIDR_B).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAC");
        assertThatThrownBy(() -> valid().mac(EthernetAddress.parse("01-00-5e-00-00-01")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("01-00-5e-00-00-01");
        assertThatThrownBy(() -> valid().mac(EthernetAddress.BROADCAST).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multicast");
        assertThatThrownBy(() -> valid().mac(EthernetAddress.UNSPECIFIED).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zeros");
    }

    @Test
    void atLeastOneAddressIsRequired() {
        assertThatThrownBy(() -> Fixtures.builder().mac(Fixtures.MAC_B).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one IPv4 address");
    }

    @Test
    void addressesMustBeUsableHostAddresses() {
        assertThatThrownBy(() -> valid().address(Ipv4Cidr.parse("10.1.0.255/24")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broadcast").hasMessageContaining("10.1.0.255/24");
        assertThatThrownBy(() -> valid().address(Ipv4Cidr.parse("224.0.0.1/4")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unicast");
        assertThatThrownBy(() -> valid().address(Ipv4Cidr.parse("10.99.0.2/16")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> new InterfaceConfig(Fixtures.MAC_B, java.util.Arrays.asList(Fixtures.CIDR_B, null), null,
                null, 1, 1, InitialSequence.fixed(0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
    }

    @Test
    void gatewayMustBeOnASubnetAndNotOurs() {
        assertThatThrownBy(() -> valid().gateway(Ipv4Address.parse("192.168.1.1")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("192.168.1.1 is outside every subnet");
        assertThatThrownBy(() -> valid().gateway(Ipv4Address.parse("10.99.0.2")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one of the interface's addresses");
        assertThatThrownBy(() -> valid().gateway(Ipv4Address.parse("10.99.0.255")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broadcast address of 10.99.0.0/24");
    }

    @Test
    void capacitiesMustBePositive() {
        assertThatThrownBy(() -> valid().arpCacheCapacity(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ARP cache capacity").hasMessageContaining("0");
        assertThatThrownBy(() -> valid().framesPerPoll(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frames per poll");
    }

    @Test
    void withoutAGivenGeneratorEachConfigurationKeysItsOwnIsnSecret() {
        InterfaceConfig first = InterfaceConfig.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build();
        InterfaceConfig second = InterfaceConfig.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build();

        int a = first.initialSequence().next(1, 2, 3, 4, 0);
        int b = second.initialSequence().next(1, 2, 3, 4, 0);

        assertThat(a).as("two secrets drawn at random give other ISNs (2^-32 to collide)").isNotEqualTo(b);
        assertThatThrownBy(() -> new InterfaceConfig(Fixtures.MAC_B, List.of(Fixtures.CIDR_B), null, null, 1, 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISN generator");
    }

    @Test
    void addressesAreCopied() {
        List<Ipv4Cidr> list = new java.util.ArrayList<>(List.of(Fixtures.CIDR_B));
        InterfaceConfig config = new InterfaceConfig(Fixtures.MAC_B, list, null, null, 1, 1, InitialSequence.fixed(0));
        list.clear();

        assertThat(config.addresses()).hasSize(1);
    }

    @Test
    void interfaceRefusesMissingPartsAndNonEthernetMisuse() {
        assertThatThrownBy(() -> new Interface(null, new SocketSet(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Interface(valid().build(), null)).isInstanceOf(IllegalArgumentException.class);
        Interface iface = new Interface(valid().build(), new SocketSet(1));
        assertThatThrownBy(() -> iface.attach(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> iface.addObserver(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(iface.detach()).isNull();
    }

    @Test
    void aRouteMustGoThroughANeighbourThatIsNotUsAndOncePerNetwork() {
        assertThatThrownBy(() -> valid().route(Ipv4Route.parse("10.1.0.0/16 via 10.50.0.1")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside every subnet");
        assertThatThrownBy(() -> valid().route(Ipv4Route.parse("10.1.0.0/16 via 10.99.0.2")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own addresses");
        assertThatThrownBy(() -> valid().route(Ipv4Route.parse("10.1.0.0/16 via 10.99.0.1"))
                .route(Ipv4Route.parse("10.1.2.3/16 via 10.99.0.3")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two routes to 10.1.0.0/16");
        assertThatThrownBy(() -> Ipv4Route.parse("10.1.0.0/16 10.99.0.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NETWORK/PREFIX via ROUTER");
        assertThat(Ipv4Route.parse("10.1.2.3/16 via 10.99.0.1").destination()).isEqualTo(Ipv4Cidr.parse("10.1.0.0/16"));
        assertThat(valid().route(Ipv4Route.parse("10.1.0.0/16 via 10.99.0.1")).build().routes()).hasSize(1);
    }
}
