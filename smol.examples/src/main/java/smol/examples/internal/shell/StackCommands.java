package smol.examples.internal.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import smol.iface.InterfaceService;
import smol.phy.Device;
import smol.phy.DeviceProperties;

/**
 * The Gogo commands that show the stack: {@code smol:ifconfig}, {@code smol:arp}, {@code smol:sockets} and
 * {@code smol:devices}. Each reads the interfaces' snapshots ({@link InterfaceService#snapshot()}: consistent,
 * taken in one hold of a runtime's lock) and the services' properties when it runs, and prints text
 * ({@link StackReports}). A plain service with the {@code osgi.command.*} properties; the Gogo annotations
 * are help texts only, ignored by the JVM where Gogo is absent.
 *
 * <p>It holds no device: of the {@link Device} services it keeps only the references, for their properties.
 */
@Component(service = StackCommands.class, property = {"osgi.command.scope=smol",
        "osgi.command.function=ifconfig", "osgi.command.function=arp", "osgi.command.function=sockets",
        "osgi.command.function=devices"})
public final class StackCommands {
    @Reference(service = InterfaceService.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            collectionType = CollectionType.TUPLE)
    private volatile List<Map.Entry<Map<String, ?>, InterfaceService>> interfaces;

    @Reference(service = Device.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            collectionType = CollectionType.REFERENCE)
    private volatile List<ServiceReference<Device>> devices;

    /** Creates the commands; SCR calls this. */
    public StackCommands() {}

    /** Prints every interface: addresses, device, link, MTU, counters and drops by reason. */
    @Descriptor("show every interface: MAC, addresses, device wanted and bound, link, MTU, counters, drops")
    public void ifconfig() {
        Interfaces known = Interfaces.of(interfaces);
        if (known.all().isEmpty()) {
            out().println("no interfaces (configure one with factory PID smol.iface)");
            return;
        }
        for (Interfaces.Known k : known.all()) {
            out().print(StackReports.ifconfig(k.name(), k.wantedDevice(), k.service().snapshot()));
        }
    }

    /**
     * Prints the interface named {@code name}.
     *
     * @throws IllegalArgumentException when there is none of that name
     */
    @Descriptor("show one interface: MAC, addresses, device wanted and bound, link, MTU, counters, drops")
    public void ifconfig(@Descriptor("the interface's name") String name) {
        Interfaces.Known k = Interfaces.of(interfaces).named("ifconfig", name);
        out().print(StackReports.ifconfig(k.name(), k.wantedDevice(), k.service().snapshot()));
    }

    /** Prints the neighbour cache of every interface. */
    @Descriptor("show the neighbour (ARP) cache of every interface")
    public void arp() {
        out().print(StackReports.arp(Interfaces.of(interfaces).all()));
    }

    /**
     * Prints the neighbour cache of the interface named {@code name}.
     *
     * @throws IllegalArgumentException when there is none of that name
     */
    @Descriptor("show the neighbour (ARP) cache of one interface")
    public void arp(@Descriptor("the interface's name") String name) {
        out().print(StackReports.arp(List.of(Interfaces.of(interfaces).named("arp", name))));
    }

    /** Prints every socket of every interface, one line each. */
    @Descriptor("show every socket of every interface: owner, type, state, endpoints, queues, counters")
    public void sockets() {
        out().print(StackReports.sockets(Interfaces.of(interfaces).all()));
    }

    /** Prints every Device service and the interfaces that want it. */
    @Descriptor("show every Device service (name, kind, medium, MTU, service id, ranking) and who uses it")
    public void devices() {
        List<StackReports.DeviceInfo> found = new ArrayList<>();
        List<ServiceReference<Device>> references = devices;
        if (references != null) {
            for (ServiceReference<Device> r : references) {
                String name = String.valueOf(r.getProperty(DeviceProperties.NAME));
                // The interface component binds, of the devices of one name, the one that compares highest
                // (ranking, then age): the others stand by.
                boolean best = true;
                for (ServiceReference<Device> other : references) {
                    if (other != r && name.equals(String.valueOf(other.getProperty(DeviceProperties.NAME)))
                            && other.compareTo(r) > 0) {
                        best = false;
                    }
                }
                Object ranking = r.getProperty(Constants.SERVICE_RANKING);
                found.add(new StackReports.DeviceInfo(name, String.valueOf(r.getProperty(DeviceProperties.KIND)),
                        String.valueOf(r.getProperty(DeviceProperties.MEDIUM)),
                        String.valueOf(r.getProperty(DeviceProperties.MTU)),
                        (Long) r.getProperty(Constants.SERVICE_ID),
                        ranking instanceof Integer i ? i : 0, best));
            }
        }
        out().print(StackReports.devices(found, Interfaces.of(interfaces).all()));
    }

    /** Gogo gives each session's command thread its own {@code System.out}. */
    private static PrintStream out() {
        return System.out;
    }
}
