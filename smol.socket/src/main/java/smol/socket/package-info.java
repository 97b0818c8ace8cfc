/**
 * The sockets of the smol stack: UDP, TCP and ICMP echo sockets with fixed-size buffers, held by a
 * {@link smol.socket.SocketSet} of fixed capacity.
 *
 * <p>Sockets are plain state machines: not thread-safe, no threads, no clock. The interface hands
 * them packets with {@code process…} methods and lets them send through an {@link smol.socket.IpSender}
 * when it polls them, passing the time in microseconds.
 *
 * <p>Which socket takes a packet: the interface offers it to the sockets in slot order, the first whose
 * {@code process…} returns true having taken it. TCP listeners ({@link smol.socket.Socket#listensForTcp})
 * come after every other socket, so that a segment reaches the socket of its own 4-tuple (TIME-WAIT
 * included) in whatever slot, and a listener only when no connection claims it (RFC 9293 §3.10.7). A
 * TCP socket in TIME-WAIT that sees a SYN for a new incarnation (RFC 6191) ends TIME-WAIT and declines
 * the SYN, so that a listener takes it; with none, the interface answers with RST.
 *
 * <p>The contract between a socket and its interface ({@link smol.socket.Socket}): every send returns a
 * {@link smol.socket.SendOutcome}, sent or why not, and the reason decides what the socket does and
 * how its timers run:
 * <ul>
 *   <li>the neighbour does not answer ARP (yet): the socket keeps the packet for a later dispatch; a
 *       TCP segment is lost for its retransmission timer, each expiry counting a try, so that a
 *       vanished peer times out after the retry limit;</li>
 *   <li>no route, or too big for the MTU: refused for good; a datagram is dropped and counted, a TCP
 *       segment is booked as lost on the wire and left to the timer;</li>
 *   <li>a busy device, or no device: the packet is kept, no try is counted, the timers are left alone.</li>
 * </ul>
 * After a refusal the interface holds the socket back from dispatch until the reason can have changed
 * (the neighbour's ARP reply or next request, the device taking a frame again or 1 ms, an attach; after
 * a refusal for good, the socket's own deadline), so a socket never makes the poll loop spin. While no
 * device is attached no socket is dispatched and timers hold; the first poll after an attach calls
 * {@link smol.socket.Socket#linkUp} on every socket, and what fell due meanwhile goes out at once,
 * without counting a try. {@link smol.socket.IpSender#mtu()} is the MTU of the device now; TCP sizes
 * its segments for it at every dispatch.
 */
@Export
@Version("0.1.0")
package smol.socket;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
