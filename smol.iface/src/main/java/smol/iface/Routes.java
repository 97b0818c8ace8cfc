package smol.iface;

import java.util.List;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * The interface's addresses and its routing table: one connected route per address's subnet, the static
 * routes (longest prefix first) and an optional default route through the gateway. Answers, without allocating, which packets are ours,
 * where a packet goes next and which source address it gets. Immutable.
 */
final class Routes {
    /** What {@link #nextHop} returns when no route leads to the destination. */
    static final int NO_ROUTE = 0;

    private final int[] addresses;
    private final int[] netmasks;
    /** Each subnet's directed broadcast address, or 0 for a /31 or /32 that has none. */
    private final int[] broadcasts;
    /** The default gateway, or 0 for none. */
    private final int gateway;
    // The static routes, sorted by prefix length, longest first, so that the first match is the best.
    private final int[] routeNetworks;
    private final int[] routeMasks;
    private final int[] routeVias;

    Routes(List<Ipv4Cidr> cidrs, Ipv4Address gateway, List<Ipv4Route> routes) {
        int n = cidrs.size();
        addresses = new int[n];
        netmasks = new int[n];
        broadcasts = new int[n];
        for (int i = 0; i < n; i++) {
            Ipv4Cidr cidr = cidrs.get(i);
            addresses[i] = cidr.address().bits();
            netmasks[i] = cidr.netmaskBits();
            Ipv4Address broadcast = cidr.broadcast();
            broadcasts[i] = broadcast == null ? 0 : broadcast.bits();
        }
        this.gateway = gateway == null ? 0 : gateway.bits();
        List<Ipv4Route> sorted = new java.util.ArrayList<>(routes);
        sorted.sort((a, b) -> Integer.compare(b.destination().prefixLength(), a.destination().prefixLength()));
        routeNetworks = new int[sorted.size()];
        routeMasks = new int[sorted.size()];
        routeVias = new int[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            routeNetworks[i] = sorted.get(i).destination().address().bits();
            routeMasks[i] = sorted.get(i).destination().netmaskBits();
            routeVias[i] = sorted.get(i).via().bits();
        }
    }

    int count() {
        return addresses.length;
    }

    int address(int i) {
        return addresses[i];
    }

    /** Returns true when {@code ip} is one of our addresses. */
    boolean isOurs(int ip) {
        for (int a : addresses) {
            if (a == ip) {
                return true;
            }
        }
        return false;
    }

    /** Returns true for the limited broadcast 255.255.255.255 and the directed broadcast of any of our subnets. */
    boolean isBroadcast(int ip) {
        if (ip == -1) {
            return true;
        }
        for (int b : broadcasts) {
            if (b != 0 && b == ip) {
                return true;
            }
        }
        return false;
    }

    /** Returns true when {@code ip} lies in one of our subnets. */
    boolean isOnLink(int ip) {
        return subnetOf(ip) >= 0;
    }

    /** Returns the index of the first address whose subnet holds {@code ip}, or -1. */
    int subnetOf(int ip) {
        for (int i = 0; i < addresses.length; i++) {
            if (((ip ^ addresses[i]) & netmasks[i]) == 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Returns the IPv4 address of the next hop towards the unicast {@code dst}: itself on a connected
     * subnet, else the router of the longest static route that holds it, else the gateway, else
     * {@link #NO_ROUTE}.
     */
    int nextHop(int dst) {
        if (isOnLink(dst)) {
            return dst;
        }
        for (int i = 0; i < routeNetworks.length; i++) {
            if (((dst ^ routeNetworks[i]) & routeMasks[i]) == 0) {
                return routeVias[i];
            }
        }
        return gateway != 0 ? gateway : NO_ROUTE;
    }

    /**
     * Returns the source address for a packet to {@code dst}: our address on the destination's subnet,
     * else the one on the next hop's subnet (the packet leaves through it), else the first.
     */
    int sourceFor(int dst) {
        int i = subnetOf(dst);
        if (i < 0) {
            int hop = nextHop(dst);
            if (hop != NO_ROUTE) {
                i = subnetOf(hop);
            }
        }
        return addresses[Math.max(i, 0)];
    }
}
