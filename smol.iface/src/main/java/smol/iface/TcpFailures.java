package smol.iface;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;

/**
 * Turns the state of a TCP connection that cannot do what the application asked into the
 * {@link IOException} a Java developer expects, with a message that says what happened: reset by the
 * peer, timed out, refused, closed. The socket reports these as states and reasons, never as exceptions;
 * the blocking layer is where they become exceptions.
 */
final class TcpFailures {
    private TcpFailures() {}

    /** True when the connection ended abnormally: a read must not report that as the end of the stream. */
    static boolean endedAbnormally(TcpSocket socket) {
        return switch (socket.closeReason()) {
            case REFUSED, RESET_BY_PEER, ABORTED, TIMEOUT, ADDRESS_REMOVED -> true;
            case NONE, GRACEFUL -> false;
        };
    }

    /** Why an established (or half-closed) connection ended abnormally; the socket has ended. */
    static SocketException ended(TcpSocket socket) {
        return switch (socket.closeReason()) {
            case RESET_BY_PEER -> new SocketException("connection reset by peer " + socket.remoteEndpoint());
            case TIMEOUT -> new SocketException("connection timed out: " + socket.remoteEndpoint()
                    + " stopped acknowledging after " + socket.retryLimit() + " retransmissions");
            case REFUSED -> new ConnectException("connection refused by " + socket.remoteEndpoint());
            case ABORTED -> new SocketException("connection aborted");
            case ADDRESS_REMOVED -> new SocketException("connection reset: the interface gave up its address "
                    + socket.localEndpoint());
            case GRACEFUL -> new SocketException("connection closed");
            case NONE -> new SocketException("not connected (state " + socket.state() + ")");
        };
    }

    /** Why a write cannot queue data in the socket's state (neither connecting nor able to send). */
    static SocketException cannotSend(TcpSocket socket, boolean outputShutdown) {
        if (endedAbnormally(socket)) {
            return ended(socket);
        }
        if (outputShutdown) {
            return new SocketException("socket output is shut down");
        }
        return switch (socket.state()) {
            case FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT ->
                    new SocketException("socket output is shut down (state " + socket.state() + ")");
            default -> socket.closeReason() == TcpCloseReason.GRACEFUL
                    ? new SocketException("connection closed")
                    : new SocketException("not connected (state " + socket.state() + ")");
        };
    }

    /** Why an open attempt ({@code connect} or a passive open) ended without a connection. */
    static SocketException notConnected(TcpSocket socket, String what) {
        return switch (socket.closeReason()) {
            case REFUSED -> new ConnectException(what + ": connection refused");
            case TIMEOUT -> new ConnectException(what + ": timed out after " + socket.retryLimit()
                    + " retransmissions of the SYN");
            case RESET_BY_PEER -> new ConnectException(what + ": reset by peer");
            case ABORTED -> new SocketException(what + ": aborted");
            case ADDRESS_REMOVED -> new SocketException(what + ": the interface gave up the local address");
            case NONE, GRACEFUL -> new SocketException(what + ": not connecting (state " + socket.state()
                    + "); call connect or listen first");
        };
    }

    /** True in the states where the connection is still being opened. */
    static boolean opening(TcpState state) {
        return state == TcpState.LISTEN || state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED;
    }
}
