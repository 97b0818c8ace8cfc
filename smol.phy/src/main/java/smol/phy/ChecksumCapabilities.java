package smol.phy;

/**
 * Per protocol, what the stack must do about checksums on a device ({@link ChecksumMode}), as smoltcp's
 * {@code ChecksumCapabilities}. A value.
 */
public record ChecksumCapabilities(ChecksumMode ipv4, ChecksumMode icmpv4, ChecksumMode udp, ChecksumMode tcp) {
    /** The stack verifies and fills every checksum: the safe choice for any real link. */
    public static final ChecksumCapabilities ALL =
            new ChecksumCapabilities(ChecksumMode.BOTH, ChecksumMode.BOTH, ChecksumMode.BOTH, ChecksumMode.BOTH);
    /** The stack skips every checksum: for in-memory devices that cannot corrupt a frame. */
    public static final ChecksumCapabilities NONE =
            new ChecksumCapabilities(ChecksumMode.NONE, ChecksumMode.NONE, ChecksumMode.NONE, ChecksumMode.NONE);

    /**
     * Creates the capabilities; no mode may be null.
     *
     * @throws IllegalArgumentException when a mode is null
     */
    public ChecksumCapabilities {
        if (ipv4 == null || icmpv4 == null || udp == null || tcp == null) {
            throw new IllegalArgumentException("every checksum mode must be given");
        }
    }
}
