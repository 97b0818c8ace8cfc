package smol.iface;

/**
 * What an interface offers operators and their tools (a shell command, a capture, a management bean)
 * besides sockets: its name, consistent snapshots, and frame observers. Inside OSGi each interface
 * component registers one, with the {@link SocketSetService#INTERFACE_NAME} property; outside it,
 * {@link InterfaceRuntime} is one. Safe from any thread.
 */
public interface InterfaceService {
    /** Returns the interface's name. */
    String name();

    /** Returns the runtime, its interface and every socket as they are now, in one immutable record. */
    RuntimeSnapshot snapshot();

    /**
     * Adds {@code observer}, which from the next frame on sees every frame the interface receives and
     * transmits, on the runtime's loop thread, with the lock held (see {@link FrameObserver}: it must be
     * quick, and must copy what it keeps).
     */
    void addObserver(FrameObserver observer);

    /** Removes {@code observer}; returns false when it was not added. After it returns, no call is under way. */
    boolean removeObserver(FrameObserver observer);
}
