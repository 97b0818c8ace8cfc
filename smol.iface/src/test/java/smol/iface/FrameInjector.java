package smol.iface;

import java.util.ArrayDeque;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.Wakeup;

/**
 * A test device in front of another that also delivers frames queued with {@link #inject}, before
 * those of the device behind it, as if a third host on the link sent them (a spoofer, a flood).
 * Transmitted frames go to the device behind.
 */
final class FrameInjector implements Device {
    private final Device inner;
    private final ArrayDeque<byte[]> injected = new ArrayDeque<>();

    FrameInjector(Device inner) {
        this.inner = inner;
    }

    /** Queues a frame for the interface to receive. */
    void inject(byte[] frame) {
        injected.add(frame.clone());
    }

    /** Returns how many injected frames the interface has not received yet. */
    int waiting() {
        return injected.size();
    }

    @Override
    public DeviceCapabilities capabilities() {
        return inner.capabilities();
    }

    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        byte[] frame = injected.poll();
        if (frame == null) {
            return inner.receive(buf, off, nowMicros);
        }
        System.arraycopy(frame, 0, buf, off, frame.length);
        return frame.length;
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
