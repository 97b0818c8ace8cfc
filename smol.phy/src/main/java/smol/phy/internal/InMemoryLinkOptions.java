package smol.phy.internal;

import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.phy.DeviceOptions;

/** The options shared by the in-memory devices' providers: the link's MTU, queue length and checksum duties. */
final class InMemoryLinkOptions {
    static final String MTU = "mtu";
    static final String QUEUE = "queue";
    static final String CHECKSUMS = "checksums";

    static final int DEFAULT_MTU = 1500;
    /** Frames per queue when not given: room for a TCP window's worth of full frames at MTU 1500. */
    static final int DEFAULT_QUEUE = 64;
    /** Queues are preallocated at the largest frame: this bounds one queue to about 256 MiB at MTU 65535. */
    static final int MAX_QUEUE = 4096;

    private InMemoryLinkOptions() {}

    /** Returns the capabilities the options ask for: Ethernet, {@code mtu} (1500), {@code checksums} none|all (none). */
    static DeviceCapabilities capabilities(DeviceOptions options) {
        int mtu = options.integer(MTU, DEFAULT_MTU, 68, 65535);
        // An in-memory queue cannot corrupt a frame, so the stack's checksums are off unless asked for.
        ChecksumCapabilities checksums = options.choice(CHECKSUMS, "none", "none", "all").equals("all")
                ? ChecksumCapabilities.ALL
                : ChecksumCapabilities.NONE;
        return DeviceCapabilities.ethernet(mtu, checksums);
    }

    /** Returns the queue length the options ask for, in frames: {@code queue} (64), 1..4096. */
    static int queueFrames(DeviceOptions options) {
        return options.integer(QUEUE, DEFAULT_QUEUE, 1, MAX_QUEUE);
    }
}
