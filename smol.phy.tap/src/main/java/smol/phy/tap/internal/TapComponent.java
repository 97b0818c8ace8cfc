package smol.phy.tap.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import smol.phy.Device;
import smol.phy.linux.DeviceService;
import smol.phy.tap.TapDevice;
import smol.phy.tap.TapProvider;

/**
 * One {@link TapDevice} per factory configuration of PID {@value #PID}, registered as a {@link Device} service
 * with the {@link DeviceProperties} (kind {@code tap}).
 *
 * <p>The component opens the TAP and then registers the service itself, rather than letting SCR register it:
 * a configuration the system refuses (an invalid name, a namespace that does not exist, a name taken by an
 * interface that is not a TAP, no permission) fails activation with a message naming the configuration and
 * saying what was wrong, which SCR logs, and no service appears. An update deactivates and activates again:
 * the TAP is closed and opened anew, under a new service.
 */
@Component(configurationPid = TapComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = TapComponent.Config.class, factory = true)
public final class TapComponent {
    /** The factory PID of TAP configurations. */
    public static final String PID = "smol.phy.tap";

    @ObjectClassDefinition(name = "smol TAP device",
            description = "A Linux TAP interface: Ethernet frames to and from the kernel")
    @interface Config {
        // interface is a Java keyword: DS drops a single dollar sign from the property name
        @AttributeDefinition(name = "Interface",
                description = "The TAP interface's name in the kernel, at most 15 bytes; created when absent")
        String interface$() default "tap0";

        @AttributeDefinition(description = "Network namespace to open the TAP in: a name under /var/run/netns"
                + " or a path such as /proc/PID/ns/net; empty for the framework's own", required = false)
        String netns() default "";

        @AttributeDefinition(description = "Logical name, the smol.device.name service property; empty for"
                + " the interface's name", required = false)
        String name() default "";

        @AttributeDefinition(description = "Keep the TAP, with its addresses and routes, after the device"
                + " closes; false removes a TAP this device created")
        boolean persistent() default false;
    }

    private DeviceService service;

    /** Creates the component; SCR calls this, then {@link #activate}. */
    public TapComponent() {}

    /**
     * Opens the TAP and registers it.
     *
     * @throws IllegalArgumentException when the interface is empty, or the name or the namespace is refused;
     *     SCR logs it
     * @throws UncheckedIOException when the system refuses the TAP; SCR logs it
     */
    @Activate
    void activate(BundleContext context, Config config) {
        DeviceService.Configuration c = DeviceService.Configuration.of("TAP", config.interface$(), config.netns(),
                config.name());
        if (c.interfaceName().isEmpty()) {
            throw c.withoutInterface("configure the TAP's name (property interface, e.g. tap0)");
        }
        service = DeviceService.open(context, c, TapProvider.KIND,
                (name, netns) -> TapDevice.open(name, config.persistent(), netns));
    }

    /** Unregisters the device, then closes it (see {@link DeviceService#close()}). */
    @Deactivate
    void deactivate() {
        service.close();
    }
}
