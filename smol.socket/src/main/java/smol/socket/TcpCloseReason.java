package smol.socket;

/** Why a TCP connection ended, as {@link TcpSocket#closeReason()} reports it. */
public enum TcpCloseReason {
    /** The connection has not ended (or never started). */
    NONE,
    /** Both sides closed with FINs that were acknowledged: the normal end. */
    GRACEFUL,
    /** The peer answered our SYN with RST: nobody listens at the remote endpoint. */
    REFUSED,
    /** The peer reset the established connection (RST). */
    RESET_BY_PEER,
    /** The application aborted the connection ({@link TcpSocket#abort()}), which sent RST. */
    ABORTED,
    /** A segment was retransmitted the retry limit times without acknowledgement. */
    TIMEOUT,
    /** The interface gave up the connection's local address; an RST told the peer. */
    ADDRESS_REMOVED
}
