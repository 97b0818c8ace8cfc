package smol.iface;

import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * A static route: packets to {@code destination} go through the router {@code via}, a neighbour on one of
 * the interface's subnets (as {@code ip route add 10.1.0.0/16 via 192.168.69.254}). Routes sit between
 * the connected subnets and the default gateway: a destination on a connected subnet is sent to directly,
 * else the route with the longest prefix that holds it is taken, else the gateway.
 *
 * @param destination the network reached, kept as its network address (10.1.2.3/16 becomes 10.1.0.0/16)
 * @param via the router's address, unicast
 */
public record Ipv4Route(Ipv4Cidr destination, Ipv4Address via) {

    /**
     * Validates the route and keeps the destination as its network address.
     *
     * @throws IllegalArgumentException when either is null, or {@code via} is not unicast
     */
    public Ipv4Route {
        if (destination == null) {
            throw new IllegalArgumentException("a route needs a destination network");
        }
        if (via == null || !via.isUnicast()) {
            throw new IllegalArgumentException("a route to " + destination + " needs a unicast router address, not "
                    + via);
        }
        destination = destination.network();
    }

    /**
     * Parses {@code "10.1.0.0/16 via 192.168.69.254"}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static Ipv4Route parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("\\s+");
        if (parts.length != 3 || !parts[1].equals("via")) {
            throw new IllegalArgumentException("a route reads NETWORK/PREFIX via ROUTER, e.g. 10.1.0.0/16 via"
                    + " 192.168.69.254: '" + text + "'");
        }
        return new Ipv4Route(Ipv4Cidr.parse(parts[0]), Ipv4Address.parse(parts[2]));
    }

    /** Returns e.g. {@code 10.1.0.0/16 via 192.168.69.254}, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return destination + " via " + via;
    }
}
