package smol.iface;

/** Which way a frame a {@link FrameObserver} sees was going. */
public enum FrameDirection {
    /** Received from the device. */
    IN,
    /** Transmitted to the device. */
    OUT
}
