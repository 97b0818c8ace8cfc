package smol.phy;

/**
 * What a device knows of the transport checksum (TCP or UDP) of a frame it received, per frame
 * ({@link Device#receivedChecksum()}). Network cards and the Linux kernel work out checksums for the
 * stack ("checksum offload"), and a packet socket sees frames the host itself sends before the card
 * has filled theirs in: a stack that checked every such frame would drop good traffic.
 */
public enum ReceivedChecksum {
    /** The device knows nothing: the stack verifies the checksum as the device's capabilities say. */
    UNKNOWN,
    /** Hardware or the kernel verified the checksum already: the stack need not. */
    VERIFIED,
    /**
     * The checksum is not filled in yet (the host sent the frame and leaves the sum to the card; the
     * field holds only the pseudo-header's part): the stack must not verify it, and a listing says
     * "checksum offloaded" rather than "bad checksum".
     */
    NOT_READY
}
