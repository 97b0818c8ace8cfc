package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceOptionsTest {

    @Test
    void aTextOptionIsReturnedTrimmedOrItsDefaultWhenAbsent() {
        DeviceOptions o = DeviceOptions.check("tap", "tap0", Map.of("netns", " smol-x "), "netns", "other");
        assertThat(o.text("netns", null)).isEqualTo("smol-x");
        assertThat(o.text("other", "fallback")).isEqualTo("fallback");
        assertThat(o.text("other", null)).isNull();
    }

    @Test
    void aBlankTextOptionIsRefusedNamingTheDeviceAndTheOption() {
        DeviceOptions o = DeviceOptions.check("tap", "tap0", Map.of("netns", "  "), "netns");
        assertThatThrownBy(() -> o.text("netns", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tap tap0: option netns must not be blank");
    }
}
