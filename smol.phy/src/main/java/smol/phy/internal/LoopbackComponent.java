package smol.phy.internal;

import java.util.Map;
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
import smol.phy.Device;
import smol.phy.DeviceProperties;

/**
 * One {@link smol.phy.LoopbackDevice} per factory configuration of PID {@value #PID}, registered as a
 * {@link Device} service with the {@link DeviceProperties}.
 *
 * <p>The component registers the service itself, after the device opened, rather than letting SCR
 * register it: a configuration the device refuses (an MTU out of 68..65535, a blank name) then fails
 * activation, which SCR logs, and no service appears. An updated configuration deactivates and
 * activates the component again (there is no modified method, since a device's MTU is fixed when it
 * opens): the old service goes away and a new one, with a new {@code service.id}, takes its place.
 */
@Component(configurationPid = LoopbackComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = LoopbackComponent.Config.class, factory = true)
public final class LoopbackComponent {
    /** The factory PID of loopback configurations. */
    public static final String PID = "smol.phy.loopback";

    @ObjectClassDefinition(name = "smol loopback device",
            description = "An in-memory device that receives what it transmits")
    @interface Config {
        @AttributeDefinition(description = "Logical name, the smol.device.name service property")
        String name() default "loopback";

        @AttributeDefinition(description = "IP MTU in bytes, 68..65535", min = "68", max = "65535")
        int mtu() default 1500;
    }

    private ServiceRegistration<Device> registration;

    /** Creates the component; SCR calls this, then {@link #activate}. */
    public LoopbackComponent() {}

    /**
     * Opens the loopback and registers it. An activate method rather than a constructor, so that SCR logs
     * the refusal itself (from a constructor it logs only the reflective wrapper).
     *
     * @throws IllegalArgumentException when the device refuses the configuration; SCR logs it
     */
    @Activate
    void activate(BundleContext context, Config config) {
        Device device = new LoopbackProvider().open(config.name(), Map.of("mtu", Integer.toString(config.mtu())));
        registration = context.registerService(Device.class, device,
                FrameworkUtil.asDictionary(DeviceProperties.of(config.name(), LoopbackProvider.KIND, device)));
    }

    /** Unregisters the device; a loopback holds nothing else to release (its queue goes with it). */
    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
