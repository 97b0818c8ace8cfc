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
import org.osgi.service.metatype.annotations.Option;
import smol.phy.Cable;
import smol.phy.Device;
import smol.phy.DeviceOptions;
import smol.phy.DeviceProperties;

/**
 * One in-memory {@link Cable} per factory configuration of PID {@value #PID}, its two ends registered as two
 * {@link Device} services with the {@link DeviceProperties} (kind {@code cable}): what the end named
 * {@code a} transmits, the end named {@code b} receives, and the other way round.
 *
 * <p>Each configuration makes a cable of its own, unlike {@link CableProvider}, which joins the opens of one
 * name: here the configuration is what pairs the ends. As {@link LoopbackComponent}, the component registers
 * the services itself once the cable is made, so that a configuration refused (both ends with one name, an
 * option out of range) fails activation, which SCR logs, and registers nothing. An update deactivates and
 * activates again: a new cable, new services.
 */
@Component(configurationPid = CableComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = CableComponent.Config.class, factory = true)
public final class CableComponent {
    /** The factory PID of cable configurations. */
    public static final String PID = "smol.phy.cable";

    @ObjectClassDefinition(name = "smol cable",
            description = "Two in-memory devices joined: what one end transmits, the other receives")
    @interface Config {
        @AttributeDefinition(description = "Logical name of end a, its smol.device.name service property")
        String a() default "cable-a";

        @AttributeDefinition(description = "Logical name of end b, its smol.device.name service property")
        String b() default "cable-b";

        @AttributeDefinition(description = "IP MTU in bytes of both ends, 68..65535", min = "68", max = "65535")
        int mtu() default InMemoryLinkOptions.DEFAULT_MTU;

        @AttributeDefinition(description = "Frames queued each way, 1..4096", min = "1", max = "4096")
        int queue() default InMemoryLinkOptions.DEFAULT_QUEUE;

        @AttributeDefinition(description = "Checksums the stack computes and verifies: none (a queue corrupts"
                + " nothing) or all", options = {@Option(label = "none", value = "none"),
                        @Option(label = "all", value = "all")})
        String checksums() default "none";
    }

    private ServiceRegistration<Device> registrationA;
    private ServiceRegistration<Device> registrationB;

    /** Creates the component; SCR calls this, then {@link #activate}. */
    public CableComponent() {}

    /**
     * Makes the cable and registers its ends, a first.
     *
     * @throws IllegalArgumentException when the configuration is refused (a blank name, both ends with one
     *     name, an option out of range); the message names the cable's ends; SCR logs it
     */
    @Activate
    void activate(BundleContext context, Config config) {
        String a = config.a();
        String b = config.b();
        String cable = a + "/" + b;
        if (a != null && a.equals(b)) {
            throw new IllegalArgumentException(CableProvider.KIND + " " + cable
                    + ": the two ends need different names, not both '" + a + "'");
        }
        if (a == null || a.isBlank() || b == null || b.isBlank()) {
            throw new IllegalArgumentException(CableProvider.KIND + " " + cable + ": both ends need a name (a and b)");
        }
        DeviceOptions options = DeviceOptions.check(CableProvider.KIND, cable, Map.of(
                InMemoryLinkOptions.MTU, Integer.toString(config.mtu()),
                InMemoryLinkOptions.QUEUE, Integer.toString(config.queue()),
                InMemoryLinkOptions.CHECKSUMS, String.valueOf(config.checksums())),
                InMemoryLinkOptions.MTU, InMemoryLinkOptions.QUEUE, InMemoryLinkOptions.CHECKSUMS);
        Cable made = Cable.create(InMemoryLinkOptions.capabilities(options), InMemoryLinkOptions.queueFrames(options));
        registrationA = register(context, a, made.a());
        registrationB = register(context, b, made.b());
    }

    /** Unregisters both ends; the cable holds nothing else to release (its queues go with it). */
    @Deactivate
    void deactivate() {
        registrationB.unregister();
        registrationA.unregister();
    }

    private static ServiceRegistration<Device> register(BundleContext context, String name, Device end) {
        return context.registerService(Device.class, end,
                FrameworkUtil.asDictionary(DeviceProperties.of(name, CableProvider.KIND, end)));
    }
}
