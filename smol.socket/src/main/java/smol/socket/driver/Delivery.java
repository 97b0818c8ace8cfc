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
    TAKEN_ANSWER_NOW
}
