package smol.socket;

/** Why a socket dropped a packet it was offered or asked to send; each is counted in {@link SocketCounters}. */
public enum SocketDrop {
    /** The receive buffer had no room for the packet or its payload. */
    RX_BUFFER_FULL,
    /**
     * A payload larger than the buffer or the path can ever carry; also a datagram to send that the
     * interface refused as larger than its MTU ({@link smol.socket.driver.SendOutcome#TOO_BIG}).
     */
    PAYLOAD_TOO_LARGE,
    /**
     * A datagram to send that the interface has no route for, or whose source address is not the
     * interface's ({@link smol.socket.driver.SendOutcome#NO_ROUTE}): dropped rather than retried forever.
     */
    NO_ROUTE,
    /** A TCP segment outside the receive window (RFC 793 §3.9 acceptability test). */
    OUT_OF_WINDOW,
    /** A TCP segment that acknowledges data never sent, or otherwise unacceptable in the current state. */
    UNACCEPTABLE,
    /** An out-of-order TCP segment the reassembly buffer had no room for. */
    REASSEMBLY_FULL,
    /** A packet that arrived in a state that cannot take it (closed, listening without SYN). */
    BAD_STATE
}
