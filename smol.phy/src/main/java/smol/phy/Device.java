package smol.phy;

/**
 * A network device as the stack's interface sees it: frames in, frames out, and a way to wait for
 * traffic.
 *
 * <p>{@link #receive} and {@link #transmit} copy one frame between the device and the caller's
 * array, so the stack owns its buffers and nothing is allocated per frame. Neither blocks. They are
 * called from one thread at a time (the interface's poll loop); {@link #wakeUp()} may be called from
 * any thread.
 */
public interface Device {

    /** Returns what the device carries; constant while the device is open. */
    DeviceCapabilities capabilities();

    /**
     * Copies the next received frame into {@code buf} at {@code off} and returns its length, or 0 when
     * no frame is waiting. A frame longer than {@code buf.length - off} is dropped by the device (and
     * counted there), never cut short silently. Never blocks.
     *
     * @param nowMicros the stack's current time in microseconds, for devices that shape traffic
     */
    int receive(byte[] buf, int off, long nowMicros);

    /**
     * Queues {@code len} bytes of {@code buf} at {@code off} as one frame; returns false when the
     * device cannot take it now (its queue is full or its rate is exhausted), in which case nothing
     * was queued and the caller may retry later. Never blocks. The device copies the bytes before
     * returning: the caller may reuse {@code buf} at once.
     *
     * @param nowMicros the stack's current time in microseconds
     */
    boolean transmit(byte[] buf, int off, int len, long nowMicros);

    /**
     * Blocks the calling thread until a frame may be waiting, {@link #wakeUp()} is called, or
     * {@code timeoutMicros} pass (0: return at once; negative: no limit). May return early; callers
     * poll again either way. Used by a threaded runtime only; the deterministic core never waits.
     */
    void await(long timeoutMicros) throws InterruptedException;

    /** Makes a current or the next {@link #await} return promptly. Safe from any thread. */
    void wakeUp();
}
