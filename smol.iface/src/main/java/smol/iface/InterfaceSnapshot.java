package smol.iface;

import java.util.List;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * An {@link Interface} at one instant, as {@link Interface#snapshot()} copies it: its MAC, addresses,
 * gateway, device, link and MTU, its counters and its neighbour table. Immutable, safe to keep and to
 * pass between threads: what {@code smol:ifconfig} and JMX show.
 *
 * @param mac the MAC address in force
 * @param addresses the IPv4 addresses with their prefixes, the first being the default source; unmodifiable
 * @param gateway the default gateway, or null when there is none
 * @param routes the static routes; unmodifiable, empty for none
 * @param device what the attached device says of itself ({@code toString()}), or null while the link is down
 * @param linkUp true while a device is attached
 * @param mtu the MTU of the attached device, or of the last one ({@link Interface#DEFAULT_MTU} before any)
 * @param polledAtMicros the time of the interface's last poll, on its clock (microseconds): the instant
 *     {@code arpTable}'s expiry times are measured against
 * @param statistics the interface's counters
 * @param arpTable the live entries of the neighbour table at the last poll; unmodifiable
 */
public record InterfaceSnapshot(EthernetAddress mac, List<Ipv4Cidr> addresses, Ipv4Address gateway,
        List<Ipv4Route> routes, String device,
        boolean linkUp, int mtu, long polledAtMicros, InterfaceStatisticsSnapshot statistics, List<ArpEntry> arpTable) {

    /**
     * Copies the lists into unmodifiable ones.
     *
     * @throws NullPointerException when a list is null or holds null
     */
    public InterfaceSnapshot {
        addresses = List.copyOf(addresses);
        routes = List.copyOf(routes);
        arpTable = List.copyOf(arpTable);
    }

    /**
     * Returns e.g. {@code 02-00-00-00-00-01 10.0.0.1/24 gw 10.0.0.254 link up (tap0) mtu 1500, 2 neighbours:
     * in=3/162B out=2/140B …}: what an operator reads first, the counters after.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(mac);
        for (Ipv4Cidr address : addresses) {
            sb.append(' ').append(address);
        }
        if (gateway != null) {
            sb.append(" gw ").append(gateway);
        }
        for (Ipv4Route route : routes) {
            sb.append(", ").append(route);
        }
        sb.append(linkUp ? " link up" : " link down");
        if (device != null) {
            sb.append(" (").append(device).append(')');
        }
        return sb.append(" mtu ").append(mtu).append(", ").append(arpTable.size()).append(" neighbours: ")
                .append(statistics).toString();
    }
}
