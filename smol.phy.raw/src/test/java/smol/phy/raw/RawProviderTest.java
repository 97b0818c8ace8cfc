package smol.phy.raw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import smol.phy.DeviceProviders;

/** What the provider refuses before touching the kernel: needs no privilege. */
class RawProviderTest {

    @Test
    void theRawKindIsFoundThroughServiceLoader() {
        assertThat(DeviceProviders.kinds()).contains("raw");
        assertThat(DeviceProviders.find("raw")).isInstanceOf(RawProvider.class);
    }

    @Test
    void theAnyPseudoDeviceIsRefusedSayingWhy() {
        assertThatThrownBy(() -> DeviceProviders.open("raw", "any", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("raw any: Linux's 'any' pseudo-device is refused")
                .hasMessageContaining("name the one interface to bind to");
    }

    @Test
    void aNameLongerThanIfnamsizIsRefusedSayingTheLimit() {
        assertThatThrownBy(() -> DeviceProviders.open("raw", "smolveth-far-too-long", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("raw smolveth-far-too-long: interface name 'smolveth-far-too-long' is too long: 21 bytes,"
                        + " at most 15 (IFNAMSIZ is 16 with the terminating NUL)");
        assertThatThrownBy(() -> DeviceProviders.open("raw", "eth/0", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not contain '/'");
        assertThatThrownBy(() -> DeviceProviders.open("raw", " ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("raw: a device name must be given");
    }

    @Test
    void unknownOptionsAndBadOutgoingValuesAreRefusedNamingWhatIsAccepted() {
        assertThatThrownBy(() -> DeviceProviders.open("raw", "eth0", Map.of("persistent", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("raw eth0: unknown option persistent (known: outgoing, netns)");
        assertThatThrownBy(() -> DeviceProviders.open("raw", "eth0", Map.of("outgoing", "drop")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("raw eth0: option outgoing must be one of ignore, keep, not 'drop'");
    }

    @Test
    void aNamespaceThatDoesNotExistIsRefusedSayingHowToMakeIt() {
        assertThatThrownBy(() -> DeviceProviders.open("raw", "eth0", Map.of("netns", "smol-absent-0000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("raw eth0: no network namespace 'smol-absent-0000': /var/run/netns/smol-absent-0000"
                        + " does not exist (ip netns list shows the named ones; make it with:"
                        + " sudo ip netns add smol-absent-0000)");
        assertThatThrownBy(() -> DeviceProviders.open("raw", "eth0", Map.of("netns", " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("raw eth0: option netns must not be blank");
    }

    @Test
    void anInterfaceThatDoesNotExistIsRefusedNamingIt() {
        // no privilege needed: the name is looked up before the socket is made
        assertThatThrownBy(() -> DeviceProviders.open("raw", "smolnone9", Map.of()))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessage("raw smolnone9: no interface called smolnone9 (ip link show lists them)");
    }
}
