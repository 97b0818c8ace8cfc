package smol.wire;

/**
 * EtherType values (IEEE 802 numbers) that smol names, and the rule that tells an EtherType from an
 * IEEE 802.3 length field.
 */
public final class EtherType {
    private EtherType() {}

    /** IPv4, 0x0800. */
    public static final int IPV4 = 0x0800;
    /** ARP, 0x0806. */
    public static final int ARP = 0x0806;
    /** IPv6, 0x86dd (recognised, not handled). */
    public static final int IPV6 = 0x86dd;
    /** An IEEE 802.1Q VLAN tag, 0x8100. */
    public static final int VLAN = 0x8100;
    /** An IEEE 802.1ad service tag (QinQ), 0x88a8. */
    public static final int QINQ = 0x88a8;
    /** Values up to 1500 in the type field are an IEEE 802.3 length, not an EtherType. */
    public static final int MAX_8023_LENGTH = 1500;
    /** The smallest EtherType (IEEE 802.3 clause 3.2.6); 1501..1535 are undefined. */
    public static final int MIN_ETHERTYPE = 0x0600;

    /** Returns true when the type field holds an IEEE 802.1Q or 802.1ad tag. */
    public static boolean isVlanTag(int type) {
        return type == VLAN || type == QINQ || type == 0x9100;
    }

    /** Returns a short name for the type ({@code ipv4}, {@code arp}, …) or {@code 0x1234}. */
    public static String name(int type) {
        return switch (type) {
            case IPV4 -> "ipv4";
            case ARP -> "arp";
            case IPV6 -> "ipv6";
            case VLAN -> "802.1q";
            case QINQ -> "802.1ad";
            default -> String.format("0x%04x", type);
        };
    }
}
