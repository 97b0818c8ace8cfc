package smol.iface.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import javax.management.JMException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import smol.iface.Interface;
import smol.iface.InterfaceRuntime;
import smol.iface.InterfaceService;
import smol.iface.SocketSetService;
import smol.phy.Device;
import smol.phy.DeviceProperties;
import smol.phy.FaultConfig;
import smol.socket.SocketSet;

/**
 * One interface per factory configuration of PID {@value #PID}: an {@link InterfaceRuntime} with its own
 * thread, the device it binds by logical name, and two services for the rest of the framework — the
 * bundle-scoped {@link SocketSetService} (each bundle its own scope, closed with the bundle) and the
 * {@link InterfaceService} — both carrying {@value SocketSetService#INTERFACE_NAME}; and its JMX beans
 * ({@link InterfaceBeans}: {@code smol:type=Interface,name=<name>} and {@code smol:type=SocketSet,name=<name>}).
 *
 * <p><b>The device</b> is bound dynamically and greedily: of the {@link Device} services whose
 * {@value DeviceProperties#NAME} is the configured {@code device}, the highest ranked wins, then the
 * longest registered ({@link ServiceReference#compareTo}). When it goes, the link is down and the sockets
 * and connections stay; when one comes back (the same bundle restarted, a new version, another kind with
 * another MTU) it is attached at once. A device configured but absent is not an error: the log says what
 * the interface waits for.
 *
 * <p><b>Changes</b> apply in place ({@link #modified}): addresses, gateway, routes, MAC, device, faults and
 * capture change without losing a socket. A new name or capacity needs a new runtime: the interface stops
 * (its sockets closed) and starts again, and the log says so. A configuration that does not parse is
 * refused with a message naming the property: at activation the component fails (SCR logs it and registers
 * nothing); later, the running interface keeps its settings.
 */
@Component(configurationPid = InterfaceComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {}, immediate = true)
@Designate(ocd = InterfaceComponent.Config.class, factory = true)
public final class InterfaceComponent {
    /** The factory PID of interface configurations. */
    public static final String PID = "smol.iface";
    /** The service property naming the device the interface wants ({@code String}), bound or not. */
    public static final String WANTED_DEVICE = "smol.interface.device";

    @ObjectClassDefinition(name = "smol interface", description = "An Ethernet interface of the smol stack, with its "
            + "own thread, bound to a device by logical name")
    @interface Config {
        @AttributeDefinition(description = "The interface's name (smol.interface.name of its services); changing it "
                + "restarts the interface")
        String name() default "smol0";

        @AttributeDefinition(description = "MAC address, e.g. 02-00-00-00-00-01")
        String mac() default "02-00-00-00-00-01";

        @AttributeDefinition(description = "IPv4 addresses with their prefix, e.g. 192.168.69.1/24")
        String[] addresses() default {"192.168.69.1/24"};

        @AttributeDefinition(description = "Default gateway, an address on one of the subnets; empty for none",
                required = false)
        String gateway() default "";

        @AttributeDefinition(description = "Static routes, e.g. 10.1.0.0/16 via 192.168.69.254", required = false)
        String[] routes() default {};

        @AttributeDefinition(description = "The logical name (smol.device.name) of the device to use")
        String device() default "tap0";

        @AttributeDefinition(description = "Sockets the interface holds at most; changing it restarts the interface",
                min = "1", max = "65536")
        int capacity() default 64;

        @AttributeDefinition(name = "faults.drop", description = "Percentage of frames dropped, each way (testing)",
                min = "0", max = "100")
        double faults_drop() default 0;

        @AttributeDefinition(name = "faults.corrupt", description = "Percentage of frames corrupted (testing)",
                min = "0", max = "100")
        double faults_corrupt() default 0;

        @AttributeDefinition(name = "faults.delay", description = "Delay of every frame in milliseconds (testing)",
                min = "0", max = "60000")
        long faults_delay() default 0;

        @AttributeDefinition(name = "faults.jitter", description = "Jitter up to the delay, in milliseconds (testing)",
                min = "0", max = "60000")
        long faults_jitter() default 0;

        @AttributeDefinition(description = "A pcap file to capture every frame into; empty for none", required = false)
        String capture() default "";
    }

    @Reference(service = LoggerFactory.class)
    private Logger logger;

    // Guarded by this: SCR calls bind, unbind, activate and modified on threads of its choosing.
    private final Map<ServiceReference<Device>, Device> devices = new HashMap<>();
    private BundleContext context;
    private volatile InterfaceSettings settings; // volatile: the JMX beans read the wanted device
    private InterfaceRuntime runtime;
    private PacketTrace trace;
    private ServiceReference<Device> attached;
    private ServiceRegistration<?> socketService;
    private ServiceRegistration<InterfaceService> interfaceService;
    private InterfaceBeans beans;

    /** Creates the component; SCR calls this, then {@link #activate}. */
    public InterfaceComponent() {}

    /**
     * Parses the configuration, starts the interface's runtime, binds the best device present and registers
     * the services.
     *
     * @throws IllegalArgumentException when the configuration does not parse; SCR logs it, nothing starts
     */
    @Activate
    synchronized void activate(BundleContext context, Config config) {
        this.context = context;
        start(parse(config));
    }

    /** Applies a changed configuration in place, or restarts the interface for a new name or capacity. */
    @Modified
    synchronized void modified(Config config) {
        InterfaceSettings next;
        try {
            next = parse(config);
        } catch (IllegalArgumentException e) {
            logger.error("configuration refused, interface {} keeps its settings: {}", settings.name(), e.getMessage());
            return;
        }
        if (settings.needsRestartFor(next)) {
            logger.warn("interface {} restarts as {} with {} sockets (was {}): its sockets are closed", settings.name(),
                    next.name(), next.capacity(), settings.capacity());
            stop();
            start(next);
            return;
        }
        InterfaceSettings previous = settings;
        settings = next;
        runtime.withInterface(i -> {
            i.reconfigure(next.config());
            return null;
        });
        if (!next.faults().equals(previous.faults())) {
            runtime.faults(next.faults());
        }
        if (next.capture() == null ? previous.capture() != null : !next.capture().equals(previous.capture())) {
            runtime.stopCapture();
            startCapture();
        }
        if (!next.device().equals(previous.device())) {
            logger.info("interface {} now uses device {} (was {})", next.name(), next.device(), previous.device());
            socketService.setProperties(serviceProperties());
            interfaceService.setProperties(serviceProperties());
        }
        chooseDevice();
        logger.info("interface {} reconfigured in place: {}", next.name(), describe(next));
    }

    /** Unregisters the services (closing every bundle's sockets) and stops the runtime. */
    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    /** A {@link Device} service appeared: bound when it is the best of the configured name. */
    @Reference(name = "device", service = Device.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindDevice",
            updated = "updatedDevice")
    synchronized void bindDevice(ServiceReference<Device> reference, Device device) {
        devices.put(reference, device);
        chooseDevice();
    }

    /** A Device service's properties changed (its name, its ranking): the choice is made again. */
    synchronized void updatedDevice(ServiceReference<Device> reference, Device device) {
        devices.put(reference, device);
        chooseDevice();
    }

    /**
     * A Device service is going away: detached first when it is ours, so that its owner may close it once
     * this returns (the framework calls this before the unregistration completes).
     */
    synchronized void unbindDevice(ServiceReference<Device> reference, Device device) {
        devices.remove(reference);
        chooseDevice();
    }

    // ------------------------------------------------------------ inside, lock held

    private InterfaceSettings parse(Config c) {
        return InterfaceSettings.parse(c.name(), c.mac(), c.addresses(), c.gateway(), c.routes(), c.device(),
                c.capacity(), c.faults_drop(), c.faults_corrupt(), c.faults_delay(), c.faults_jitter(), c.capture());
    }

    private void start(InterfaceSettings s) {
        settings = s;
        Interface iface = new Interface(s.config(), new SocketSet(s.capacity()));
        runtime = InterfaceRuntime.builder(iface).name(s.name()).closeDeviceOnStop(false)
                .listener(new LoggingListener(logger, s.name())).build();
        if (!s.faults().equals(FaultConfig.NONE)) {
            runtime.faults(s.faults());
        }
        startCapture();
        trace = new PacketTrace(logger);
        runtime.addObserver(trace);
        runtime.start();
        attached = null;
        chooseDevice();
        if (attached == null) {
            logger.warn("interface {}: link down, waiting for a Device service with {}={}", s.name(),
                    DeviceProperties.NAME, s.device());
        }
        Hashtable<String, Object> properties = serviceProperties();
        socketService = context.registerService(SocketSetService.class.getName(), new SocketSetServiceFactory(runtime),
                properties);
        interfaceService = context.registerService(InterfaceService.class, runtime, properties);
        try {
            beans = new InterfaceBeans(runtime, () -> settings.device());
        } catch (JMException e) {
            logger.warn("interface {} has no JMX beans: {}", s.name(), e.toString());
        }
        logger.info("interface {} started: {}", s.name(), describe(s));
    }

    private void stop() {
        if (runtime == null) {
            return;
        }
        if (beans != null) {
            beans.close();
            beans = null;
        }
        unregister(socketService);
        unregister(interfaceService);
        socketService = null;
        interfaceService = null;
        runtime.stop();
        runtime = null;
        attached = null;
        logger.info("interface {} stopped", settings.name());
    }

    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it as our bundle stopped
            }
        }
    }

    private void startCapture() {
        if (settings.capture() == null) {
            return;
        }
        try {
            runtime.capture(settings.capture());
            logger.info("interface {} captures into {}", settings.name(), settings.capture());
        } catch (IOException | RuntimeException e) {
            logger.error("interface {} cannot capture into {}: {}; traffic goes on uncaptured", settings.name(),
                    settings.capture(), e.getMessage());
        }
    }

    /**
     * Attaches the best device of the configured name when it is not attached already; detaches when there is
     * none (link down, sockets kept).
     */
    private void chooseDevice() {
        if (runtime == null) {
            return; // bound before activation: the choice is made when it starts
        }
        ServiceReference<Device> best = null;
        for (ServiceReference<Device> candidate : devices.keySet()) {
            if (settings.device().equals(candidate.getProperty(DeviceProperties.NAME))
                    && (best == null || candidate.compareTo(best) > 0)) {
                best = candidate;
            }
        }
        if (best == null ? attached == null : best.equals(attached)) {
            return;
        }
        if (best == null) {
            runtime.detach();
            logger.warn("interface {}: link down, device {} is gone; waiting for a Device service with {}={}",
                    settings.name(), settings.device(), DeviceProperties.NAME, settings.device());
        } else {
            runtime.attach(devices.get(best));
            logger.info("interface {}: link up on device {} ({}, MTU {}, service.id {})", settings.name(),
                    settings.device(), best.getProperty(DeviceProperties.KIND), best.getProperty(DeviceProperties.MTU),
                    best.getProperty("service.id"));
        }
        attached = best;
    }

    private Hashtable<String, Object> serviceProperties() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(SocketSetService.INTERFACE_NAME, settings.name());
        properties.put(WANTED_DEVICE, settings.device());
        return properties;
    }

    private static String describe(InterfaceSettings s) {
        return "MAC " + s.config().mac() + ", addresses " + s.config().addresses()
                + (s.config().gateway() != null ? ", gateway " + s.config().gateway() : "")
                + (s.config().routes().isEmpty() ? "" : ", routes " + s.config().routes())
                + ", device " + s.device() + ", " + s.capacity() + " sockets"
                + (s.faults().equals(FaultConfig.NONE) ? "" : ", faults " + s.faults())
                + (s.capture() != null ? ", capture " + s.capture() : "");
    }
}
