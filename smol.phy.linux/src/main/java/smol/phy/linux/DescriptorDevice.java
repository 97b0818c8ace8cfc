package smol.phy.linux;

import java.util.concurrent.atomic.AtomicBoolean;
import smol.phy.Device;
import smol.phy.Wakeup;

/**
 * What every device on a Linux file descriptor shares (a TAP's, a packet socket's): transmit as one copy
 * and one write(2), the wait through {@link PollWaiter}, the failure counters, and closing the descriptor
 * and the eventfd exactly once. A device adds how it is opened and how it receives, with {@link #received}
 * for its frames and {@link #receiveFailed()} / {@link #countTooLong()} for its counters.
 *
 * <p>Threads: receive, transmit and await on the runtime's loop thread, as {@link Device} says; the counters
 * are read from any thread (snapshots); close from any thread.
 */
public abstract class DescriptorDevice implements Device, AutoCloseable {
    /** The device's descriptor, open until {@link #close}. */
    protected final int fd;
    /** Native memory for one received frame of up to the largest frame the device carries. */
    protected final FrameBuffer received;
    private final FrameBuffer sent;
    private final int maxFrame;
    private final PollWaiter waiter;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long receiveErrors;
    private volatile long transmitErrors;
    private volatile long droppedTooLong;
    private volatile int lastErrno;

    /**
     * A device on {@code fd} carrying frames of up to {@code maxFrame} bytes, waiting through {@code waiter};
     * both belong to the device from now on.
     */
    protected DescriptorDevice(int fd, PollWaiter waiter, int maxFrame) {
        this.fd = fd;
        this.waiter = waiter;
        this.maxFrame = maxFrame;
        this.received = new FrameBuffer(maxFrame);
        this.sent = new FrameBuffer(maxFrame);
    }

    /**
     * Writes {@code len} bytes of {@code buf} at {@code off} to the descriptor as one frame (one copy, one
     * write(2)). Returns false only when the kernel would block (EAGAIN), nothing sent; a frame the kernel
     * refuses otherwise is dropped and counted ({@link #transmitErrors()}), as is every frame after close.
     *
     * @throws IllegalArgumentException when {@code len} exceeds the largest frame the device carries
     */
    @Override
    public final boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        if (len > maxFrame) {
            throw new IllegalArgumentException("a frame of " + len + " bytes is longer than " + this + " carries ("
                    + maxFrame + ")");
        }
        if (closed.get()) {
            transmitErrors++;
            return true;
        }
        if (sent.writeTo(fd, buf, off, len) < 0) {
            int errno = Libc.errno();
            if (errno == Libc.EAGAIN) {
                return false;
            }
            lastErrno = errno;
            transmitErrors++;
        }
        return true;
    }

    /** {@inheritDoc} Poll(2) on the descriptor and the device's eventfd; see {@link PollWaiter}. */
    @Override
    public final void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException {
        waiter.await(wakeup, timeoutMicros, untilWritable);
    }

    /** Returns true once {@link #close} was called. */
    public final boolean isClosed() {
        return closed.get();
    }

    /** Returns how many reads failed for another reason than "nothing waiting"; a snapshot from other threads. */
    public final long receiveErrors() {
        return receiveErrors;
    }

    /** Returns how many frames were lost on transmit: refused by the kernel, or sent after close. */
    public final long transmitErrors() {
        return transmitErrors;
    }

    /** Returns how many received frames were dropped because the caller's array had no room for them. */
    public final long droppedTooLong() {
        return droppedTooLong;
    }

    /** Returns the errno of the last failed read or write, 0 when none failed. */
    public final int lastErrno() {
        return lastErrno;
    }

    /**
     * Closes the descriptor and the eventfd, exactly once (later calls do nothing), after waking a wait in
     * progress. A signal of a wake-up arriving late does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        waiter.close();
        Descriptors.closeQuietly(fd);
    }

    /** For a receive whose read failed: counts it unless it only meant "nothing waiting" (EAGAIN, EINTR). */
    protected final void receiveFailed() {
        int errno = Libc.errno();
        if (errno != Libc.EAGAIN && errno != Libc.EINTR) {
            lastErrno = errno;
            receiveErrors++;
        }
    }

    /** For a receive that dropped a frame the caller's array had no room for. */
    protected final void countTooLong() {
        droppedTooLong++;
    }
}
