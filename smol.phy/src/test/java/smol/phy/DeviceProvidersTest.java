package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.phy.Frames.numbered;
import static smol.phy.Frames.receive;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceProvidersTest {
    private final long now = 0;

    @Test
    void everyInMemoryKindIsFoundThroughServiceLoader() {
        assertThat(DeviceProviders.kinds()).contains("cable", "loopback").isSorted();
        assertThat(DeviceProviders.find("loopback").kind()).isEqualTo("loopback");
        assertThat(DeviceProviders.find("cable").kind()).isEqualTo("cable");
    }

    @Test
    void aLoopbackOpensByNameWithItsOptionsApplied() {
        Device device = DeviceProviders.open("loopback", "lo0", Map.of("mtu", "9000", "queue", "2", "checksums", "all"));
        assertThat(device).isInstanceOf(LoopbackDevice.class);
        assertThat(device.capabilities()).isEqualTo(DeviceCapabilities.ethernet(9000, ChecksumCapabilities.ALL));
        assertThat(device.transmit(numbered(1, 9014), 0, 9014, now)).isTrue();
        assertThat(device.transmit(numbered(2, 60), 0, 60, now)).isTrue();
        assertThat(device.transmit(numbered(3, 60), 0, 60, now)).as("a queue of 2 frames").isFalse();
        assertThat(receive(device, now)).isEqualTo(numbered(1, 9014));
    }

    @Test
    void aLoopbackWithoutOptionsHasTheDefaults() {
        Device device = DeviceProviders.open("loopback", "lo0", Map.of());
        assertThat(device.capabilities()).isEqualTo(LoopbackDevice.DEFAULT_CAPABILITIES);
        for (int n = 0; n < 64; n++) {
            assertThat(device.transmit(numbered(n, 60), 0, 60, now)).isTrue();
        }
        assertThat(device.transmit(numbered(64, 60), 0, 60, now)).as("a queue of 64 frames").isFalse();
    }

    @Test
    void eachLoopbackOpenedIsANewOne() {
        assertThat(DeviceProviders.open("loopback", "lo0", Map.of()))
                .isNotSameAs(DeviceProviders.open("loopback", "lo0", Map.of()));
    }

    @Test
    void theTwoEndsOfANamedCableAreJoined() {
        Device a = DeviceProviders.open("cable", "joined", Map.of("end", "a", "mtu", "576"));
        Device b = DeviceProviders.open("cable", "joined", Map.of("end", "b"));
        assertThat(b.capabilities().mtu()).as("the cable's MTU, set by the first open").isEqualTo(576);
        a.transmit(numbered(1, 60), 0, 60, now);
        b.transmit(numbered(2, 61), 0, 61, now);
        assertThat(receive(b, now)).isEqualTo(numbered(1, 60));
        assertThat(receive(a, now)).isEqualTo(numbered(2, 61));
    }

    @Test
    void openingAnEndAgainReturnsTheSameDevice() {
        Device a = DeviceProviders.open("cable", "again", Map.of("end", "a"));
        assertThat(DeviceProviders.open("cable", "again", Map.of("end", "a"))).isSameAs(a);
        assertThat(DeviceProviders.open("cable", "again", Map.of("end", "b")))
                .isSameAs(((Cable.End) a).cable().b());
    }

    @Test
    void cablesOfDifferentNamesAreNotJoined() {
        Device a = DeviceProviders.open("cable", "one", Map.of("end", "a"));
        Device b = DeviceProviders.open("cable", "two", Map.of("end", "b"));
        a.transmit(numbered(1, 60), 0, 60, now);
        assertThat(receive(b, now)).isNull();
    }

    @Test
    void anEndOpenedWithOtherCableOptionsThanTheCablesIsRefused() {
        Device a = DeviceProviders.open("cable", "shared", Map.of("end", "a", "mtu", "1500", "queue", "8"));
        assertThatThrownBy(() -> DeviceProviders.open("cable", "shared", Map.of("end", "b", "mtu", "9000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cable shared: the cable exists with mtu=1500, not mtu=9000 (its ends share one mtu)");
        assertThatThrownBy(() -> DeviceProviders.open("cable", "shared", Map.of("end", "b", "queue", "4")))
                .hasMessageContaining("queue=8, not queue=4");
        assertThatThrownBy(() -> DeviceProviders.open("cable", "shared", Map.of("end", "b", "checksums", "all")))
                .hasMessageContaining("checksums=none, not checksums=all");
        assertThat(DeviceProviders.open("cable", "shared", Map.of("end", "b", "mtu", "1500", "queue", "8")))
                .isSameAs(((Cable.End) a).cable().b());
    }

    @Test
    void anUnknownKindIsRefusedNamingTheKnownKinds() {
        assertThatThrownBy(() -> DeviceProviders.open("tapp", "tap0", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no device provider of kind 'tapp' (known kinds: ")
                .hasMessageContaining("cable").hasMessageContaining("loopback");
        assertThatThrownBy(() -> DeviceProviders.find(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("a device kind must be given (known kinds: ");
    }

    @Test
    void anUnknownOptionIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> DeviceProviders.open("loopback", "lo0", Map.of("mut", "1500")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loopback lo0: unknown option mut (known: mtu, queue, checksums)");
        assertThatThrownBy(() -> DeviceProviders.open("cable", "lab", Map.of("end", "a", "side", "b")))
                .hasMessage("cable lab: unknown option side (known: end, mtu, queue, checksums)");
    }

    @Test
    void aBadValueIsRefusedNamingTheOptionAndWhatItAccepts() {
        assertThatThrownBy(() -> DeviceProviders.open("loopback", "lo0", Map.of("mtu", "big")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loopback lo0: option mtu must be a whole number within 68..65535, not 'big'");
        assertThatThrownBy(() -> DeviceProviders.open("loopback", "lo0", Map.of("mtu", "67")))
                .hasMessage("loopback lo0: option mtu must be a whole number within 68..65535, not '67'");
        assertThatThrownBy(() -> DeviceProviders.open("loopback", "lo0", Map.of("queue", "0")))
                .hasMessage("loopback lo0: option queue must be a whole number within 1..4096, not '0'");
        assertThatThrownBy(() -> DeviceProviders.open("loopback", "lo0", Map.of("checksums", "some")))
                .hasMessage("loopback lo0: option checksums must be one of none, all, not 'some'");
        assertThatThrownBy(() -> DeviceProviders.open("cable", "lab", Map.of("end", "c")))
                .hasMessage("cable lab: option end must be one of a, b, not 'c'");
    }

    @Test
    void aCableEndMustBeChosen() {
        assertThatThrownBy(() -> DeviceProviders.open("cable", "lab", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cable lab: option end must be given, one of a, b");
    }

    @Test
    void aDeviceNeedsAName() {
        assertThatThrownBy(() -> DeviceProviders.open("loopback", " ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loopback: a device name must be given");
        assertThatThrownBy(() -> DeviceProviders.open("cable", null, Map.of("end", "a")))
                .hasMessage("cable: a device name must be given");
    }
}
