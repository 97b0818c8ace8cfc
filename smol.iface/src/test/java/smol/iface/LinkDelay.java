package smol.iface;

import java.util.ArrayDeque;
import java.util.Arrays;
import smol.phy.Device;

/**
 * A test device in front of a cable end that gives the link one hop of latency: what the interface
 * transmits waits here until {@link #release}, which {@link TwoStacks} calls once per round after both
 * interfaces polled. So both ends' frames of one round cross on the wire, as on a real link, instead of
 * the second end polled seeing the first end's frames at once. Holds at most {@code capacity} frames;
 * a transmit beyond that is refused as a full queue would. Receives straight from the wrapped device.
 */
final class LinkDelay extends DeviceInFront {
    private final int capacity;
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();

    LinkDelay(Device inner, int capacity) {
        super(inner);
        this.capacity = capacity;
    }

    /** Hands the held frames to the wrapped device, in order, as far as it takes them. */
    void release(long nowMicros) {
        while (!held.isEmpty()) {
            byte[] frame = held.peek();
            if (!inner.transmit(frame, 0, frame.length, nowMicros)) {
                return;
            }
            held.poll();
        }
    }

    /** Returns how many transmitted frames wait for the next {@link #release}. */
    int holding() {
        return held.size();
    }

    @Override
    public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        if (held.size() >= capacity) {
            return false;
        }
        held.add(Arrays.copyOfRange(buf, off, off + len));
        return true;
    }
}
