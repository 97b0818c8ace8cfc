package smol.phy;

/**
 * A device that receives what it transmits, in order: the in-memory loopback of smoltcp's examples.
 *
 * <p>Its queue is fixed at creation: {@code capacityFrames} slots of {@link DeviceCapabilities#maxFrameLength()}
 * bytes each, preallocated (so memory is capacity × (MTU + 14) bytes); nothing is allocated per frame.
 * {@link #transmit} returns false while the queue is full. By default the IP MTU is 1500 and the
 * checksums are {@link ChecksumCapabilities#NONE}, since an in-memory queue cannot corrupt a frame. The
 * largest MTU, 65535, gives frames of up to 65549 bytes.
 *
 * <p>Thread-safety: as {@link Device} says, receive, transmit and await come from one thread at a
 * time. Counters are plain fields, exact on the polling thread.
 */
public final class LoopbackDevice extends InMemoryDevice {
    /** The capabilities of {@link #LoopbackDevice(int)}: Ethernet, MTU 1500, no checksum duties. */
    public static final DeviceCapabilities DEFAULT_CAPABILITIES =
            DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE);

    /**
     * Creates a loopback with {@link #DEFAULT_CAPABILITIES} holding up to {@code capacityFrames} frames.
     *
     * @throws IllegalArgumentException when {@code capacityFrames} is below 1
     */
    public LoopbackDevice(int capacityFrames) {
        this(DEFAULT_CAPABILITIES, capacityFrames);
    }

    /**
     * Creates a loopback with the given capabilities holding up to {@code capacityFrames} frames of up to
     * {@code capabilities.maxFrameLength()} bytes.
     *
     * @throws IllegalArgumentException when {@code capabilities} is null or {@code capacityFrames} is below 1
     */
    public LoopbackDevice(DeviceCapabilities capabilities, int capacityFrames) {
        this(checked(capabilities), new Doorbell(), capacityFrames);
    }

    private LoopbackDevice(DeviceCapabilities capabilities, Doorbell bell, int capacityFrames) {
        this(capabilities, new FrameQueue(capacityFrames, capabilities.maxFrameLength(), bell, bell), bell);
    }

    private LoopbackDevice(DeviceCapabilities capabilities, FrameQueue queue, Doorbell bell) {
        super(capabilities, queue, queue, bell);
    }

    private static DeviceCapabilities checked(DeviceCapabilities capabilities) {
        if (capabilities == null) {
            throw new IllegalArgumentException("capabilities must be given");
        }
        return capabilities;
    }

    @Override
    public String toString() {
        return "loopback(mtu=" + capabilities().mtu() + ", waiting=" + framesWaiting() + ")";
    }
}
