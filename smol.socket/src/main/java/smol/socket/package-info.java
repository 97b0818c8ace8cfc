/**
 * The sockets of the smol stack, as applications use them: UDP, TCP and ICMP echo sockets with
 * fixed-size buffers, held by a {@link smol.socket.SocketSet} of fixed capacity under
 * {@link smol.socket.SocketHandle}s that never alias.
 *
 * <p>Sockets are plain state machines: not thread-safe, no threads, no clock. Their public methods
 * are the application's operations (open, send, receive, close, and what to read about them);
 * creating one needs nothing but its buffers. Everything a socket needs from its interface (the time,
 * the MTU of the device now, the ISN generator) reaches it while the interface polls it, through the
 * contract of {@link smol.socket.driver}, which applications never need.
 *
 * <p>Receiving means the same on every socket: {@code recv} returns a positive number when something was
 * received (TCP: the bytes read; UDP: 1 datagram, into a reusable {@link smol.socket.UdpDatagram} that
 * carries its sender; ICMP: 1 reply or error, into an {@link smol.socket.EchoReply}), 0 when nothing has
 * arrived yet, and -1 when no more will come (TCP: the end of the stream, or the connection ended; UDP
 * and ICMP: the socket is closed, or was never bound). None of them allocates.
 *
 * <p>Network events are states and results, never exceptions: a TCP connection that was reset or timed
 * out says so through its state and {@link smol.socket.TcpCloseReason}; a datagram that cannot be
 * queued says why through {@link smol.socket.SendResult}. Exceptions mean misuse (a bad argument, an
 * operation the state does not allow), and their messages name what was wrong.
 *
 * <p>Serving TCP: {@link smol.socket.SocketSet#listen} makes a {@link smol.socket.TcpListener} with a
 * backlog, as a {@code java.net.ServerSocket}: it reserves as many slots of the set as its backlog, each
 * a TCP socket that takes one connection, completes its handshake while the application is busy and
 * keeps what the peer sends until {@link smol.socket.TcpListener#accept} hands it over as a socket of
 * its own; accept then puts a new listening socket in a free slot, the only allocation, on the
 * application's thread. Nothing is allocated per SYN: a flood finds the reserve and no more. While the
 * backlog is full, SYNs are dropped unanswered (counted), so that clients retry rather than being
 * refused; closing the listener aborts, with RST, what was not accepted, and frees its slots. A plain
 * {@link smol.socket.TcpSocket#listen} still makes one socket that becomes the connection itself (as
 * smoltcp).
 *
 * <p>Counters say what they cover: a socket's {@code counters()} its whole life, a TCP socket's
 * {@code connectionCounters()} the current connection.
 *
 * <p>Operators read the set through {@link smol.socket.SocketSet#snapshot()}: a
 * {@link smol.socket.SocketSnapshot} per socket (kind, state, owner, endpoints, queues, counters), immutable
 * copies taken at one instant. Taken under the lock that guards the set, they are the thread-safe way to
 * read sockets and counters while the interface polls: the live objects are for the poll thread and the
 * lock's holders only.
 */
@Export
@Version("0.5.0")
package smol.socket;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
