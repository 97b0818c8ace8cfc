package smol.wire;

/**
 * A 48-bit Ethernet (MAC) address; a value.
 *
 * <p>Text form: six dash-separated hex octets, {@code 02-00-00-00-00-01}; {@link #parse} also takes
 * the colon form {@code 02:00:00:00:00:01}. Views hand MAC addresses around as the low 48 bits of a
 * {@code long} so that the packet path allocates nothing; {@link #of(long)} and {@link #bits()}
 * convert.
 */
public final class EthernetAddress {
    /** The broadcast address {@code ff-ff-ff-ff-ff-ff}. */
    public static final EthernetAddress BROADCAST = new EthernetAddress(0xffff_ffff_ffffL);
    /** The all-zero address, as ARP requests carry for the unknown target. */
    public static final EthernetAddress UNSPECIFIED = new EthernetAddress(0L);

    private static final long MASK = 0xffff_ffff_ffffL;
    private final long bits;

    private EthernetAddress(long bits) {
        this.bits = bits;
    }

    /** Returns the address whose octets are the low 48 bits of {@code bits}, first octet highest. */
    public static EthernetAddress of(long bits) {
        return new EthernetAddress(bits & MASK);
    }

    /** Returns the address of the six octets at {@code off} in {@code b}. */
    public static EthernetAddress from(byte[] b, int off) {
        return new EthernetAddress(Bytes.u48(b, off));
    }

    /**
     * Parses {@code 02-00-00-00-00-01} or {@code 02:00:00:00:00:01} (hex digits in either case).
     *
     * @throws IllegalArgumentException naming the text when it is not such an address
     */
    public static EthernetAddress parse(String text) {
        if (text == null || text.length() != 17) {
            throw new IllegalArgumentException("not a MAC address (want 02-00-00-00-00-01): " + text);
        }
        char sep = text.charAt(2);
        if (sep != '-' && sep != ':') {
            throw new IllegalArgumentException("not a MAC address (want 02-00-00-00-00-01): " + text);
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int p = i * 3;
            int hi = Character.digit(text.charAt(p), 16);
            int lo = Character.digit(text.charAt(p + 1), 16);
            if (hi < 0 || lo < 0 || (i < 5 && text.charAt(p + 2) != sep)) {
                throw new IllegalArgumentException("not a MAC address (want 02-00-00-00-00-01): " + text);
            }
            v = v << 8 | hi << 4 | lo;
        }
        return new EthernetAddress(v);
    }

    /** Returns the address as the low 48 bits of a long, first octet highest. */
    public long bits() {
        return bits;
    }

    /** Writes the six octets at {@code off} in {@code b}. */
    public void write(byte[] b, int off) {
        Bytes.putU48(b, off, bits);
    }

    /** Returns true for {@code ff-ff-ff-ff-ff-ff}. */
    public boolean isBroadcast() {
        return bits == MASK;
    }

    /** Returns true when the group bit (lowest bit of the first octet) is set; broadcast included. */
    public boolean isMulticast() {
        return isMulticast(bits);
    }

    /** Returns true for an address that names one station: neither multicast nor broadcast. */
    public boolean isUnicast() {
        return !isMulticast(bits);
    }

    /** Returns true when the locally administered bit (second-lowest of the first octet) is set. */
    public boolean isLocal() {
        return (bits >>> 40 & 0x02) != 0;
    }

    /** Returns true when the group bit of the 48-bit address {@code bits} is set. */
    public static boolean isMulticast(long bits) {
        return (bits >>> 40 & 0x01) != 0;
    }

    /** Formats the 48-bit address {@code bits} in dash form. */
    public static String toString(long bits) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int octet = (int) (bits >>> (i * 8)) & 0xff;
            sb.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
            if (i > 0) {
                sb.append('-');
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EthernetAddress other && other.bits == bits;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bits);
    }

    /** Returns the dash form, {@code 02-00-00-00-00-01}. */
    @Override
    public String toString() {
        return toString(bits);
    }
}
