/**
 * How an interface drives the sockets it polls: the contract between {@code smol.iface} (or any other
 * interface) and the sockets of {@code smol.socket}. Applications never need it.
 *
 * <p><b>Polling.</b> The interface gets each socket's {@link smol.socket.driver.DrivenSocket} from the
 * socket set ({@code SocketSet.driver(slot)}) and hands it a {@link smol.socket.driver.PollContext} at
 * every call that may send or open a connection: the time of the poll, the
 * {@link smol.socket.driver.IpSender} (with {@link smol.socket.driver.IpSender#mtu()}, the MTU of the
 * device now, from which TCP sizes its segments at every dispatch) and the interface's
 * {@link smol.socket.driver.InitialSequence} (RFC 6528; its secret belongs to the interface).
 *
 * <p><b>Which socket takes a packet.</b> The interface offers it to the sockets in slot order; the first
 * that does not decline it ({@link smol.socket.driver.Delivery}) has taken it. TCP listeners
 * ({@link smol.socket.driver.DrivenSocket#listensForTcp}) come after every other socket, so that a
 * segment reaches the socket of its own 4-tuple (TIME-WAIT included) in whatever slot, and a listener
 * only when no connection claims it (RFC 9293 §3.10.7). A TCP socket in TIME-WAIT that sees a SYN for a
 * new incarnation (RFC 6191) ends TIME-WAIT and declines the SYN, so that a listener takes it; with
 * none, the interface answers with RST. A listener whose backlog is full has one of its connections
 * stand in for it (its {@code listensForTcp} is true while it holds a connection): it takes its own
 * segments, and returns {@link smol.socket.driver.Delivery#DROPPED} for a SYN to the listener, which the
 * interface drops, counted, without an answer, so that the client retries rather than being refused.
 * A socket never sends while it processes a packet: an answer due at once is returned as
 * {@link smol.socket.driver.Delivery#TAKEN_ANSWER_NOW} and the interface dispatches that socket before
 * it processes the next frame.
 *
 * <p><b>Refused sends.</b> Every send returns a {@link smol.socket.driver.SendOutcome}, sent or why not,
 * and the reason decides what the socket does and how its timers run:
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
 * {@link smol.socket.driver.DrivenSocket#linkUp} on every socket, and what fell due meanwhile goes out
 * at once, without counting a try.
 */
@Export
@Version("0.2.0")
package smol.socket.driver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
