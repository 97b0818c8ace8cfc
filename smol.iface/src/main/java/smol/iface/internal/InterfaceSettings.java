package smol.iface.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import smol.iface.InterfaceConfig;
import smol.iface.Ipv4Route;
import smol.phy.FaultConfig;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * One interface component's configuration, checked and parsed: what {@link InterfaceComponent} applies.
 * Plain Java, so that every refusal is tested without a framework; each message names the interface and
 * the property, as an operator reads it in the log.
 *
 * @param name the interface's name (its runtime thread's and the services' {@code smol.interface.name})
 * @param config the stack's configuration: MAC, addresses, gateway, routes
 * @param device the logical name of the device to bind ({@code smol.device.name})
 * @param capacity the socket set's capacity
 * @param faults the fault injection, {@link FaultConfig#NONE} for none
 * @param capture the pcap file to capture into, or null for none
 */
record InterfaceSettings(String name, InterfaceConfig config, String device, int capacity, FaultConfig faults,
        Path capture) {

    /** The most sockets one interface may have: far above a gateway's needs, and a bound on memory. */
    static final int MAX_CAPACITY = 65_536;

    /**
     * Parses the raw values of a configuration (as the Metatype describes them).
     *
     * @throws IllegalArgumentException naming the interface, the property and what is wrong with it
     */
    static InterfaceSettings parse(String name, String mac, String[] addresses, String gateway, String[] routes,
            String device, int capacity, double dropPercent, double corruptPercent, long delayMillis,
            long jitterMillis, String capture) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an interface needs a name (property name)");
        }
        String what = "interface " + name + ": ";
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException(what + "capacity must be within 1.." + MAX_CAPACITY + " sockets: " + capacity);
        }
        if (device == null || device.isBlank()) {
            throw new IllegalArgumentException(what + "device must name the device to use (its smol.device.name)");
        }
        InterfaceConfig.Builder builder = InterfaceConfig.builder();
        try {
            builder.mac(EthernetAddress.parse(mac == null ? "" : mac.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + "mac '" + mac + "' is not a MAC address (e.g. 02-00-00-00-00-01): "
                    + e.getMessage(), e);
        }
        for (String cidr : nonBlank(addresses)) {
            try {
                builder.address(Ipv4Cidr.parse(cidr));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + "address '" + cidr + "' is not an IPv4 address with its prefix"
                        + " (e.g. 192.168.69.1/24): " + e.getMessage(), e);
            }
        }
        if (gateway != null && !gateway.isBlank()) {
            try {
                builder.gateway(Ipv4Address.parse(gateway.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + "gateway '" + gateway + "' is not an IPv4 address: " + e.getMessage(), e);
            }
        }
        for (String route : nonBlank(routes)) {
            try {
                builder.route(Ipv4Route.parse(route));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + "route '" + route + "' is not a route (e.g. 10.1.0.0/16 via "
                        + "192.168.69.254): " + e.getMessage(), e);
            }
        }
        InterfaceConfig config;
        try {
            config = builder.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + e.getMessage(), e);
        }
        FaultConfig faults;
        try {
            faults = FaultConfig.NONE.withDropChance(percent("faults.drop", dropPercent))
                    .withCorruptChance(percent("faults.corrupt", corruptPercent))
                    .withDelayMicros(millisToMicros("faults.delay", delayMillis))
                    .withJitterMicros(millisToMicros("faults.jitter", jitterMillis));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + e.getMessage(), e);
        }
        Path file = capture == null || capture.isBlank() ? null : Path.of(capture.trim());
        return new InterfaceSettings(name.trim(), config, device.trim(), capacity, faults, file);
    }

    /** True when moving from this to {@code next} needs a new runtime: the name or the capacity changed. */
    boolean needsRestartFor(InterfaceSettings next) {
        return !name.equals(next.name) || capacity != next.capacity;
    }

    private static List<String> nonBlank(String[] values) {
        List<String> kept = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    kept.add(v.trim());
                }
            }
        }
        return kept;
    }

    private static double percent(String property, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(property + " must be a percentage within 0..100: " + value);
        }
        return value / 100;
    }

    private static long millisToMicros(String property, long millis) {
        if (millis < 0 || millis > FaultConfig.MAX_DELAY_MICROS / 1000) {
            throw new IllegalArgumentException(property + " must be within 0.." + FaultConfig.MAX_DELAY_MICROS / 1000
                    + " milliseconds: " + millis);
        }
        return millis * 1000;
    }
}
