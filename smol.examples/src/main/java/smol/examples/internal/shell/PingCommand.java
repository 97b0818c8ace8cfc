package smol.examples.internal.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import smol.iface.IcmpEndpoint;
import smol.iface.InterfaceService;
import smol.iface.RuntimeSnapshot;
import smol.iface.SocketSetService;
import smol.socket.IcmpSocket;
import smol.wire.Ipv4Cidr;

/**
 * The Gogo command {@code smol:ping}: echo requests sent by the stack itself, from the socket-set service
 * of an interface, with iputils' output. A plain service with the {@code osgi.command.*} properties; the
 * Gogo annotations on its method are only help texts and option names, which the JVM ignores where Gogo is
 * absent, so the bundle resolves and this class loads without it.
 *
 * <p>The command takes the socket-set service only for its run, as this bundle's (the service is
 * bundle-scoped), and closes its own echo socket at the end; the bundle's other sockets are untouched.
 */
@Component(service = PingCommand.class, property = {"osgi.command.scope=smol", "osgi.command.function=ping"})
public final class PingCommand {
    /** Replies and errors the echo socket keeps before the command reads them. */
    private static final int RECEIVE_SLOTS = 64;
    /** Requests queued at most; more only while a next hop is unresolved, which a ping reports. */
    private static final int TRANSMIT_SLOTS = 8;

    @Reference(service = InterfaceService.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            collectionType = CollectionType.TUPLE)
    private volatile List<Map.Entry<Map<String, ?>, InterfaceService>> interfaces;

    private BundleContext context;

    /** Creates the command; SCR calls this, then {@link #activate}. */
    public PingCommand() {}

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    /**
     * Pings {@code address}: prints a line per reply and the summary; see the annotations for the options.
     *
     * @throws IllegalArgumentException for a bad option, an unknown interface, or no route to the address
     * @throws IOException when the interface's runtime stops during the run
     */
    @Descriptor("send ICMP echo requests from the smol stack and print the replies, as iputils' ping")
    public void ping(
            @Descriptor("how many requests to send (default " + PingOptions.COUNT + ")")
            @Parameter(names = {"-c", "--count"}, absentValue = PingOptions.COUNT) String count,
            @Descriptor("data bytes per request (default " + PingOptions.SIZE + ")")
            @Parameter(names = {"-s", "--size"}, absentValue = PingOptions.SIZE) String size,
            @Descriptor("seconds between requests (default " + PingOptions.INTERVAL + ")")
            @Parameter(names = {"-i", "--interval"}, absentValue = PingOptions.INTERVAL) String interval,
            @Descriptor("seconds to wait after the last request for the missing replies (default "
                    + PingOptions.TIMEOUT + ")")
            @Parameter(names = {"-W", "--timeout"}, absentValue = PingOptions.TIMEOUT) String timeout,
            @Descriptor("TTL of the requests (default " + PingOptions.TTL + ")")
            @Parameter(names = {"-t", "--ttl"}, absentValue = PingOptions.TTL) String ttl,
            @Descriptor("the interface to send from (default: one whose subnet, routes or gateway reach ADDRESS)")
            @Parameter(names = {"-I", "--interface"}, absentValue = "") String interfaceName,
            @Descriptor("the IPv4 address to ping") String... address) throws IOException {
        PingOptions options = PingOptions.parse(count, size, interval, timeout, ttl, interfaceName, address);
        Interfaces known = Interfaces.of(interfaces);
        Interfaces.Route route = options.interfaceName() != null
                ? known.via("ping", options.interfaceName()) : known.to("ping", options.target());
        RuntimeSnapshot snapshot = route.snapshot();
        int mtu = snapshot.iface().mtu();
        if (options.size() + 28 > mtu) {
            throw new IllegalArgumentException("ping: -s size " + options.size() + " does not fit the MTU " + mtu
                    + " of " + route.known().name() + " (at most " + (mtu - 28) + " data bytes): smol does not fragment");
        }
        PrintStream out = System.out; // Gogo gives each session's command thread its own System.out
        out.println("PING " + options.target() + " (" + options.target() + ") from " + source(snapshot, options)
                + " " + route.known().name() + ": " + options.size() + "(" + (options.size() + 28) + ") bytes of data.");
        ServiceReference<SocketSetService> reference = socketSetOf(route.known().name());
        SocketSetService sockets = context.getService(reference);
        if (sockets == null) {
            throw new IllegalArgumentException("ping: interface " + route.known().name() + " went away");
        }
        try (IcmpEndpoint endpoint = sockets.icmp(new IcmpSocket(RECEIVE_SLOTS, TRANSMIT_SLOTS,
                TRANSMIT_SLOTS * Math.max(1, options.size())))) {
            endpoint.bind(ThreadLocalRandom.current().nextInt(1, 0x10000));
            endpoint.ttl(options.ttl());
            new Ping(endpoint, options, out).run();
        } finally {
            context.ungetService(reference);
        }
    }

    /** The address of the interface on the target's subnet, else its first: what the stack sends from. */
    private static String source(RuntimeSnapshot snapshot, PingOptions options) {
        List<Ipv4Cidr> addresses = snapshot.iface().addresses();
        for (Ipv4Cidr cidr : addresses) {
            if (cidr.contains(options.target())) {
                return cidr.address().toString();
            }
        }
        return addresses.isEmpty() ? "?" : addresses.get(0).address().toString();
    }

    private ServiceReference<SocketSetService> socketSetOf(String name) {
        Collection<ServiceReference<SocketSetService>> found;
        try {
            found = context.getServiceReferences(SocketSetService.class,
                    "(" + SocketSetService.INTERFACE_NAME + "=" + escape(name) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("filter for interface " + name, e); // escape() makes every name valid
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("ping: interface " + name + " offers no sockets now");
        }
        return found.iterator().next();
    }

    /** Escapes the characters a filter value must not hold bare (RFC 1960). */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
