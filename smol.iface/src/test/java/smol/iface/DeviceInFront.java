package smol.iface;

import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.Wakeup;

/**
 * The shared part of the test devices put in front of another ({@link LinkDelay}, {@link CutLink},
 * {@link SmallerMtu}, {@link FrameInjector}, a lossy link): everything is forwarded to the device behind,
 * and {@link #await} returns at once, since the deterministic tests never wait. A subclass overrides
 * only what it changes.
 */
abstract class DeviceInFront implements Device {
    /** The device behind; set by the constructor, or later by a test that builds the front first. */
    Device inner;

    DeviceInFront(Device inner) {
        this.inner = inner;
    }

    @Override
    public DeviceCapabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        return inner.receive(buf, off, nowMicros);
    }

    @Override
    public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        return inner.transmit(buf, off, len, nowMicros);
    }

    @Override
    public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) {
        // the deterministic tests never wait
    }
}
