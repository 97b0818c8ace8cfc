package smol.iface;

import smol.socket.IcmpSocket;
import smol.socket.UdpSocket;

/**
 * One owner's sockets on one interface: what an application asks for TCP, UDP and ICMP echo sockets, inside OSGi as
 * the socket-set service that each interface component registers, outside it from
 * {@link InterfaceRuntime#scope(String)}.
 *
 * <p>Every socket it opens is recorded in the interface's socket set under the owner's name (the
 * {@code owner} column of the snapshots), the connections a {@link #listen listener} hands over too.
 * {@link #close()} ends them all at once: listeners closed, TCP connections aborted (an RST to each
 * peer), UDP and ICMP sockets closed; every call blocked on one of them ends with a {@link java.net.SocketException}
 * saying that the owner's sockets were closed, and so does every later call on their objects. Inside OSGi
 * the service is bundle-scoped: each bundle gets its own, named after the bundle, and the framework
 * closes it when the bundle releases the service or stops.
 *
 * <p>Thread-safety: every method is safe from any thread; the sockets' own objects say what they promise.
 */
public interface SocketSetService extends AutoCloseable {
    /** The service property naming the interface ({@code String}), for a target filter such as {@code (smol.interface.name=eth0)}. */
    String INTERFACE_NAME = "smol.interface.name";

    /** Returns the name of the interface whose sockets these are. */
    String interfaceName();

    /** Returns the owner's name, under which the set records these sockets. */
    String owner();

    /**
     * Opens a TCP socket with rings of {@code rxBytes} and {@code txBytes}, to connect with.
     *
     * @throws IllegalStateException when closed, or the set is full
     * @throws IllegalArgumentException when a size is below 1
     */
    TcpConnection tcp(int rxBytes, int txBytes);

    /**
     * Listens on {@code port} of every address of the interface, as {@link InterfaceRuntime#listen}; the
     * connections the server hands over are the owner's too.
     *
     * @throws IllegalStateException when closed, the set has no room for the backlog, or the port is taken
     * @throws IllegalArgumentException for a port of 0, or a backlog or ring below 1
     */
    TcpServer listen(int port, int backlog, int rxBytes, int txBytes);

    /**
     * Adds the UDP socket {@code socket} (with the buffers it was made with) and returns it as an endpoint;
     * the socket belongs to the runtime from now on.
     *
     * @throws IllegalStateException when closed, or the set is full
     * @throws IllegalArgumentException when the socket is null or already in the set
     */
    UdpEndpoint udp(UdpSocket socket);

    /**
     * Adds the ICMP echo socket {@code socket} (with the buffers it was made with) and returns it as an
     * endpoint, to send echo requests and receive their replies (a ping); the socket belongs to the runtime
     * from now on.
     *
     * @throws IllegalStateException when closed, or the set is full
     * @throws IllegalArgumentException when the socket is null or already in the set
     */
    IcmpEndpoint icmp(IcmpSocket socket);

    /** Returns true once closed, by {@link #close()} or by the stop of the interface's runtime. */
    boolean isClosed();

    /** Ends every socket of the owner at once and refuses new ones (see the class description); idempotent. */
    @Override
    void close();
}
