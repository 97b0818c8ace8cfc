package smol.benchmarks;

import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.Wakeup;

/**
 * A device for benchmarks: it delivers the frame given to {@link #feed} once, as a device copies a
 * received frame into the stack's buffer, and keeps a copy of the last frame transmitted (in an array
 * made at creation). Allocates nothing per frame. Single-threaded.
 */
final class FrameFeeder implements Device {
    private final DeviceCapabilities capabilities;
    private final byte[] lastTransmitted;
    private byte[] frame;
    private int frameLength;
    private boolean pending;
    private int lastTransmittedLength;
    private long transmitted;

    FrameFeeder(DeviceCapabilities capabilities) {
        this.capabilities = capabilities;
        this.lastTransmitted = new byte[capabilities.maxFrameLength()];
    }

    /** Makes {@code length} bytes of {@code frame} the next frame received (the array is not copied here). */
    void feed(byte[] frame, int length) {
        this.frame = frame;
        this.frameLength = length;
        this.pending = true;
    }

    /** Returns the array holding the last frame transmitted. */
    byte[] lastTransmitted() {
        return lastTransmitted;
    }

    /** Returns the length of the last frame transmitted, 0 before any. */
    int lastTransmittedLength() {
        return lastTransmittedLength;
    }

    /** Returns how many frames were transmitted. */
    long transmitted() {
        return transmitted;
    }

    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        if (!pending || frameLength > buf.length - off) {
            return 0;
        }
        pending = false;
        System.arraycopy(frame, 0, buf, off, frameLength);
        return frameLength;
    }

    @Override
    public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        System.arraycopy(buf, off, lastTransmitted, 0, len);
        lastTransmittedLength = len;
        transmitted++;
        return true;
    }

    @Override
    public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) {
        // benchmarks never wait
    }
}
