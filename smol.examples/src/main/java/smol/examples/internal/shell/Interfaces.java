package smol.examples.internal.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import smol.iface.InterfaceService;
import smol.iface.InterfaceSnapshot;
import smol.iface.Ipv4Route;
import smol.iface.RuntimeSnapshot;
import smol.iface.SocketSetService;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * The interfaces of the framework as a command sees them when it runs: each {@link InterfaceService} with
 * its name and the device it wants (service properties), sorted by name; finding one by name, or the one a
 * packet to an address leaves by. Immutable.
 */
final class Interfaces {
    /** The service property of an interface naming the device it wants, bound or not. */
    static final String WANTED_DEVICE = "smol.interface.device";

    /** One interface: its name, the device it wants (null when unknown), and its service. */
    record Known(String name, String wantedDevice, InterfaceService service) {}

    /** An interface chosen to reach an address, with the snapshot the choice was made on. */
    record Route(Known known, RuntimeSnapshot snapshot) {}

    private final List<Known> all;

    private Interfaces(List<Known> all) {
        this.all = all;
    }

    /** The interfaces of {@code services}, each an entry of its service properties and its service; null for none. */
    static Interfaces of(List<? extends Map.Entry<Map<String, ?>, InterfaceService>> services) {
        List<Known> known = new ArrayList<>();
        if (services != null) {
            for (Map.Entry<Map<String, ?>, InterfaceService> e : services) {
                Object name = e.getKey().get(SocketSetService.INTERFACE_NAME);
                Object wanted = e.getKey().get(WANTED_DEVICE);
                known.add(new Known(name != null ? name.toString() : e.getValue().name(),
                        wanted != null ? wanted.toString() : null, e.getValue()));
            }
        }
        known.sort(Comparator.comparing(Known::name));
        return new Interfaces(List.copyOf(known));
    }

    /** Returns every interface, by name. */
    List<Known> all() {
        return all;
    }

    /**
     * Returns the interface named {@code name}.
     *
     * @throws IllegalArgumentException naming {@code command} and the interfaces there are, when none has it
     */
    Known named(String command, String name) {
        for (Known k : all) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException(command + ": no interface named " + name + "; " + listing());
    }

    /**
     * Returns the interface named {@code name} as the way out, whatever its routes say.
     *
     * @throws IllegalArgumentException naming {@code command} and the interfaces there are, when none has it
     */
    Route via(String command, String name) {
        Known k = named(command, name);
        return new Route(k, k.service().snapshot());
    }

    /**
     * Returns the interface a packet to {@code target} leaves by, among those that do not hold it
     * themselves: one whose subnet holds it, else one with a static route to it (the longest prefix),
     * else one with a default gateway; the first by name among equals.
     *
     * @throws IllegalArgumentException naming {@code command} when none routes to it
     */
    Route to(String command, Ipv4Address target) {
        Route best = null;
        int bestRank = -1;
        for (Known k : all) {
            RuntimeSnapshot snapshot = k.service().snapshot();
            int rank = rank(snapshot.iface(), target);
            if (rank > bestRank) {
                best = new Route(k, snapshot);
                bestRank = rank;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException(command + ": no interface routes to " + target + "; " + listing()
                    + "; choose one with -I");
        }
        return best;
    }

    /**
     * How well {@code iface} reaches {@code target}: -1 not at all (or it holds the address itself), 0 by
     * its gateway, 1..32 by a static route of that prefix, 33 on one of its subnets.
     */
    private static int rank(InterfaceSnapshot iface, Ipv4Address target) {
        int rank = -1;
        for (Ipv4Cidr cidr : iface.addresses()) {
            if (cidr.address().equals(target)) {
                return -1;
            }
            if (cidr.contains(target)) {
                rank = 33;
            }
        }
        for (Ipv4Route route : iface.routes()) {
            if (route.destination().contains(target)) {
                rank = Math.max(rank, route.destination().prefixLength());
            }
        }
        if (iface.gateway() != null) {
            rank = Math.max(rank, 0);
        }
        return rank;
    }

    /** Returns e.g. {@code interfaces: a (10.0.0.1/24), b (10.0.1.1/24)}, or that there are none. */
    String listing() {
        if (all.isEmpty()) {
            return "there are no interfaces (configure one with factory PID smol.iface)";
        }
        return "interfaces: " + all.stream().map(k -> k.name() + " " + k.service().snapshot().iface().addresses())
                .collect(Collectors.joining(", "));
    }
}
