/**
 * The sockets of the smol stack: UDP, TCP and ICMP echo sockets with fixed-size buffers, held by a
 * {@link smol.socket.SocketSet} of fixed capacity.
 *
 * <p>Sockets are plain state machines: not thread-safe, no threads, no clock. The interface hands
 * them packets with {@code process…} methods and lets them send through an {@link smol.socket.IpSender}
 * when it polls them, passing the time in microseconds.
 */
@Export
@Version("0.1.0")
package smol.socket;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
