package smol.phy.raw.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
import smol.phy.Device;
import smol.phy.linux.DeviceService;
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

    private DeviceService service;

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
        DeviceService.Configuration c = DeviceService.Configuration.of("raw device", config.interface$(),
                config.netns(), config.name());
        if (c.interfaceName().isEmpty()) {
            throw c.withoutInterface("configure the interface to open (property interface, e.g. eth0)");
        }
        String outgoing = String.valueOf(config.outgoing());
        if (!outgoing.equals("ignore") && !outgoing.equals("keep")) {
            throw c.refused("outgoing must be ignore or keep, not '" + outgoing + "'");
        }
        service = DeviceService.open(context, c, RawProvider.KIND,
                (name, netns) -> RawDevice.open(name, outgoing.equals("keep"), netns));
    }

    /** Unregisters the device, then closes it (see {@link DeviceService#close()}). */
    @Deactivate
    void deactivate() {
        service.close();
    }
}
