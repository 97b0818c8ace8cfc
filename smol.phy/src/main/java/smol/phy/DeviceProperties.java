package smol.phy;

import java.util.Locale;
import java.util.Map;

/**
 * The service properties every {@link Device} service carries inside an OSGi framework, whichever
 * bundle registers it: interface components filter by them, for example
 * {@code (&(objectClass=smol.phy.Device)(smol.device.name=eth0))}.
 *
 * <p>Outside OSGi these names mean nothing; a device found through {@link DeviceProviders} has no
 * properties.
 */
public final class DeviceProperties {
    /** The device's logical name, as configured ({@code String}); unique among the running devices by convention. */
    public static final String NAME = "smol.device.name";

    /** The kind of device ({@code String}): the {@link DeviceProvider#kind()} that opens it, e.g. {@code loopback}. */
    public static final String KIND = "smol.device.kind";

    /** The device's medium in lower case ({@code String}): {@code ethernet}, from {@link Medium}. */
    public static final String MEDIUM = "smol.device.medium";

    /** The IP MTU in bytes ({@code Integer}), as {@link DeviceCapabilities#mtu()} reports it. */
    public static final String MTU = "smol.device.mtu";

    private DeviceProperties() {}

    /**
     * Returns the properties of a {@link Device} service for {@code device}: {@link #NAME} {@code name},
     * {@link #KIND} {@code kind}, and the {@link #MEDIUM} and {@link #MTU} of its capabilities, read once now
     * (a device's capabilities are fixed while it is open). The map is unmodifiable.
     *
     * @throws IllegalArgumentException when {@code name} or {@code kind} is blank or {@code device} is null
     */
    public static Map<String, Object> of(String name, String kind, Device device) {
        if (name == null || name.isBlank() || kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("a device service needs a name and a kind: name '" + name
                    + "', kind '" + kind + "'");
        }
        if (device == null) {
            throw new IllegalArgumentException("no device to describe for '" + name + "'");
        }
        DeviceCapabilities capabilities = device.capabilities();
        return Map.of(NAME, name, KIND, kind,
                MEDIUM, capabilities.medium().name().toLowerCase(Locale.ROOT),
                MTU, capabilities.mtu());
    }
}
