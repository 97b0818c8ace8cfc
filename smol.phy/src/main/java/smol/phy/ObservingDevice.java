package smol.phy;

/**
 * A wrapper that passes every frame through unchanged and shows it to {@link #observe} on the way:
 * each frame received, and each frame transmitted that the wrapped device took. The shared part of
 * {@link PcapCapture} and {@link Tracer}.
 *
 * <p>Public for the same reason as {@link WrappedDevice}; only this package makes subclasses.
 */
public abstract class ObservingDevice extends WrappedDevice {

    ObservingDevice(Device device) {
        super(device, false);
    }

    /** Receives from the wrapped device (0 while detached) and observes the frame. */
    @Override
    public final int receive(byte[] buf, int off, long nowMicros) {
        Device d = device();
        if (d == null) {
            return 0;
        }
        int len = d.receive(buf, off, nowMicros);
        if (len > 0) {
            observe(false, nowMicros, buf, off, len);
        }
        return len;
    }

    /** Transmits through the wrapped device (false while detached) and observes the frame when it was taken. */
    @Override
    public final boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        Device d = device();
        if (d == null) {
            return false;
        }
        boolean sent = d.transmit(buf, off, len, nowMicros);
        if (sent) {
            observe(true, nowMicros, buf, off, len);
        }
        return sent;
    }

    /** Sees one frame: {@code transmitted} false for a received frame; the bytes are valid during the call only. */
    abstract void observe(boolean transmitted, long nowMicros, byte[] buf, int off, int len);
}
