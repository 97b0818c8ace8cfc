/**
 * The interface of the smol stack: one Ethernet interface with its IPv4 addresses, ARP cache, routes
 * and statistics, which moves frames between a {@link smol.phy.Device} and the sockets of a
 * {@link smol.socket.SocketSet} when it is polled.
 *
 * <p>The core is deterministic and single-threaded: no threads, no clock, no randomness. Time is a
 * {@code long} of microseconds passed to {@link smol.iface.Interface#poll(long)}, which says when it
 * next needs to run. Nothing is allocated per packet in steady state.
 */
@Export
@Version("0.1.0")
package smol.iface;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
