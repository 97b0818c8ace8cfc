package smol.examples;

import java.io.IOException;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.SocketSetService;
import smol.iface.TcpConnection;
import smol.iface.TcpServer;
import smol.iface.UdpEndpoint;
import smol.phy.Device;
import smol.socket.SocketSet;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Cidr;

/**
 * smoltcp's server example, written on the threaded runtime as an application would: the interface
 * itself answers ping; UDP port 6969 answers every datagram with "yo dawg"; TCP port 6969 answers each
 * chunk it receives reversed, newlines removed, plus "\n", with 64-byte buffers. One thread serves UDP,
 * one accepts, and one serves each TCP connection.
 *
 * <p>It takes its sockets from a {@link SocketSetService}, so the same code runs on a plain class path
 * ({@link InterfaceRuntime#scope}) and inside OSGi (the socket-set service of an interface component).
 * {@link #close} stops serving: the listener and the UDP socket close and the connections being served are
 * aborted; closing the socket-set service, or stopping the runtime, ends them too. The threads end by
 * themselves once their sockets are closed. Thread-safe.
 */
public final class Server implements AutoCloseable {
    /** The port of both services, as smoltcp's example. */
    public static final int PORT = 6969;
    /** The TCP ring size, as smoltcp's example: 64 bytes each way. */
    public static final int BUFFER_BYTES = 64;

    private final UdpEndpoint udp;
    private final TcpServer tcp;
    /** The connections being served, so that {@link #close} can end them. */
    private final Set<TcpConnection> served = ConcurrentHashMap.newKeySet();
    /** Set by {@link #close}: a connection accepted meanwhile is aborted by the accepting thread. */
    private volatile boolean closed;

    /**
     * Starts serving on {@link #PORT} of the interface of {@code sockets}; see {@link #Server(SocketSetService, int)}.
     *
     * @throws SocketException when the port is taken or the runtime stopped
     * @throws RuntimeException as {@link SocketSetService#listen}: when {@code sockets} is closed, its set has
     *     no room, or the TCP port is taken
     */
    public Server(SocketSetService sockets) throws SocketException {
        this(sockets, PORT);
    }

    /**
     * Starts serving on {@code port} (1..65535) of the interface of {@code sockets}: binds UDP {@code port},
     * listens on TCP {@code port} with a backlog of 4, and starts the serving threads. The sockets are
     * the owner's of {@code sockets}; the server does not close {@code sockets} itself (so when this
     * throws, a socket it opened already stays the owner's until {@code sockets} closes).
     *
     * @throws SocketException when the UDP port is taken or the runtime stopped
     * @throws RuntimeException as {@link SocketSetService#listen}: when {@code sockets} is closed, its set has
     *     no room, or a TCP port is taken
     * @throws IllegalArgumentException for a port out of 1..65535
     */
    public Server(SocketSetService sockets, int port) throws SocketException {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be within 1..65535, not " + port);
        }
        // README-BEGIN
        udp = sockets.udp(new UdpSocket(4, 1024, 4, 1024));
        udp.bind(port);
        tcp = sockets.listen(port, 4, BUFFER_BYTES, BUFFER_BYTES);
        start("server-udp", () -> {
            UdpDatagram datagram = new UdpDatagram(1024);
            byte[] answer = "yo dawg".getBytes();
            while (true) {
                udp.receive(datagram);
                udp.send(datagram.source(), answer, 0, answer.length);
            }
        });
        start("server-tcp", () -> {
            while (true) {
                TcpConnection connection = tcp.accept();
                start("server-tcp " + connection.remoteEndpoint(), () -> serve(connection));
            }
        });
        // README-END
    }

    /**
     * Runs the server on {@code device} as smoltcp's example does: MAC 02-00-00-00-00-01, IPv4
     * 192.168.69.1/24, its interface on a runtime thread of its own. Returns the runtime; stopping it
     * ends the server.
     *
     * @throws SocketException when the runtime could not take the server's sockets
     */
    public static InterfaceRuntime run(Device device) throws SocketException {
        // README-BEGIN
        Interface iface = new Interface(InterfaceConfig.builder()
                .mac(EthernetAddress.parse("02-00-00-00-00-01"))
                .address(Ipv4Cidr.parse("192.168.69.1/24"))
                .build(), new SocketSet(16));
        InterfaceRuntime runtime = InterfaceRuntime.builder(iface).name("server").build();
        runtime.attach(device);
        runtime.start();
        new Server(runtime.scope("server"));
        // README-END
        return runtime;
    }

    /** Serves {@code connection} until it ends or the server closes, remembering it meanwhile for {@link #close}. */
    private void serve(TcpConnection connection) throws IOException {
        served.add(connection);
        try {
            if (closed) { // close() may have looked at the set before the add
                connection.abort();
                return;
            }
            reverseChunks(connection);
        } finally {
            served.remove(connection);
        }
    }

    /** Answers each chunk read from {@code connection} reversed, newlines removed, plus "\n", until its end. */
    private static void reverseChunks(TcpConnection connection) throws IOException {
        byte[] chunk = new byte[BUFFER_BYTES];
        int n;
        while ((n = connection.read(chunk, 0, chunk.length)) > 0) {
            StringBuilder text = new StringBuilder(new String(chunk, 0, n).replace("\n", "")).reverse();
            byte[] answer = text.append('\n').toString().getBytes();
            connection.write(answer, 0, answer.length);
        }
        connection.close();
    }

    /** Stops serving: the listener and the UDP socket close, the connections served are aborted, the threads end. Idempotent. */
    @Override
    public void close() {
        closed = true;
        tcp.close();
        udp.close();
        for (TcpConnection connection : served) {
            connection.abort();
        }
    }

    /** A serving loop that ends quietly when its socket closes or the runtime stops. */
    private interface Service {
        void run() throws IOException;
    }

    /** Runs {@code service} on a daemon thread of its own, ending quietly when its socket closes. */
    private static void start(String name, Service service) {
        Thread thread = new Thread(() -> {
            try {
                service.run();
            } catch (SocketException closedOrStopped) {
                // the server or the runtime stopped: nothing more to serve
            } catch (IOException e) {
                System.getLogger(Server.class.getName()).log(System.Logger.Level.WARNING, name + " failed", e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }
}
