package smol.phy.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import smol.phy.Device;
import smol.phy.DeviceProperties;

/**
 * What the TAP and raw device components share: one configuration's names read as an operator writes them,
 * the device opened with every refusal naming the configuration, registered as a {@link Device} service
 * with the {@link DeviceProperties}, and taken down service first, device second, so that its users have
 * let go of the device before its descriptor closes. Used only inside OSGi, by the components.
 */
public final class DeviceService implements AutoCloseable {
    private final DescriptorDevice device;
    private final ServiceRegistration<Device> registration;

    private DeviceService(DescriptorDevice device, ServiceRegistration<Device> registration) {
        this.device = device;
        this.registration = registration;
    }

    /** Opens one device; the names are those of the {@link Configuration}. */
    @FunctionalInterface
    public interface Opener {
        /** Opens the device on {@code interfaceName} inside {@code netns} (null: the opener's own). */
        DescriptorDevice open(String interfaceName, String netns) throws IOException;
    }

    /**
     * One configuration's names: the OS interface (trimmed, possibly empty), the namespace (null for the
     * framework's own) and the logical name (the interface's when blank).
     *
     * @param kind what is configured, for messages, e.g. {@code TAP}
     * @param interfaceName the OS interface's name
     * @param netns the network namespace, or null
     * @param name the logical name, the {@value DeviceProperties#NAME} property
     */
    public record Configuration(String kind, String interfaceName, String netns, String name) {
        /** Reads the raw values as configured: nulls and blanks are absent, everything is trimmed. */
        public static Configuration of(String kind, String interfaceName, String netns, String name) {
            String iface = interfaceName == null ? "" : interfaceName.trim();
            return new Configuration(kind, iface, netns == null || netns.isBlank() ? null : netns.trim(),
                    name == null || name.isBlank() ? iface : name.trim());
        }

        /** Returns e.g. {@code TAP configuration 'uplink' (interface tap0, network namespace lab)}. */
        public String describe() {
            return kind + " configuration '" + name + "' (interface " + interfaceName
                    + (netns == null ? "" : ", network namespace " + netns) + ")";
        }

        /**
         * Returns the refusal of a configuration without an interface, {@code hint} saying what to configure.
         * An empty name is never passed on: the kernel would choose one, a device nobody configured.
         */
        public IllegalArgumentException withoutInterface(String hint) {
            return new IllegalArgumentException(kind + " configuration '" + name + "' refused: no interface; " + hint);
        }

        /** Returns the refusal of this configuration for {@code reason}. */
        public IllegalArgumentException refused(String reason) {
            return new IllegalArgumentException(describe() + " refused: " + reason);
        }
    }

    /**
     * Opens the device of {@code config} with {@code opener} and registers it under {@code kind}; a refusal
     * names the configuration and keeps the system's reason.
     *
     * @throws IllegalArgumentException when the interface is empty, or the name or namespace is refused
     * @throws UncheckedIOException when the system refuses the device
     */
    public static DeviceService open(BundleContext context, Configuration config, String kind, Opener opener) {
        DescriptorDevice device;
        try {
            device = opener.open(config.interfaceName(), config.netns());
        } catch (IOException e) {
            throw new UncheckedIOException(config.describe() + " refused: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(config.describe() + " refused: " + e.getMessage(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.describe() + " refused: " + e.getMessage(), e);
        }
        try {
            return new DeviceService(device, context.registerService(Device.class, device,
                    FrameworkUtil.asDictionary(DeviceProperties.of(config.name(), kind, device))));
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** Unregisters the service, then closes the device. */
    @Override
    public void close() {
        try {
            registration.unregister();
        } finally {
            device.close();
        }
    }
}
