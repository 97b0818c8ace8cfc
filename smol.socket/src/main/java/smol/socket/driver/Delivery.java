package smol.socket.driver;

/** What became of a packet offered to a socket by {@code process…}. */
public enum Delivery {
    /** Not for this socket: untouched; the interface offers it to the next one. */
    DECLINED,
    /** Taken (stored, or dropped and counted by the socket): no other socket is offered it. */
    TAKEN,
    /**
     * Taken, and it calls for an answer at once (RFC 9293: an RST for an unacceptable ACK; RFC 5681
     * §4.2: the ACK of out-of-order data, so that the peer counts duplicates): the interface dispatches
     * the socket now, before it processes the next frame.
     */
    TAKEN_ANSWER_NOW,
    /**
     * For TCP segments: not taken, and not to be answered either. The interface offers it to no other
     * socket, drops it (counted) and sends nothing back, where a segment nobody takes gets an RST. A
     * TCP listener whose backlog is full returns it for a SYN, so that the client retries later instead
     * of being refused (as Linux drops SYNs while a listener's accept queue is full).
     */
    DROPPED
}
