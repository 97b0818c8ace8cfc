package smol.socket;

/** The states of a TCP connection (RFC 9293 §3.3.2, RFC 793 §3.2), as {@link TcpSocket#state()} reports them. */
public enum TcpState {
    /** No connection: never opened, or ended (see {@link TcpSocket#closeReason()}). */
    CLOSED,
    /** Waiting for a SYN from any remote to the local port (passive open). */
    LISTEN,
    /** Our SYN is sent; waiting for the peer's SYN and its acknowledgement (active open). */
    SYN_SENT,
    /** A SYN was received and our SYN-ACK sent; waiting for the acknowledgement of our SYN. */
    SYN_RECEIVED,
    /** Open: data flows both ways. */
    ESTABLISHED,
    /** We closed; our FIN is queued or sent but not yet acknowledged. */
    FIN_WAIT_1,
    /** We closed and our FIN is acknowledged; waiting for the peer's FIN while still receiving. */
    FIN_WAIT_2,
    /** The peer closed (its FIN arrived); we may still send until we close. */
    CLOSE_WAIT,
    /** Both closed at the same time; waiting for the acknowledgement of our FIN. */
    CLOSING,
    /** The peer closed first, then we did; waiting for the acknowledgement of our FIN. */
    LAST_ACK,
    /** Both sides closed; lingering to acknowledge a retransmitted FIN before {@link #CLOSED}. */
    TIME_WAIT
}
