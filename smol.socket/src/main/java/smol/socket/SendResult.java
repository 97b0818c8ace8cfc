package smol.socket;

/**
 * What became of a datagram handed to {@link UdpSocket#send} or an echo request handed to
 * {@link IcmpSocket#sendEcho}: queued, or why not. These are conditions of normal operation, so
 * they are values, not exceptions; nothing is queued unless the result is {@link #OK}.
 */
public enum SendResult {
    /** Queued; it leaves on a later poll. */
    OK,
    /** The transmit buffer has no free slot or no room for the payload now; try again after a poll. */
    BUFFER_FULL,
    /** The payload is larger than the transmit buffer's payload area or than an IPv4 packet can carry. */
    PAYLOAD_TOO_LARGE,
    /** The socket is not bound. */
    NOT_BOUND,
    /** The destination address is unspecified (0.0.0.0) or, for UDP, the destination port is 0. */
    BAD_DESTINATION
}
