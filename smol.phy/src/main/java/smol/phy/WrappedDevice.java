package smol.phy;

/**
 * The shared part of the devices that wrap another device ({@link FaultInjector}, {@link PcapCapture},
 * {@link Tracer}): the inner device can be replaced while the wrapper lives, so that a wrapper (and its
 * state: counters, capture file, seed) survives a change of device.
 *
 * <p>With no device attached, {@code receive} returns 0, {@code transmit} returns false, {@code pollAt}
 * reports nothing due, {@code await} waits for a wake-up, an {@link #attach} or the timeout, and
 * {@code capabilities} reports those of the last attached device (Ethernet, MTU 1500 before any).
 * {@link #attach} and {@link #detach()} may be called from any thread: they post the {@link Wakeup} that
 * the last {@code await} was given, so that a thread waiting on the old device (or on none) returns and
 * the next call uses the new one; the runtime's wake-up, not the device, carries the news, so it is not
 * lost when no thread waits at that moment. A receive or transmit already running finishes on the device
 * it started with.
 *
 * <p>Public so that code holding any wrapper (an OSGi component rebinding its device, a shell) can swap
 * its device; only this package makes subclasses.
 */
public abstract class WrappedDevice implements Device {
    private static final DeviceCapabilities BEFORE_ANY_DEVICE =
            DeviceCapabilities.ethernet(1500, ChecksumCapabilities.ALL);

    private final boolean forceChecksums;
    private volatile Device device;
    /** The wake-up of the last wait: posted when the device changes, so that the waiting loop sees it. */
    private volatile Wakeup lastWakeup;
    private volatile DeviceCapabilities capabilities = BEFORE_ANY_DEVICE;

    /**
     * @param device the device to wrap, or null to start detached
     * @param forceChecksums report {@link ChecksumCapabilities#ALL} whatever the device says
     */
    WrappedDevice(Device device, boolean forceChecksums) {
        this.forceChecksums = forceChecksums;
        if (device != null) {
            attach(device);
        }
    }

    /**
     * Wraps {@code device} from now on, in place of the current one (which is left alone: the wrapper
     * does not own it), and wakes the thread waiting on the wrapper. Safe from any thread.
     *
     * @throws IllegalArgumentException when {@code device} is null or would make the wrapper wrap itself
     */
    public final void attach(Device device) {
        if (device == null) {
            throw new IllegalArgumentException("device must be given (use detach() to remove it)");
        }
        for (Device d = device; d instanceof WrappedDevice w; d = w.device) {
            if (d == this) {
                throw new IllegalArgumentException("a wrapper cannot wrap itself: " + device);
            }
        }
        DeviceCapabilities inner = device.capabilities();
        capabilities = forceChecksums && !inner.checksums().equals(ChecksumCapabilities.ALL)
                ? new DeviceCapabilities(inner.medium(), inner.mtu(), ChecksumCapabilities.ALL)
                : inner;
        this.device = device;
        wakeWaiter();
    }

    /**
     * Stops wrapping the current device and returns it (null when none was attached); the thread waiting
     * on the wrapper is woken. Safe from any thread.
     */
    public final Device detach() {
        Device old = device;
        device = null;
        wakeWaiter();
        return old;
    }

    /**
     * Posts the wake-up of the last wait, so that the loop waiting on this wrapper polls again: its device
     * or configuration changed. Any thread; does nothing before the first wait.
     */
    final void wakeWaiter() {
        // Read after the change was published; await publishes its wake-up before reading the device, so
        // either it sees the change or we see its wake-up.
        Wakeup w = lastWakeup;
        if (w != null) {
            w.post();
        }
    }

    /** Returns what the wrapped device says of the last frame received; {@code UNKNOWN} while detached. */
    @Override
    public ReceivedChecksum receivedChecksum() {
        Device d = device;
        return d == null ? ReceivedChecksum.UNKNOWN : d.receivedChecksum();
    }

    /** Returns what the wrapped device says of the last frame received; false while detached. */
    @Override
    public boolean receivedOutgoing() {
        Device d = device;
        return d != null && d.receivedOutgoing();
    }

    /** Returns the device wrapped now, or null when detached. */
    public final Device device() {
        return device;
    }

    /**
     * Returns the attached device's capabilities (with every checksum forced on for a fault injector);
     * while detached, the last attached device's.
     */
    @Override
    public final DeviceCapabilities capabilities() {
        return capabilities;
    }

    /** Returns the attached device's {@link Device#pollAt}; {@link Long#MAX_VALUE} while detached. */
    @Override
    public long pollAt(long nowMicros) {
        Device d = device;
        return d == null ? Long.MAX_VALUE : d.pollAt(nowMicros);
    }

    /**
     * Waits on the attached device's {@link Device#await}; while detached, on {@code wakeup} alone, which
     * an {@link #attach} posts. Remembers {@code wakeup} to post it when the device changes.
     */
    @Override
    public final void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException {
        if (wakeup == null) {
            throw new NullPointerException("wakeup");
        }
        lastWakeup = wakeup;
        // Read after publishing the wake-up: an attach or detach meanwhile is either seen here or posts it.
        Device d = device;
        if (d != null) {
            d.await(wakeup, timeoutMicros, (untilWritable && refusedByDevice()) || waitsForRoom());
        } else {
            wakeup.await(timeoutMicros);
        }
    }

    /**
     * Returns true when a refused transmit waits for the wrapped device to take frames again; false when
     * the wrapper itself refused it, for a reason that time lifts ({@link #pollAt}), not the device.
     */
    boolean refusedByDevice() {
        return true;
    }

    /**
     * Returns true when the wrapper itself holds a frame that the wrapped device refused, so that a wait
     * must also end when the device can take frames again, whether or not the caller had one refused.
     */
    boolean waitsForRoom() {
        return false;
    }
}
