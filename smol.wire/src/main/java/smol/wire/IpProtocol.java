package smol.wire;

/** IP protocol numbers (IANA "Assigned Internet Protocol Numbers") that smol names. */
public final class IpProtocol {
    private IpProtocol() {}

    /** ICMP, 1 (RFC 792). */
    public static final int ICMP = 1;
    /** TCP, 6 (RFC 793). */
    public static final int TCP = 6;
    /** UDP, 17 (RFC 768). */
    public static final int UDP = 17;

    /** Returns {@code icmp}, {@code tcp} or {@code udp}, else the number in decimal. */
    public static String name(int protocol) {
        return switch (protocol) {
            case ICMP -> "icmp";
            case TCP -> "tcp";
            case UDP -> "udp";
            default -> Integer.toString(protocol);
        };
    }
}
