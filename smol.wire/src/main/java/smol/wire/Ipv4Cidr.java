package smol.wire;

/**
 * An IPv4 address with a prefix length, {@code 192.168.69.1/24}: a host's address on a subnet, or a
 * network. A value; the address keeps its host bits.
 */
public record Ipv4Cidr(Ipv4Address address, int prefixLength) {

    /**
     * Creates the CIDR; {@code prefixLength} is 0..32.
     *
     * @throws IllegalArgumentException when the prefix length is out of range or the address null
     */
    public Ipv4Cidr {
        if (address == null) {
            throw new IllegalArgumentException("IPv4 CIDR needs an address");
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("IPv4 prefix length out of range 0..32: " + prefixLength);
        }
    }

    /**
     * Parses {@code a.b.c.d/n}.
     *
     * @throws IllegalArgumentException naming the text when it is not such a CIDR
     */
    public static Ipv4Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an IPv4 CIDR (want 192.168.69.1/24): " + text);
        }
        String prefix = text.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not an IPv4 CIDR (want 192.168.69.1/24): " + text);
        }
        try {
            return new Ipv4Cidr(Ipv4Address.parse(text.substring(0, slash)), Integer.parseInt(prefix));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IPv4 CIDR (want 192.168.69.1/24): " + text, e);
        }
    }

    /** Returns the netmask as an int: {@code prefixLength} one bits from the top. */
    public int netmaskBits() {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    /** Returns the netmask as an address, {@code 255.255.255.0} for /24. */
    public Ipv4Address netmask() {
        return Ipv4Address.of(netmaskBits());
    }

    /** Returns this CIDR with the host bits cleared: the network it names. */
    public Ipv4Cidr network() {
        return new Ipv4Cidr(Ipv4Address.of(address.bits() & netmaskBits()), prefixLength);
    }

    /** Returns the subnet's directed broadcast address; for /31 and /32 there is none and this returns null. */
    public Ipv4Address broadcast() {
        if (prefixLength >= 31) {
            return null;
        }
        return Ipv4Address.of(address.bits() | ~netmaskBits());
    }

    /** Returns true when {@code addressBits} lies in this CIDR's subnet. */
    public boolean contains(int addressBits) {
        return ((addressBits ^ address.bits()) & netmaskBits()) == 0;
    }

    /** Returns true when {@code other} lies in this CIDR's subnet. */
    public boolean contains(Ipv4Address other) {
        return contains(other.bits());
    }

    /** Returns {@code a.b.c.d/n}. */
    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
