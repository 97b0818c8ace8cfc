package smol.phy.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import smol.phy.DeviceProviders;

/** What the provider refuses before touching the kernel: needs no privilege. */
class TapProviderTest {

    @Test
    void theTapKindIsFoundThroughServiceLoader() {
        assertThat(DeviceProviders.kinds()).contains("tap");
        assertThat(DeviceProviders.find("tap")).isInstanceOf(TapProvider.class);
    }

    @Test
    void aNameLongerThanIfnamsizIsRefusedSayingTheLimit() {
        assertThatThrownBy(() -> DeviceProviders.open("tap", "smoltap-far-too-long", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tap smoltap-far-too-long: interface name 'smoltap-far-too-long' is too long: 20 bytes,"
                        + " at most 15 (IFNAMSIZ is 16 with the terminating NUL)");
    }

    @Test
    void aNameWithASlashOrATemplateIsRefused() {
        assertThatThrownBy(() -> DeviceProviders.open("tap", "tap/0", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain '/'");
        assertThatThrownBy(() -> DeviceProviders.open("tap", "tap%d", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'%'");
    }

    @Test
    void unknownOptionsAndBadPersistentValuesAreRefusedNamingWhatIsAccepted() {
        assertThatThrownBy(() -> DeviceProviders.open("tap", "tap0", Map.of("mtu", "1500")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tap tap0: unknown option mtu (known: persistent, netns)");
        assertThatThrownBy(() -> DeviceProviders.open("tap", "tap0", Map.of("persistent", "yes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tap tap0: option persistent must be one of true, false, not 'yes'");
    }

    @Test
    void aNamespaceThatDoesNotExistIsRefusedSayingHowToMakeIt() {
        assertThatThrownBy(() -> DeviceProviders.open("tap", "tap0", Map.of("netns", "smol-absent-0000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tap tap0: no network namespace 'smol-absent-0000': /var/run/netns/smol-absent-0000"
                        + " does not exist (ip netns list shows the named ones; make it with:"
                        + " sudo ip netns add smol-absent-0000)");
        assertThatThrownBy(() -> DeviceProviders.open("tap", "tap0", Map.of("netns", "not a name")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tap tap0: 'not a name' is not a network namespace name");
        assertThatThrownBy(() -> DeviceProviders.open("tap", "tap0", Map.of("netns", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tap tap0: option netns must not be blank");
    }
}
