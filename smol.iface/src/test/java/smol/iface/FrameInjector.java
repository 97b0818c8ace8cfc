package smol.iface;

import java.util.ArrayDeque;
import smol.phy.Device;

/**
 * A test device in front of another that also delivers frames queued with {@link #inject}, before
 * those of the device behind it, as if a third host on the link sent them (a spoofer, a flood).
 * Transmitted frames go to the device behind.
 */
final class FrameInjector extends DeviceInFront {
    private final ArrayDeque<byte[]> injected = new ArrayDeque<>();

    FrameInjector(Device inner) {
        super(inner);
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
    public int receive(byte[] buf, int off, long nowMicros) {
        byte[] frame = injected.poll();
        if (frame == null) {
            return inner.receive(buf, off, nowMicros);
        }
        System.arraycopy(frame, 0, buf, off, frame.length);
        return frame.length;
    }
}
