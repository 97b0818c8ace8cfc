package smol.socket;

/** What a socket of a {@link SocketSet} is, as {@link SocketSnapshot#kind()} reports it. */
public enum SocketKind {
    /** A {@link TcpSocket} of the application's own: a connection, or a plain {@link TcpSocket#listen}. */
    TCP,
    /**
     * A {@link TcpSocket} of a {@link TcpListener}'s reserve: listening, or holding a connection that
     * {@link TcpListener#accept} has not handed over yet (its state says which).
     */
    TCP_LISTENER,
    /** A {@link UdpSocket}. */
    UDP,
    /** An {@link IcmpSocket}. */
    ICMP,
    /** A socket of another kind: a subclass of {@link Socket} that is none of the above. */
    OTHER
}
