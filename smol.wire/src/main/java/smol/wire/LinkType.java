package smol.wire;

/**
 * Link-layer header types of pcap and pcapng files (the tcpdump.org LINKTYPE_ registry): what the
 * bytes of each captured frame start with.
 */
public final class LinkType {
    private LinkType() {}

    /** BSD loopback: a 4-byte address family in host order, LINKTYPE_NULL = 0. */
    public static final int NULL = 0;
    /** Ethernet II / IEEE 802.3 frames without the frame check sequence, LINKTYPE_ETHERNET = 1. */
    public static final int ETHERNET = 1;
    /** A bare IPv4 or IPv6 packet, LINKTYPE_RAW = 101. */
    public static final int RAW = 101;
    /** OpenBSD loopback: a 4-byte address family in network order, LINKTYPE_LOOP = 108. */
    public static final int LOOP = 108;
    /** Linux "cooked" capture header (tcpdump -i any), LINKTYPE_LINUX_SLL = 113. */
    public static final int LINUX_SLL = 113;
    /** A bare IPv4 packet, LINKTYPE_IPV4 = 228. */
    public static final int IPV4 = 228;
    /** A bare IPv6 packet, LINKTYPE_IPV6 = 229. */
    public static final int IPV6 = 229;
    /** Linux "cooked" capture header, version 2, LINKTYPE_LINUX_SLL2 = 276. */
    public static final int LINUX_SLL2 = 276;

    /** Returns a short lowercase name ({@code ethernet}, {@code raw}, …) or {@code linktype-N}. */
    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "null";
            case ETHERNET -> "ethernet";
            case RAW -> "raw";
            case LOOP -> "loop";
            case LINUX_SLL -> "linux-sll";
            case IPV4 -> "ipv4";
            case IPV6 -> "ipv6";
            case LINUX_SLL2 -> "linux-sll2";
            default -> "linktype-" + linkType;
        };
    }
}
