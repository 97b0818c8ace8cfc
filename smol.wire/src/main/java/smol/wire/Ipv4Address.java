package smol.wire;

/**
 * A 32-bit IPv4 address; a value. Text form: the dotted quad {@code 192.168.69.1}.
 *
 * <p>Views hand addresses around as an {@code int} (first octet highest) so that the packet path
 * allocates nothing; {@link #of(int)} and {@link #bits()} convert.
 */
public final class Ipv4Address implements IpAddress {
    /** {@code 0.0.0.0}. */
    public static final Ipv4Address UNSPECIFIED = new Ipv4Address(0);
    /** The limited broadcast address {@code 255.255.255.255}. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

    private final int bits;

    private Ipv4Address(int bits) {
        this.bits = bits;
    }

    /** Returns the address whose first octet is the highest byte of {@code bits}. */
    public static Ipv4Address of(int bits) {
        return new Ipv4Address(bits);
    }

    /** Returns the address {@code a.b.c.d}; each octet 0..255. */
    public static Ipv4Address of(int a, int b, int c, int d) {
        for (int o : new int[] {a, b, c, d}) {
            if (o < 0 || o > 255) {
                throw new IllegalArgumentException("IPv4 octet out of range 0..255: " + o);
            }
        }
        return new Ipv4Address(a << 24 | b << 16 | c << 8 | d);
    }

    /** Returns the address in the four octets at {@code off} in {@code b}. */
    public static Ipv4Address from(byte[] b, int off) {
        return new Ipv4Address(Bytes.u32(b, off));
    }

    /**
     * Parses a dotted quad: four decimal octets 0..255, no leading zeros beyond a lone 0, no spaces.
     *
     * @throws IllegalArgumentException naming the text when it is not such an address
     */
    public static Ipv4Address parse(String text) {
        int bits = parseBits(text);
        return new Ipv4Address(bits);
    }

    static int parseBits(String text) {
        if (text == null) {
            throw new IllegalArgumentException("not an IPv4 address: null");
        }
        int bits = 0;
        int octets = 0;
        int i = 0;
        int n = text.length();
        while (octets < 4) {
            int start = i;
            int v = 0;
            while (i < n && i - start < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                v = v * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && text.charAt(start) == '0')) {
                throw new IllegalArgumentException("not an IPv4 address (want 192.168.69.1): " + text);
            }
            bits = bits << 8 | v;
            octets++;
            if (octets < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    throw new IllegalArgumentException("not an IPv4 address (want 192.168.69.1): " + text);
                }
                i++;
            }
        }
        if (i != n) {
            throw new IllegalArgumentException("not an IPv4 address (want 192.168.69.1): " + text);
        }
        return bits;
    }

    /** Returns the address as an int, first octet highest. */
    public int bits() {
        return bits;
    }

    /** Writes the four octets at {@code off} in {@code b}. */
    public void write(byte[] b, int off) {
        Bytes.putU32(b, off, bits);
    }

    @Override
    public int version() {
        return 4;
    }

    @Override
    public boolean isUnspecified() {
        return bits == 0;
    }

    /** Returns true for {@code 255.255.255.255}. */
    public boolean isBroadcast() {
        return bits == -1;
    }

    /** Returns true for 224.0.0.0/4. */
    public boolean isMulticast() {
        return (bits >>> 28) == 0xe;
    }

    /** Returns true for 127.0.0.0/8. */
    public boolean isLoopback() {
        return (bits >>> 24) == 127;
    }

    /** Returns true for an address that names one host: not unspecified, broadcast or multicast. */
    @Override
    public boolean isUnicast() {
        return !isUnspecified() && !isBroadcast() && !isMulticast();
    }

    /** Formats the address {@code bits} as a dotted quad. */
    public static String toString(int bits) {
        return (bits >>> 24) + "." + (bits >>> 16 & 0xff) + "." + (bits >>> 8 & 0xff) + "." + (bits & 0xff);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Address other && other.bits == bits;
    }

    @Override
    public int hashCode() {
        return bits;
    }

    /** Returns the dotted quad. */
    @Override
    public String toString() {
        return toString(bits);
    }
}
