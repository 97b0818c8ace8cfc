package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** The service properties of a device: its name and kind as given, its medium and MTU from its capabilities. */
class DevicePropertiesTest {

    @Test
    void propertiesCarryTheNameKindLowerCaseMediumAndMtu() {
        Device device = new LoopbackDevice(DeviceCapabilities.ethernet(9000, ChecksumCapabilities.NONE), 4);

        assertThat(DeviceProperties.of("lo1", "loopback", device)).containsOnly(
                entry(DeviceProperties.NAME, "lo1"),
                entry(DeviceProperties.KIND, "loopback"),
                entry(DeviceProperties.MEDIUM, "ethernet"),
                entry(DeviceProperties.MTU, 9000));
    }

    @Test
    void aBlankNameIsRefused() {
        Device device = new LoopbackDevice(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE), 4);

        assertThatThrownBy(() -> DeviceProperties.of(" ", "loopback", device))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    }
}
