package smol.iface.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import smol.iface.Ipv4Route;
import smol.phy.FaultConfig;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/** An interface component's configuration as parsed: what it takes, and a refusal naming the property. */
class InterfaceSettingsTest {

    private static InterfaceSettings parse(String mac, String[] addresses, String gateway, String[] routes, int capacity,
            double drop) {
        return InterfaceSettings.parse("eth0", mac, addresses, gateway, routes, "tap0", capacity, drop, 0, 0, 0, "");
    }

    @Test
    void aFullConfigurationParsesIntoTheStacksConfigurationFaultsAndCapture() {
        InterfaceSettings s = InterfaceSettings.parse(" eth0 ", "02-00-00-00-00-07",
                new String[] {"192.168.69.1/24", " ", "10.0.0.1/8"}, "192.168.69.254",
                new String[] {"172.16.0.0/12 via 192.168.69.253"}, " tap1 ", 32, 10, 5, 20, 5, "/tmp/x.pcap");

        assertThat(s.name()).isEqualTo("eth0");
        assertThat(s.device()).isEqualTo("tap1");
        assertThat(s.capacity()).isEqualTo(32);
        assertThat(s.config().mac()).isEqualTo(EthernetAddress.parse("02-00-00-00-00-07"));
        assertThat(s.config().addresses()).as("blank entries are skipped")
                .containsExactly(Ipv4Cidr.parse("192.168.69.1/24"), Ipv4Cidr.parse("10.0.0.1/8"));
        assertThat(s.config().gateway()).isEqualTo(Ipv4Address.parse("192.168.69.254"));
        assertThat(s.config().routes()).containsExactly(Ipv4Route.parse("172.16.0.0/12 via 192.168.69.253"));
        assertThat(s.faults()).isEqualTo(FaultConfig.NONE.withDropChance(0.10).withCorruptChance(0.05)
                .withDelayMicros(20_000).withJitterMicros(5_000));
        assertThat(s.capture()).isEqualTo(Path.of("/tmp/x.pcap"));
    }

    @Test
    void noGatewayNoRoutesNoFaultsAndNoCaptureAreTheDefaults() {
        InterfaceSettings s = parse("02-00-00-00-00-01", new String[] {"192.168.69.1/24"}, "", null, 64, 0);

        assertThat(s.config().gateway()).isNull();
        assertThat(s.config().routes()).isEmpty();
        assertThat(s.faults()).isEqualTo(FaultConfig.NONE);
        assertThat(s.capture()).isNull();
    }

    @Test
    void eachBadValueIsRefusedNamingTheInterfaceAndTheProperty() {
        String[] ok = {"192.168.69.1/24"};
        assertThatThrownBy(() -> parse("02-00-00-00-00", ok, "", null, 64, 0))
                .hasMessageStartingWith("interface eth0: mac '02-00-00-00-00' is not a MAC address");
        assertThatThrownBy(() -> parse("02-00-00-00-00-01", new String[] {"192.168.69.300/24"}, "", null, 64, 0))
                .hasMessageStartingWith("interface eth0: address '192.168.69.300/24' is not an IPv4 address");
        assertThatThrownBy(() -> parse("02-00-00-00-00-01", new String[] {}, "", null, 64, 0))
                .hasMessageContaining("interface eth0: interface needs at least one IPv4 address");
        assertThatThrownBy(() -> parse("02-00-00-00-00-01", ok, "gw", null, 64, 0))
                .hasMessageStartingWith("interface eth0: gateway 'gw' is not an IPv4 address");
        assertThatThrownBy(() -> parse("02-00-00-00-00-01", ok, "10.9.9.9", null, 64, 0))
                .as("a gateway off every subnet").hasMessageStartingWith("interface eth0: ");
        assertThatThrownBy(() -> parse("02-00-00-00-00-01", ok, "", new String[] {"10.0.0.0/8 by 192.168.69.2"}, 64, 0))
                .hasMessageStartingWith("interface eth0: route '10.0.0.0/8 by 192.168.69.2' is not a route");
        assertThatThrownBy(() -> parse("02-00-00-00-00-01", ok, "", null, 0, 0))
                .hasMessageStartingWith("interface eth0: capacity must be within 1..65536 sockets: 0");
        assertThatThrownBy(() -> parse("02-00-00-00-00-01", ok, "", null, 64, 101))
                .hasMessageStartingWith("interface eth0: faults.drop must be a percentage within 0..100: 101");
        assertThatThrownBy(() -> InterfaceSettings.parse("eth0", "02-00-00-00-00-01", ok, "", null, " ", 64, 0, 0, 0, 0, ""))
                .hasMessageStartingWith("interface eth0: device must name the device");
        assertThatThrownBy(() -> InterfaceSettings.parse(" ", "02-00-00-00-00-01", ok, "", null, "tap0", 64, 0, 0, 0, 0, ""))
                .hasMessageContaining("needs a name");
    }

    @Test
    void onlyANewNameOrCapacityNeedsANewRuntime() {
        InterfaceSettings s = parse("02-00-00-00-00-01", new String[] {"192.168.69.1/24"}, "", null, 64, 0);

        assertThat(s.needsRestartFor(parse("02-00-00-00-00-02", new String[] {"10.0.0.1/8"}, "", null, 64, 5))).isFalse();
        assertThat(s.needsRestartFor(parse("02-00-00-00-00-01", new String[] {"192.168.69.1/24"}, "", null, 65, 0))).isTrue();
        assertThat(s.needsRestartFor(InterfaceSettings.parse("eth1", "02-00-00-00-00-01",
                new String[] {"192.168.69.1/24"}, "", null, "tap0", 64, 0, 0, 0, 0, ""))).isTrue();
    }
}
