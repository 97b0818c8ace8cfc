/**
 * The interface of the smol stack: one Ethernet interface with its IPv4 addresses, ARP cache, routes
 * and statistics, which moves frames between a {@link smol.phy.Device} and the sockets of a
 * {@link smol.socket.SocketSet} when it is polled; and the runtime that polls it on a thread of its own.
 *
 * <h2>The deterministic core</h2>
 *
 * {@link smol.iface.Interface} is deterministic and single-threaded: no threads, no clock, no randomness.
 * Time is a {@code long} of microseconds passed to {@link smol.iface.Interface#poll(long)}, which says when
 * it next needs to run. Nothing is allocated per packet in steady state.
 *
 * <h2>The threaded runtime</h2>
 *
 * {@link smol.iface.InterfaceRuntime} adds exactly one thread per interface. Its loop, as the contract of
 * {@code smol.phy} describes it: with the lock held, read the clock, poll, wake the application threads
 * whose sockets became ready, run the due readiness callbacks; release the lock; wait on the device (or,
 * with none attached, on the runtime's {@link smol.phy.Wakeup} alone) until the earlier of the interface's
 * and the device's deadlines, a frame, room on the device after a refused frame, or a post of the
 * wake-up; and again.
 *
 * <p><b>The contract that other layers (the OSGi components, applications) build on:</b>
 * <ul>
 *   <li><b>One lock per socket set.</b> The interface, its set and its sockets are guarded by the
 *       runtime's lock: the loop holds it while it polls and runs callbacks, never while it waits; every
 *       operation from another thread takes it ({@link smol.iface.InterfaceRuntime#withSockets},
 *       {@link smol.iface.InterfaceRuntime#withInterface}, attach and detach, every method of
 *       {@link smol.iface.TcpConnection}, {@link smol.iface.UdpEndpoint} and
 *       {@link smol.iface.IcmpEndpoint}). Code that holds a socket directly uses it only inside
 *       {@code withSockets}.</li>
 *   <li><b>Work wakes the loop.</b> Every operation that may have made work (queued data, read data that
 *       opens a window, opened or closed a connection, changed the device, anything inside
 *       {@code withSockets}) posts the runtime's wake-up, so the loop polls again at once; the wake-up
 *       belongs to the runtime and survives device swaps, so no post is lost.</li>
 *   <li><b>Blocking calls</b> (connect, wait for a passive open, read, write, close with a linger, UDP send
 *       and receive, ICMP echo send and receive) park with the lock released until the loop, after a poll
 *       that made the socket ready for them and after releasing the lock, wakes them. Each has a timeout ({@link java.net.SocketTimeoutException}); an
 *       interrupt ends it with {@link java.io.InterruptedIOException}, keeps the thread's interrupt status
 *       and leaves the socket usable; failures are {@link java.io.IOException}s that say what happened.
 *       TCP connections also offer an {@link java.io.InputStream}/{@link java.io.OutputStream} pair.</li>
 *   <li><b>Readiness callbacks</b> run once per arming, on the loop thread, with the lock held; they must
 *       not block. The loop measures each: a slow one and one that throws are counted
 *       ({@link smol.iface.RuntimeStatistics}) and reported with their socket
 *       ({@link smol.iface.RuntimeListener}); neither ends the loop. A blocking call on the loop thread that
 *       would wait throws {@link IllegalStateException} instead.</li>
 *   <li><b>Snapshots are the operators' read path.</b> {@link smol.iface.InterfaceRuntime#snapshot()} copies the
 *       interface ({@link smol.iface.InterfaceSnapshot}: addresses, link, counters, neighbour table), every
 *       socket ({@link smol.socket.SocketSnapshot}) and the loop's statistics in one hold of the lock into an
 *       immutable {@link smol.iface.RuntimeSnapshot}: consistent with each other, readable on any thread,
 *       disturbing the loop no more than any other call. The shell and JMX read these, never the live
 *       counters.</li>
 *   <li><b>Start and stop</b> are idempotent. Stop closes the TCP connections gracefully, gives them up to
 *       the linger (1 s by default) to close both ways, aborts what remains, ends every blocked call with "runtime
 *       stopped", ends the thread, detaches the device and closes it when it is {@link AutoCloseable}.</li>
 * </ul>
 *
 * <p><b>Fault injection and capture are settings of a running interface</b>, changed in place from any
 * thread, no link change and no socket lost (what configuration properties map onto):
 * {@link smol.iface.InterfaceRuntime#faults(smol.phy.FaultConfig)} puts one {@code smol.phy.FaultInjector}
 * between the interface and whatever device is attached, now and after every later attach
 * ({@code FaultConfig.NONE} or null takes it away; its seed is {@link smol.iface.InterfaceRuntime.Builder#faultSeed},
 * random by default); {@link smol.iface.InterfaceRuntime#capture(java.nio.file.Path)} writes every frame in
 * and out to a pcap file through a {@link smol.iface.FrameCapture} observer until
 * {@link smol.iface.InterfaceRuntime#stopCapture()} or the stop closes it; a failing file stops the capture,
 * never the traffic. {@link smol.iface.Interface#device()} is then the injector, and
 * {@link smol.iface.Interface#attachedDevice()} the device attached.
 *
 * <p><b>Accepting connections.</b> {@link smol.iface.InterfaceRuntime#listen} makes a
 * {@link smol.iface.TcpServer}: a listener with a backlog whose connections are reserved in the set, and
 * whose blocking {@link smol.iface.TcpServer#accept} hands each completed connection over as a
 * {@link smol.iface.TcpConnection} of its own, as {@link java.net.ServerSocket} does; it waits until the
 * loop wakes it after a poll that left a connection waiting. A single
 * {@code TcpConnection} can also {@linkplain smol.iface.TcpConnection#listen listen} and
 * {@linkplain smol.iface.TcpConnection#awaitConnected wait} for its one peer, as smoltcp's sockets do.
 *
 * <p><b>Owners and services.</b> {@link smol.iface.InterfaceRuntime#scope(String)} gives one owner (a
 * bundle, a component, a shell session) a {@link smol.iface.SocketSetService}: its sockets, recorded under
 * its name (one open scope per name), closed together — listeners closed, connections reset, every call on
 * them ended with a message naming the owner — while other owners' go on. Inside OSGi each interface
 * component registers two services carrying {@value smol.iface.SocketSetService#INTERFACE_NAME}: the
 * socket-set service, bundle-scoped (each bundle gets a scope named after itself, closed when the bundle
 * releases the service or stops), and an {@link smol.iface.InterfaceService} for operators' tools
 * (snapshots, frame observers), and two JMX beans on the platform MBean server,
 * {@code smol:type=Interface,name=<name>} and {@code smol:type=SocketSet,name=<name>}, read from snapshots
 * and {@link smol.socket.SocketSet#totals()} at each call. Applications depend on the two service types only.
 * The component's configuration (factory PID {@code smol.iface}) and its device binding are described on
 * {@code smol.iface.internal.InterfaceComponent}.
 */
@Export
@Version("0.5.0")
package smol.iface;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
