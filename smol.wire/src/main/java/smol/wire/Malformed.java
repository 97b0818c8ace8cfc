package smol.wire;

/**
 * Why bytes are not a well-formed packet of some format: the reason a frame is dropped and counted.
 *
 * <p>Checks return one of these, or {@code null} when the bytes are well formed; they never throw.
 */
public enum Malformed {
    /** Fewer bytes than the header or a length field needs. */
    TRUNCATED("truncated"),
    /** A length field that contradicts the header or the bytes around it. */
    BAD_LENGTH("bad length"),
    /** A checksum that does not verify. */
    BAD_CHECKSUM("bad checksum"),
    /** A version field with a value this format does not have (IPv4: not 4). */
    BAD_VERSION("bad version"),
    /** A header length field below the format's minimum (IPv4 IHL &lt; 5, TCP data offset &lt; 5). */
    BAD_HEADER_LENGTH("bad header length"),
    /** A malformed option (a length that runs past the options, or below its minimum). */
    BAD_OPTION("bad option"),
    /** A field value that the format defines but smol does not handle (ARP for other than Ethernet/IPv4). */
    UNSUPPORTED("unsupported"),
    /** A field with a value the format does not allow. */
    BAD_VALUE("bad value");

    private final String text;

    Malformed(String text) {
        this.text = text;
    }

    /** Returns the reason as the pretty printer shows it, lowercase words such as {@code "bad checksum"}. */
    public String text() {
        return text;
    }
}
