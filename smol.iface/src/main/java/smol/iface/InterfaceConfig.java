package smol.iface;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import smol.socket.driver.InitialSequence;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * What an {@link Interface} is created with: its MAC address, its IPv4 addresses with their prefixes
 * (each gives a connected subnet), an optional default gateway, static routes, the ARP cache's capacity, how many
 * frames one poll processes at most, and the generator of its TCP connections' initial sequence
 * numbers. A validated value: build it with {@link #builder()}.
 *
 * <pre>{@code
 * InterfaceConfig config = InterfaceConfig.builder()
 *         .mac(EthernetAddress.parse("02-00-00-00-00-02"))
 *         .address(Ipv4Cidr.parse("10.99.0.2/24"))
 *         .gateway(Ipv4Address.parse("10.99.0.254"))
 *         .build();
 * }</pre>
 *
 * @param mac the interface's MAC address, unicast
 * @param addresses the IPv4 addresses, at least one, unicast, distinct, none its subnet's broadcast
 * @param gateway the default gateway, inside one of the subnets, or null for none
 * @param routes static routes ({@link Ipv4Route}), each through a router inside one of the subnets and not
 *     one of our addresses, at most one per destination network; null or empty for none
 * @param arpCacheCapacity entries of the ARP cache (and of its request rate-limit table), at least 1
 * @param framesPerPoll the most frames one {@link Interface#poll} takes from the device, at least 1, so
 *     that a flood cannot starve the sockets
 * @param initialSequence where the interface's TCP sockets take their ISNs: by default the RFC 6528
 *     generator under a secret drawn from {@link SecureRandom} when the configuration is built (a
 *     fixed generator only for tests)
 */
public record InterfaceConfig(EthernetAddress mac, List<Ipv4Cidr> addresses, Ipv4Address gateway,
        List<Ipv4Route> routes, int arpCacheCapacity, int framesPerPoll, InitialSequence initialSequence) {

    /** The ARP cache capacity when none is given: 16 neighbours. */
    public static final int DEFAULT_ARP_CACHE_CAPACITY = 16;
    /** The frames per poll when none is given: 64. */
    public static final int DEFAULT_FRAMES_PER_POLL = 64;

    /**
     * Validates and creates the configuration; {@code addresses} is copied.
     *
     * @throws IllegalArgumentException naming the bad value: no or a multicast MAC; no addresses; an
     *     address that is unspecified, broadcast, multicast, its subnet's broadcast or given twice; a
     *     gateway that is not unicast, is one of our addresses or a subnet's broadcast, or lies outside
     *     every subnet; a route through one of our addresses or outside every subnet, or two routes to
     *     one network; a capacity or frames per poll below 1; no ISN generator
     */
    public InterfaceConfig {
        if (mac == null) {
            throw new IllegalArgumentException("interface needs a MAC address");
        }
        if (!mac.isUnicast()) {
            throw new IllegalArgumentException("interface MAC address must be unicast, not multicast: " + mac);
        }
        if (mac.bits() == 0) {
            throw new IllegalArgumentException("interface MAC address must not be all zeros: " + mac);
        }
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("interface needs at least one IPv4 address");
        }
        for (Ipv4Cidr cidr : addresses) {
            if (cidr == null) {
                throw new IllegalArgumentException("interface address must not be null: " + addresses);
            }
        }
        addresses = List.copyOf(addresses);
        for (int i = 0; i < addresses.size(); i++) {
            Ipv4Cidr cidr = addresses.get(i);
            Ipv4Address address = cidr.address();
            if (!address.isUnicast()) {
                throw new IllegalArgumentException("interface address must be unicast: " + cidr);
            }
            if (address.equals(cidr.broadcast())) {
                throw new IllegalArgumentException("interface address is its subnet's broadcast address: " + cidr);
            }
            for (int j = 0; j < i; j++) {
                if (addresses.get(j).address().equals(address)) {
                    throw new IllegalArgumentException("interface address given twice: " + address);
                }
            }
        }
        if (gateway != null) {
            if (!gateway.isUnicast()) {
                throw new IllegalArgumentException("default gateway must be unicast: " + gateway);
            }
            boolean onLink = false;
            for (Ipv4Cidr cidr : addresses) {
                if (cidr.address().equals(gateway)) {
                    throw new IllegalArgumentException("default gateway is one of the interface's addresses: " + gateway);
                }
                if (gateway.equals(cidr.broadcast())) {
                    throw new IllegalArgumentException("default gateway " + gateway + " is the broadcast address of "
                            + cidr.network());
                }
                onLink |= cidr.contains(gateway);
            }
            if (!onLink) {
                throw new IllegalArgumentException("default gateway " + gateway + " is outside every subnet "
                        + addresses);
            }
        }
        routes = routes == null ? List.of() : List.copyOf(routes); // copyOf refuses a null route
        for (int i = 0; i < routes.size(); i++) {
            Ipv4Route route = routes.get(i);
            boolean onLink = false;
            for (Ipv4Cidr cidr : addresses) {
                if (cidr.address().equals(route.via())) {
                    throw new IllegalArgumentException("route " + route + " goes through one of the interface's"
                            + " own addresses");
                }
                onLink |= cidr.contains(route.via());
            }
            if (!onLink) {
                throw new IllegalArgumentException("route " + route + ": the router is outside every subnet "
                        + addresses);
            }
            for (int j = 0; j < i; j++) {
                if (routes.get(j).destination().equals(route.destination())) {
                    throw new IllegalArgumentException("two routes to " + route.destination() + ": " + routes.get(j)
                            + " and " + route);
                }
            }
        }
        if (arpCacheCapacity < 1) {
            throw new IllegalArgumentException("ARP cache capacity must be at least 1: " + arpCacheCapacity);
        }
        if (framesPerPoll < 1) {
            throw new IllegalArgumentException("frames per poll must be at least 1: " + framesPerPoll);
        }
        if (initialSequence == null) {
            throw new IllegalArgumentException("interface needs an ISN generator");
        }
    }

    /**
     * Returns this configuration with other addresses (the first the default source).
     *
     * @throws IllegalArgumentException as the constructor does
     */
    public InterfaceConfig withAddresses(List<Ipv4Cidr> addresses) {
        return new InterfaceConfig(mac, addresses, gateway, routes, arpCacheCapacity, framesPerPoll, initialSequence);
    }

    /**
     * Returns this configuration with another default gateway (null: none).
     *
     * @throws IllegalArgumentException as the constructor does
     */
    public InterfaceConfig withGateway(Ipv4Address gateway) {
        return new InterfaceConfig(mac, addresses, gateway, routes, arpCacheCapacity, framesPerPoll, initialSequence);
    }

    /**
     * Returns this configuration with other static routes (empty: none).
     *
     * @throws IllegalArgumentException as the constructor does
     */
    public InterfaceConfig withRoutes(List<Ipv4Route> routes) {
        return new InterfaceConfig(mac, addresses, gateway, routes, arpCacheCapacity, framesPerPoll, initialSequence);
    }

    /**
     * Returns this configuration with another MAC address.
     *
     * @throws IllegalArgumentException as the constructor does
     */
    public InterfaceConfig withMac(EthernetAddress mac) {
        return new InterfaceConfig(mac, addresses, gateway, routes, arpCacheCapacity, framesPerPoll, initialSequence);
    }

    /** Returns a builder with no MAC, no addresses, no gateway and the default capacities. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects an {@link InterfaceConfig}'s values; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private EthernetAddress mac;
        private final List<Ipv4Cidr> addresses = new ArrayList<>();
        private Ipv4Address gateway;
        private final List<Ipv4Route> routes = new ArrayList<>();
        private int arpCacheCapacity = DEFAULT_ARP_CACHE_CAPACITY;
        private int framesPerPoll = DEFAULT_FRAMES_PER_POLL;
        private InitialSequence initialSequence;

        private Builder() {}

        /** Sets the MAC address; returns this. */
        public Builder mac(EthernetAddress mac) {
            this.mac = mac;
            return this;
        }

        /** Adds an IPv4 address with its prefix; the first added is the default source. Returns this. */
        public Builder address(Ipv4Cidr address) {
            addresses.add(address);
            return this;
        }

        /** Sets the default gateway (null: none); returns this. */
        public Builder gateway(Ipv4Address gateway) {
            this.gateway = gateway;
            return this;
        }

        /** Adds a static route; returns this. */
        public Builder route(Ipv4Route route) {
            routes.add(route);
            return this;
        }

        /** Sets the ARP cache capacity; returns this. */
        public Builder arpCacheCapacity(int capacity) {
            this.arpCacheCapacity = capacity;
            return this;
        }

        /** Sets the most frames one poll processes; returns this. */
        public Builder framesPerPoll(int frames) {
            this.framesPerPoll = frames;
            return this;
        }

        /**
         * Sets the ISN generator (for tests and benchmarks that need repeatable numbers); when none is
         * set, {@link #build()} keys the RFC 6528 generator with a fresh secret. Returns this.
         */
        public Builder initialSequence(InitialSequence initialSequence) {
            this.initialSequence = initialSequence;
            return this;
        }

        /**
         * Returns the validated configuration.
         *
         * @throws IllegalArgumentException as {@link InterfaceConfig#InterfaceConfig} does
         */
        public InterfaceConfig build() {
            InitialSequence isn = initialSequence;
            if (isn == null) {
                SecureRandom random = new SecureRandom();
                isn = InitialSequence.keyed(random.nextLong(), random.nextLong());
            }
            return new InterfaceConfig(mac, addresses, gateway, routes, arpCacheCapacity, framesPerPoll, isn);
        }
    }
}
