package smol.socket.driver;

/**
 * What a socket needs from the interface that polls it, handed to every {@link DrivenSocket} call that
 * may send or start a connection: the time, the way out (with the MTU of the device in use now), and
 * the generator of initial sequence numbers, whose secret belongs to the interface. A socket keeps
 * none of it between calls, so that creating one needs nothing but its buffers.
 */
public interface PollContext {

    /** Returns the time of the current poll, in microseconds on the interface's clock. */
    long nowMicros();

    /** Returns where the socket sends: routes, resolves and emits (see {@link IpSender}). */
    IpSender sender();

    /** Returns the interface's ISN generator (RFC 6528), for the SYN of a new connection. */
    InitialSequence initialSequence();
}
