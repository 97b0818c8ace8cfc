package smol.phy.raw.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import smol.phy.Device;
import smol.phy.DeviceProperties;
import smol.phy.raw.RawDevice;
import smol.phy.raw.RawProvider;

/**
 * One {@link RawDevice} per factory configuration of PID {@value #PID}, registered as a {@link Device} service
 * with the {@link DeviceProperties} (kind {@code raw}).
 *
 * <p>The interface has no default: a raw socket takes over traffic of an interface that exists already, and
 * no name is a safe guess. As the TAP component, this one opens the device and then registers the service
 * itself, so that a configuration refused (no interface configured, no such interface, a namespace that does
 * not exist, no permission) fails activation with a message naming the configuration and saying what was
 * wrong, which SCR logs, and no service appears. An update deactivates and activates again.
 */
@Component(configurationPid = RawComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = RawComponent.Config.class, factory = true)
public final class RawComponent {
    /** The factory PID of raw device configurations. */
    public static final String PID = "smol.phy.raw";

    @ObjectClassDefinition(name = "smol raw device",
            description = "A raw packet socket on an existing Linux interface: every frame it carries")
    @interface Config {
        // interface is a Java keyword: DS drops a single dollar sign from the property name
        @AttributeDefinition(name = "Interface",
                description = "The existing interface to open, at most 15 bytes, e.g. veth0; required")
        String interface$() default "";

        @AttributeDefinition(description = "Network namespace the interface is in: a name under /var/run/netns"
                + " or a path such as /proc/PID/ns/net; empty for the framework's own", required = false)
        String netns() default "";

        @AttributeDefinition(description = "Logical name, the smol.device.name service property; empty for"
                + " the interface's name", required = false)
        String name() default "";

        @AttributeDefinition(description = "The frames sent out on the interface: ignore them (for a stack)"
                + " or keep them (for a capture)", options = {@Option(label = "ignore", value = "ignore"),
                        @Option(label = "keep", value = "keep")})
        String outgoing() default "ignore";
    }

    private RawDevice device;
    private ServiceRegistration<Device> registration;

    /** Creates the component; SCR calls this, then {@link #activate}. */
    public RawComponent() {}

    /**
     * Opens the raw socket on the interface and registers it.
     *
     * @throws IllegalArgumentException when no interface is configured, or the name, the namespace or
     *     {@code outgoing} is refused; SCR logs it
     * @throws UncheckedIOException when the system refuses the socket; SCR logs it
     */
    @Activate
    void activate(BundleContext context, Config config) {
        String interfaceName = config.interface$() == null ? "" : config.interface$().trim();
        String netns = config.netns() == null || config.netns().isBlank() ? null : config.netns().trim();
        String name = config.name() == null || config.name().isBlank() ? interfaceName : config.name().trim();
        String which = "raw device configuration '" + name + "' (interface " + interfaceName
                + (netns == null ? "" : ", network namespace " + netns) + ")";
        if (interfaceName.isEmpty()) {
            throw new IllegalArgumentException("raw device configuration '" + name
                    + "' refused: no interface; configure the interface to open (property interface, e.g. eth0)");
        }
        String outgoing = String.valueOf(config.outgoing());
        if (!outgoing.equals("ignore") && !outgoing.equals("keep")) {
            throw new IllegalArgumentException(which + " refused: outgoing must be ignore or keep, not '"
                    + outgoing + "'");
        }
        try {
            device = RawDevice.open(interfaceName, outgoing.equals("keep"), netns);
        } catch (IOException e) {
            throw new UncheckedIOException(which + " refused: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(which + " refused: " + e.getMessage(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(which + " refused: " + e.getMessage(), e);
        }
        try {
            registration = context.registerService(Device.class, device,
                    FrameworkUtil.asDictionary(DeviceProperties.of(name, RawProvider.KIND, device)));
        } catch (RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /**
     * Unregisters the device, then closes it: the service goes first so that its users have let go of the
     * device before its socket closes.
     */
    @Deactivate
    void deactivate() {
        try {
            registration.unregister();
        } finally {
            device.close();
        }
    }
}
