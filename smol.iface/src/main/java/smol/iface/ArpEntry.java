package smol.iface;

import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;

/**
 * One live entry of an interface's neighbour table, as {@link Interface#arpTable()} reports it: a copy,
 * so reading it never changes the table.
 *
 * @param address the neighbour's IPv4 address
 * @param mac the MAC address it answered with
 * @param expiresAtMicros when the entry expires, on the interface's clock (microseconds)
 */
public record ArpEntry(Ipv4Address address, EthernetAddress mac, long expiresAtMicros) {
    /** Returns e.g. {@code 10.0.0.2 02-00-00-00-00-02 expires=60000000}. */
    @Override
    public String toString() {
        return address + " " + mac + " expires=" + expiresAtMicros;
    }
}
