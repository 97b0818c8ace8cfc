package smol.wire;

/**
 * An IP address of any version. Only IPv4 ({@link Ipv4Address}) exists today; code that holds an
 * {@code IpAddress} keeps working when IPv6 joins.
 */
public sealed interface IpAddress permits Ipv4Address {

    /** Returns the IP version, 4. */
    int version();

    /** Returns true for the unspecified address ({@code 0.0.0.0}). */
    boolean isUnspecified();

    /** Returns true for an address that names one host. */
    boolean isUnicast();

    /**
     * Parses the text form of any supported version.
     *
     * @throws IllegalArgumentException naming the text when it is no address
     */
    static IpAddress parse(String text) {
        return Ipv4Address.parse(text);
    }
}
