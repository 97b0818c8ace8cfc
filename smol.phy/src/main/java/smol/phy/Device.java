package smol.phy;

/**
 * A network device as the stack's interface sees it: frames in, frames out, and a way to wait for
 * traffic.
 *
 * <p>{@link #receive} and {@link #transmit} copy one frame between the device and the caller's
 * array, so the stack owns its buffers and nothing is allocated per frame. Neither blocks.
 *
 * <p>Waiting belongs to the runtime, not to the device (the package description gives the whole
 * contract): the runtime's loop polls the stack, then calls {@link #await} with its own {@link Wakeup},
 * a timeout of at most the earlier of the stack's next deadline and this device's {@link #pollAt}, and
 * whether a frame was just refused. The device holds no wake-up of its own to lose: a wake-up posted
 * while the device is being replaced, or while none is attached, stays pending on the runtime's
 * {@code Wakeup} and ends the next wait.
 *
 * <p>Thread-safety: {@code receive}, {@code transmit}, {@code pollAt} and {@code await} are called from
 * one thread at a time (the interface's poll loop); the {@code Wakeup} is posted from any thread.
 * Times are the stack's clock, in microseconds: the {@code nowMicros} arguments, and what
 * {@code pollAt} returns.
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
     * Returns what the device knows of the transport checksum of the frame the last {@link #receive}
     * returned: per-frame metadata, valid until the next receive. {@link ReceivedChecksum#UNKNOWN} (the
     * default) leaves the stack to verify it as the {@linkplain #capabilities capabilities} say; the
     * other values spare it that work or keep it from dropping a frame whose sum the card fills in
     * later. Never blocks; allocates nothing.
     */
    default ReceivedChecksum receivedChecksum() {
        return ReceivedChecksum.UNKNOWN;
    }

    /**
     * Returns true when the frame the last {@link #receive} returned is one that this host sent out on the
     * device, not one that came in: per-frame metadata, valid until the next receive. Only a device that
     * is asked to keep its host's outgoing frames (a capture, such as a raw socket's for tcpdump) returns
     * true; a stack never sees its own frames. False by default. Never blocks; allocates nothing.
     */
    default boolean receivedOutgoing() {
        return false;
    }

    /**
     * Queues {@code len} bytes of {@code buf} at {@code off} as one frame; returns false when the
     * device cannot take it now (its queue is full or its rate is exhausted), in which case nothing
     * was queued and the caller may retry later: when a wait with {@code untilWritable} ends, or at
     * {@link #pollAt}. Never blocks. The device copies the bytes before returning: the caller may reuse
     * {@code buf} at once.
     *
     * @param nowMicros the stack's current time in microseconds
     */
    boolean transmit(byte[] buf, int off, int len, long nowMicros);

    /**
     * Returns when the device next has something to do by time alone, on the stack's clock: a frame
     * it delays that becomes receivable, or a refused transmit that a rate limit will take again. The
     * runtime waits no longer than this; it calls {@link #receive}/{@link #transmit} at or after that
     * time, which is when the device acts. {@link Long#MAX_VALUE} when nothing is due by time (the
     * default); a time at or before {@code nowMicros} means now. Never blocks.
     *
     * <p>A device must not report the same past time again and again once the stack has been polled
     * after it: that would make the runtime spin.
     *
     * @param nowMicros the stack's current time in microseconds
     */
    default long pollAt(long nowMicros) {
        return Long.MAX_VALUE;
    }

    /**
     * Blocks the calling thread until whichever comes first: a frame may be waiting to be received; the
     * device may take frames again ({@code untilWritable} only: the caller had a frame refused);
     * {@code wakeup} is posted, or was already; or {@code timeoutMicros} pass (0: return at once;
     * negative: no limit). May return early for any reason; the caller polls again either way.
     *
     * <p>An implementation arms {@code wakeup} with its own way of ending the wait, then checks its
     * conditions and blocks, then disarms it (see {@link Wakeup}); it returns at once without blocking
     * when {@link Wakeup#arm} reports a pending post. It does not keep {@code wakeup} after returning
     * (a wrapper may remember it to post it when its inner device changes). Used by a threaded runtime
     * only; the deterministic core never waits. Allocates nothing.
     *
     * @param wakeup the runtime's wake-up; consumed when the wait returns
     * @param timeoutMicros the longest wait in microseconds; 0 returns at once, negative waits without limit
     * @param untilWritable also return when the device can take frames again after refusing one
     * @throws InterruptedException when the thread is interrupted before or during the wait (a device
     *     that cannot notice an interrupt while blocked in the kernel checks before and after)
     */
    void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException;
}
