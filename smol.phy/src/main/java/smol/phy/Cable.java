package smol.phy;

/**
 * Two devices joined in memory, as two interfaces joined by a cable: what {@link #a()} transmits,
 * {@link #b()} receives, and the other way round, in order.
 *
 * <p>Each direction has its own fixed queue of {@code queueFrames} preallocated slots of
 * {@link DeviceCapabilities#maxFrameLength()} bytes; nothing is allocated per frame. A transmit into a
 * full queue returns false. Each queue is a correct single-producer single-consumer queue, so the two
 * ends may be polled by two different threads (one thread per end): a frame's arrival unparks a thread
 * waiting in the receiving end's {@link Device#await}, and a frame taken out of a full queue unparks a
 * thread waiting for room in the sending end's.
 *
 * <p>On a virtual clock both ends are simply polled in turn from one thread.
 */
public final class Cable {
    private final End a;
    private final End b;
    private final int queueFrames;

    private Cable(DeviceCapabilities capabilities, int queueFrames) {
        this.queueFrames = queueFrames;
        Doorbell bellA = new Doorbell();
        Doorbell bellB = new Doorbell();
        FrameQueue towardA = new FrameQueue(queueFrames, capabilities.maxFrameLength(), bellA, bellB);
        FrameQueue towardB = new FrameQueue(queueFrames, capabilities.maxFrameLength(), bellB, bellA);
        this.a = new End(this, "a", capabilities, towardA, towardB, bellA);
        this.b = new End(this, "b", capabilities, towardB, towardA, bellB);
    }

    /**
     * Creates a cable whose ends both have {@code capabilities}, with a queue of {@code queueFrames}
     * frames in each direction.
     *
     * @throws IllegalArgumentException when {@code capabilities} is null or {@code queueFrames} is below 1
     */
    public static Cable create(DeviceCapabilities capabilities, int queueFrames) {
        if (capabilities == null) {
            throw new IllegalArgumentException("capabilities must be given");
        }
        if (queueFrames < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1 frame: " + queueFrames);
        }
        return new Cable(capabilities, queueFrames);
    }

    /**
     * Creates a cable with Ethernet MTU 1500 and no checksum duties (an in-memory queue cannot corrupt a
     * frame; wrap an end in a {@link FaultInjector} to make it), {@code queueFrames} frames each way.
     *
     * @throws IllegalArgumentException when {@code queueFrames} is below 1
     */
    public static Cable create(int queueFrames) {
        return create(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE), queueFrames);
    }

    /** Returns how many frames each direction's queue holds. */
    public int queueFrames() {
        return queueFrames;
    }

    /** Returns one end; what it transmits, {@link #b()} receives. */
    public End a() {
        return a;
    }

    /** Returns the other end; what it transmits, {@link #a()} receives. */
    public End b() {
        return b;
    }

    /**
     * One end of a {@link Cable}: a device receiving what the other end transmits. Receive, transmit and
     * await come from one thread at a time (the thread that polls this end).
     */
    public static final class End extends InMemoryDevice {
        private final Cable cable;
        private final String name;

        private End(Cable cable, String name, DeviceCapabilities capabilities, FrameQueue receiveQueue,
                FrameQueue transmitQueue, Doorbell bell) {
            super(capabilities, receiveQueue, transmitQueue, bell);
            this.cable = cable;
            this.name = name;
        }

        /** Returns the cable this end belongs to; holding an end keeps its cable, and so the other end. */
        public Cable cable() {
            return cable;
        }

        @Override
        public String toString() {
            return "cable end " + name + "(mtu=" + capabilities().mtu() + ", waiting=" + framesWaiting() + ")";
        }
    }
}
