package smol.phy;

/**
 * The shared part of the devices that wrap another device ({@link FaultInjector}, {@link PcapCapture},
 * {@link Tracer}): the inner device can be replaced while the wrapper lives, so that a wrapper (and its
 * state: counters, capture file, seed) survives a change of device.
 *
 * <p>With no device attached, {@code receive} returns 0, {@code transmit} returns false, {@code await}
 * waits for a wake-up, an {@link #attach} or the timeout, and {@code capabilities} reports those of the
 * last attached device (Ethernet, MTU 1500 before any). {@link #attach} and {@link #detach()} may be
 * called from any thread: a thread waiting in {@code await} on the old device is woken, and the next call
 * uses the new one. A receive or transmit already running finishes on the device it started with.
 *
 * <p>Public so that code holding any wrapper (an OSGi component rebinding its device, a shell) can swap
 * its device; only this package makes subclasses.
 */
public abstract class WrappedDevice implements Device {
    private static final DeviceCapabilities BEFORE_ANY_DEVICE =
            DeviceCapabilities.ethernet(1500, ChecksumCapabilities.ALL);

    private final boolean forceChecksums;
    private final Doorbell detachedBell = new Doorbell();
    private volatile Device device;
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
     * Wraps {@code device} from now on, in place of the current one (which is woken if a thread waits on
     * it, and otherwise left alone: the wrapper does not own it). Safe from any thread.
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
        Device old = this.device;
        this.device = device;
        if (old != null && old != device) {
            old.wakeUp();
        }
        detachedBell.ring();
    }

    /**
     * Stops wrapping the current device and returns it (null when none was attached); a thread waiting
     * on it is woken. Safe from any thread.
     */
    public final Device detach() {
        Device old = device;
        device = null;
        if (old != null) {
            old.wakeUp();
        }
        return old;
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

    /** Waits on the attached device's {@link Device#await}; while detached, for a wake-up, an attach or the timeout. */
    @Override
    public final void await(long timeoutMicros) throws InterruptedException {
        Device d = device;
        if (d != null) {
            d.await(timeoutMicros);
        } else {
            detachedBell.await(timeoutMicros, null);
        }
    }

    /** Wakes a thread waiting in {@link #await}, on the attached device or detached. Safe from any thread. */
    @Override
    public final void wakeUp() {
        Device d = device;
        if (d != null) {
            d.wakeUp();
        }
        detachedBell.ring();
    }
}
