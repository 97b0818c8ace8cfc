package smol.phy;

/**
 * What a device can carry: its medium, its IP MTU and which checksums the stack must handle. A value.
 *
 * @param medium the kind of frames
 * @param mtu the largest IP packet in bytes (1500 on Ethernet); a frame is up to
 *     {@link #maxFrameLength()} bytes
 * @param checksums which checksums the stack must verify and fill
 */
public record DeviceCapabilities(Medium medium, int mtu, ChecksumCapabilities checksums) {
    /** The Ethernet II header that a frame adds to the IP MTU. */
    public static final int ETHERNET_HEADER_LEN = 14;

    /**
     * Creates the capabilities.
     *
     * @throws IllegalArgumentException when the MTU is below 68 (RFC 791's minimum) or above 65535,
     *     or a field is null
     */
    public DeviceCapabilities {
        if (medium == null || checksums == null) {
            throw new IllegalArgumentException("medium and checksums must be given");
        }
        if (mtu < 68 || mtu > 65535) {
            throw new IllegalArgumentException("MTU out of range 68..65535: " + mtu);
        }
    }

    /** Returns an Ethernet device's capabilities with the given IP MTU and checksum duties. */
    public static DeviceCapabilities ethernet(int mtu, ChecksumCapabilities checksums) {
        return new DeviceCapabilities(Medium.ETHERNET, mtu, checksums);
    }

    /** Returns the largest frame in bytes: the MTU plus the link header. */
    public int maxFrameLength() {
        return mtu + ETHERNET_HEADER_LEN;
    }
}
