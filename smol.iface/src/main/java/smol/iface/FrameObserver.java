package smol.iface;

/**
 * Sees every frame an interface receives from its device and every frame it transmits, for capture
 * and tracing. Added and removed at any time with {@link Interface#addObserver} and
 * {@link Interface#removeObserver}.
 *
 * <p>Called on the poll thread, synchronously, while the interface holds the frame in its own buffer:
 * the bytes are valid only during the call and must not be changed; copy what must live longer. An
 * observer should be quick and must not throw (an exception ends the poll that called it).
 */
@FunctionalInterface
public interface FrameObserver {

    /**
     * Called with one whole Ethernet frame: received before the interface processes it, transmitted
     * after the device took it.
     *
     * @param direction {@link FrameDirection#IN} or {@link FrameDirection#OUT}
     * @param buf the interface's buffer holding the frame (read only, valid during the call)
     * @param off where the frame starts in {@code buf}
     * @param len the frame's length in bytes, Ethernet header included, no FCS
     * @param nowMicros the poll's time in microseconds
     */
    void onFrame(FrameDirection direction, byte[] buf, int off, int len, long nowMicros);
}
