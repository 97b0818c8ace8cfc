package smol.phy.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import smol.phy.Wakeup;

/**
 * The wait of a native device, as the {@code smol.phy} package description defines it: poll(2) on the
 * device's descriptor ({@code POLLIN}, and {@code POLLOUT} too when the wait is {@code untilWritable}) and on
 * an eventfd of its own, which the {@link Wakeup.Signal} it arms writes 1 to.
 *
 * <p>A device makes one when it opens and calls {@link #await} from its {@code Device.await}. The
 * timeout is rounded up to whole milliseconds (so that a short wait does not become a busy loop); after
 * poll returns, the eventfd is drained. An interrupt cannot end poll(2): the thread's interrupt status is
 * checked before and after. Nothing is allocated by a wait or a signal.
 *
 * <p>Closing: {@link #close()} closes the eventfd exactly once, under the same lock that {@link #signal()}
 * takes to write to it, after setting a closed flag that the signal checks: a late signal (from a post that
 * read the signal just before the wait disarmed it, even while the device closes) does nothing, and never
 * writes to a closed descriptor, or to a number the process has since reused for another file. The device's
 * own descriptor is the device's: this class never closes it.
 *
 * <p>Thread-safety: one thread waits at a time (the device's caller); {@link #signal()} and {@link #close()}
 * are safe from any thread.
 */
public final class PollWaiter implements Wakeup.Signal, AutoCloseable {
    private static final long ONE_BYTE_COUNT = 8; // an eventfd reads and writes a 64-bit counter

    private final int deviceFd;
    private final int eventFd;
    /** Two struct pollfd: the device's descriptor, then the eventfd. */
    private final Memory pollFds = new Memory(2L * Libc.POLLFD_SIZE);
    private final long pollFdsAddress = Pointer.nativeValue(pollFds);
    /** The 64-bit 1 that a signal writes; only read by the kernel, so shared by concurrent signals. */
    private final Memory one = new Memory(ONE_BYTE_COUNT);
    private final long oneAddress = Pointer.nativeValue(one);
    /** Where a drain reads the counter to; used only by the waiting thread. */
    private final Memory drained = new Memory(ONE_BYTE_COUNT);
    private final long drainedAddress = Pointer.nativeValue(drained);
    private final Object lock = new Object();
    private boolean closed; // guarded by lock

    /**
     * Makes the waiter for {@code deviceFd}, with an eventfd of its own (non-blocking, close-on-exec).
     *
     * @throws ErrnoException when the eventfd cannot be made (out of descriptors)
     */
    public PollWaiter(int deviceFd) throws ErrnoException {
        this.deviceFd = deviceFd;
        this.eventFd = Libc.eventfd(0, Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (eventFd < 0) {
            throw ErrnoException.last("eventfd");
        }
        one.setLong(0, 1L);
        pollFds.setInt(0, deviceFd);
        pollFds.setInt(Libc.POLLFD_SIZE, eventFd);
        pollFds.setShort(Libc.POLLFD_SIZE + Libc.POLLFD_EVENTS, Libc.POLLIN);
    }

    /**
     * Waits as {@code smol.phy.Device#await} describes: returns when the device's descriptor is readable (or
     * writable, with {@code untilWritable}), reports an error or hang-up, {@code wakeup} is posted (or was
     * already: then at once, without blocking), or {@code timeoutMicros} pass (0: at once; negative: no
     * limit). May return early (a signal from an earlier wait, an interrupted poll); the caller polls again.
     *
     * <p>Once the waiter is closed, waits as {@link Wakeup#await(long)} does (for the timeout or a post), as
     * the runtime does with no device: a closed device never makes its caller spin.
     *
     * @throws InterruptedException when the thread is interrupted before or during the wait
     * @throws IllegalStateException when poll(2) fails for another reason than EINTR
     */
    public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (isClosed()) {
            // A closed device waits as the runtime does with no device: for the timeout or a post.
            wakeup.await(timeoutMicros);
            return;
        }
        if (!wakeup.arm(this)) {
            return; // a post was pending: it is consumed, and the caller polls at once
        }
        int ready;
        int failure = 0;
        try {
            pollFds.setShort(Libc.POLLFD_EVENTS, untilWritable ? (short) (Libc.POLLIN | Libc.POLLOUT) : Libc.POLLIN);
            ready = Libc.poll(pollFdsAddress, 2, timeoutMillis(timeoutMicros));
            if (ready < 0) {
                failure = Libc.errno();
            }
        } finally {
            wakeup.disarm();
        }
        if (ready > 0 && (pollFds.getShort(Libc.POLLFD_SIZE + Libc.POLLFD_REVENTS) & Libc.POLLIN) != 0) {
            drain();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (ready < 0 && failure != Libc.EINTR) {
            throw new IllegalStateException("poll on descriptor " + deviceFd + " and eventfd " + eventFd
                    + " failed: " + Libc.describe(failure) + (isClosed() ? " (the device is closed)" : ""));
        }
    }

    /** Returns the poll events the device's descriptor reported in the last wait ({@code POLLIN}, ...). */
    public int deviceEvents() {
        return pollFds.getShort(Libc.POLLFD_REVENTS);
    }

    /**
     * Rounds {@code timeoutMicros} up to whole milliseconds for poll(2): -1 (no limit) for a negative
     * timeout, at most {@link Integer#MAX_VALUE}.
     */
    public static int timeoutMillis(long timeoutMicros) {
        if (timeoutMicros < 0) {
            return -1;
        }
        long millis = timeoutMicros / 1000 + (timeoutMicros % 1000 == 0 ? 0 : 1);
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    /**
     * Writes 1 to the eventfd, ending the current poll (or the next one at once); does nothing once the
     * waiter is closed. Safe from any thread; never blocks (the eventfd is non-blocking); allocates nothing.
     */
    @Override
    public void signal() {
        synchronized (lock) {
            if (!closed) {
                // EAGAIN only when the counter would overflow: it is then non-zero, so the wait ends anyway.
                Libc.write(eventFd, oneAddress, ONE_BYTE_COUNT);
            }
        }
    }

    /** Returns the eventfd, for tests and for counting descriptors. */
    public int eventFd() {
        return eventFd;
    }

    /** Returns true once {@link #close()} has run. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /**
     * Closes the eventfd, exactly once, after waking a wait that may still be blocked on it; later signals
     * do nothing, and later waits wait as {@link Wakeup#await(long)} does.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            // Wake a wait still blocked in poll(2) (closing a descriptor does not end a poll on it): it
            // returns, and a wait after this one sees the closed flag.
            Libc.write(eventFd, oneAddress, ONE_BYTE_COUNT);
            closed = true;
            Libc.close(eventFd);
        }
        // The native memory (a few bytes) is left to the collector: a wait still running on another thread
        // (a misuse, but not one that may corrupt memory) keeps using it until it returns.
    }

    private void drain() {
        // Non-blocking: EAGAIN when a concurrent wait already drained it, which is harmless.
        Libc.read(eventFd, drainedAddress, ONE_BYTE_COUNT);
    }

    @Override
    public String toString() {
        return "poll(fd " + deviceFd + ", eventfd " + eventFd + (isClosed() ? ", closed" : "") + ")";
    }
}
