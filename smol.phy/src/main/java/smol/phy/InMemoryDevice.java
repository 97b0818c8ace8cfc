package smol.phy;

import java.util.Objects;

/**
 * A device whose frames travel through fixed queues in memory: what {@link LoopbackDevice} and
 * {@link Cable.End} share, including their counters. It receives from one queue and transmits into
 * another (for a loopback they are the same). Public so that its methods can be called on either kind
 * (also by reflection, as a shell does); only this package makes subclasses.
 *
 * <p>Counters are plain fields, each written by one thread (receive counters by the receiving thread,
 * transmit counters by the transmitting one); read from another thread they may lag.
 */
public abstract class InMemoryDevice implements Device {
    private final DeviceCapabilities capabilities;
    private final FrameQueue receiveQueue;
    private final FrameQueue transmitQueue;
    private final Doorbell bell;
    // Each counter is written by one thread only: rx by the receiving thread, tx by the transmitting one.
    private long rxTooLong;
    private long txOversize;
    private long txQueueFull;

    InMemoryDevice(DeviceCapabilities capabilities, FrameQueue receiveQueue, FrameQueue transmitQueue, Doorbell bell) {
        this.capabilities = capabilities;
        this.receiveQueue = receiveQueue;
        this.transmitQueue = transmitQueue;
        this.bell = bell;
    }

    /** Returns the capabilities given at creation. */
    @Override
    public final DeviceCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Copies the oldest waiting frame into {@code buf} at {@code off} and returns its length, or 0 when
     * none waits. A frame longer than {@code buf.length - off} is dropped and counted
     * ({@link #rxTooLong()}), and the next frame is tried.
     *
     * @throws IndexOutOfBoundsException when {@code off} is outside {@code 0..buf.length}
     */
    @Override
    public final int receive(byte[] buf, int off, long nowMicros) {
        Objects.checkIndex(off, buf.length + 1);
        int room = buf.length - off;
        // Bounded by the queue's capacity plus what the producer adds meanwhile; each turn removes a frame.
        for (int len = receiveQueue.peekLength(); len > 0; len = receiveQueue.peekLength()) {
            if (len <= room) {
                return receiveQueue.poll(buf, off);
            }
            receiveQueue.skip();
            rxTooLong++;
        }
        return 0;
    }

    /**
     * Copies {@code len} bytes of {@code buf} at {@code off} into the queue as one frame. Returns false
     * when the queue is full (counted in {@link #txQueueFull()}; nothing queued). A frame longer than
     * {@link DeviceCapabilities#maxFrameLength()} is dropped and counted ({@link #txOversize()}) and true
     * is returned, as a link drops what it cannot carry: retrying it would never succeed.
     *
     * @throws IllegalArgumentException when {@code len} is not positive (a frame has at least one byte)
     * @throws IndexOutOfBoundsException when {@code off}/{@code len} do not lie inside {@code buf}
     */
    @Override
    public final boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 1) {
            throw new IllegalArgumentException("a frame must have at least one byte: len=" + len);
        }
        if (len > transmitQueue.maxFrameLength()) {
            txOversize++;
            return true;
        }
        if (!transmitQueue.offer(buf, off, len)) {
            txQueueFull++;
            return false;
        }
        return true;
    }

    /**
     * Parks the calling thread until a frame waits in the receive queue, a slot is free in the transmit
     * queue ({@code untilWritable} only), {@code wakeup} is posted, or {@code timeoutMicros} pass (0:
     * return at once; negative: no limit). The thread that fills the receive queue, or empties the transmit
     * queue, unparks it. Allocation-free.
     */
    @Override
    public final void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException {
        bell.await(wakeup, timeoutMicros, receiveQueue, untilWritable ? transmitQueue : null);
    }

    /** Returns how many frames wait to be received; exact on the receiving thread, a snapshot elsewhere. */
    public final int framesWaiting() {
        return receiveQueue.size();
    }

    /** Returns how many received frames were dropped because the caller's buffer was too short for them. */
    public final long rxTooLong() {
        return rxTooLong;
    }

    /** Returns how many frames longer than the maximum frame length were dropped on transmit. */
    public final long txOversize() {
        return txOversize;
    }

    /** Returns how many transmits were refused because the queue was full. */
    public final long txQueueFull() {
        return txQueueFull;
    }
}
