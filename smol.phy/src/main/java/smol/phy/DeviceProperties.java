package smol.phy;

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
}
