package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {

    @Test
    void macPrintsInDashFormAndParsesBothForms() {
        EthernetAddress mac = EthernetAddress.parse("02-00-00-00-00-01");
        assertThat(mac.toString()).isEqualTo("02-00-00-00-00-01");
        assertThat(EthernetAddress.parse("02:00:00:00:00:01")).isEqualTo(mac);
        assertThat(EthernetAddress.parse("AA-bb-CC-dd-EE-ff").toString()).isEqualTo("aa-bb-cc-dd-ee-ff");
        assertThat(mac.isUnicast()).isTrue();
        assertThat(mac.isLocal()).isTrue();
        assertThat(EthernetAddress.BROADCAST.isBroadcast()).isTrue();
        assertThat(EthernetAddress.BROADCAST.isMulticast()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "02-00-00-00-00", "02-00-00-00-00-0g", "02-00:00-00-00-01", "02.00.00.00.00.01",
            "02-00-00-00-00-001", "2-00-00-00-00-01"})
    void badMacTextIsRejectedWithItsText(String text) {
        assertThatThrownBy(() -> EthernetAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MAC");
    }

    @Property
    void macTextRoundTrips(@ForAll @LongRange(min = 0, max = 0xffff_ffff_ffffL) long bits) {
        EthernetAddress mac = EthernetAddress.of(bits);
        assertThat(EthernetAddress.parse(mac.toString())).isEqualTo(mac);
        byte[] b = new byte[8];
        mac.write(b, 1);
        assertThat(EthernetAddress.from(b, 1)).isEqualTo(mac);
    }

    @Test
    void ipv4DottedQuad() {
        Ipv4Address a = Ipv4Address.parse("192.168.69.1");
        assertThat(a.bits()).isEqualTo(0xc0a84501);
        assertThat(a).isEqualTo(Ipv4Address.of(192, 168, 69, 1));
        assertThat(a.toString()).isEqualTo("192.168.69.1");
        assertThat(a.version()).isEqualTo(4);
        assertThat(IpAddress.parse("10.0.0.1")).isEqualTo(Ipv4Address.of(10, 0, 0, 1));
        assertThat(Ipv4Address.BROADCAST.isBroadcast()).isTrue();
        assertThat(Ipv4Address.parse("224.0.0.1").isMulticast()).isTrue();
        assertThat(Ipv4Address.parse("127.0.0.1").isLoopback()).isTrue();
        assertThat(Ipv4Address.UNSPECIFIED.isUnicast()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "1.2.3.4 ", "a.b.c.d",
            "1.2.3.-4", "1111.2.3.4"})
    void badIpv4TextIsRejectedWithItsText(String text) {
        assertThatThrownBy(() -> Ipv4Address.parse(text))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(text);
    }

    @Property
    void ipv4TextRoundTrips(@ForAll int bits) {
        assertThat(Ipv4Address.parse(Ipv4Address.of(bits).toString()).bits()).isEqualTo(bits);
    }

    @Test
    void cidrKnowsItsSubnet() {
        Ipv4Cidr c = Ipv4Cidr.parse("192.168.69.1/24");
        assertThat(c.netmask()).isEqualTo(Ipv4Address.parse("255.255.255.0"));
        assertThat(c.network().toString()).isEqualTo("192.168.69.0/24");
        assertThat(c.broadcast()).isEqualTo(Ipv4Address.parse("192.168.69.255"));
        assertThat(c.contains(Ipv4Address.parse("192.168.69.200"))).isTrue();
        assertThat(c.contains(Ipv4Address.parse("192.168.70.1"))).isFalse();
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").contains(Ipv4Address.parse("8.8.8.8"))).isTrue();
        assertThat(Ipv4Cidr.parse("10.0.0.1/32").broadcast()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.168.69.1", "192.168.69.1/33", "192.168.69.1/", "192.168.69/24", "1.2.3.4/-1"})
    void badCidrTextIsRejected(String text) {
        assertThatThrownBy(() -> Ipv4Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CIDR");
    }

    @Property
    void prefixLengthSetsThatManyMaskBits(@ForAll @IntRange(max = 32) int prefix) {
        assertThat(Integer.bitCount(new Ipv4Cidr(Ipv4Address.UNSPECIFIED, prefix).netmaskBits())).isEqualTo(prefix);
    }

    @Test
    void endpointParsesAndPrints() {
        IpEndpoint e = IpEndpoint.parse("192.168.69.1:6969");
        assertThat(e.address()).isEqualTo(Ipv4Address.parse("192.168.69.1"));
        assertThat(e.port()).isEqualTo(6969);
        assertThat(e.toString()).isEqualTo("192.168.69.1:6969");
        assertThat(e).isEqualTo(new IpEndpoint(Ipv4Address.of(192, 168, 69, 1), 6969));
        assertThatThrownBy(() -> IpEndpoint.parse("192.168.69.1:70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpEndpoint.parse("192.168.69.1")).isInstanceOf(IllegalArgumentException.class);
    }
}
