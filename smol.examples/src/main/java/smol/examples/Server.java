package smol.examples;

import java.io.IOException;
import java.net.SocketException;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
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
 * one accepts, and one serves each TCP connection. {@link #close} stops serving (the runtime's stop does
 * too); the threads end by themselves once their sockets are closed.
 */
public final class Server implements AutoCloseable {
    /** The port of both services, as smoltcp's example. */
    public static final int PORT = 6969;
    /** The TCP ring size, as smoltcp's example: 64 bytes each way. */
    public static final int BUFFER_BYTES = 64;

    private final UdpEndpoint udp;
    private final TcpServer tcp;

    /**
     * Starts serving on {@code runtime}'s interface: binds UDP {@link #PORT}, listens on TCP {@link #PORT}
     * with a backlog of 4, and starts the serving threads.
     *
     * @throws SocketException when the port is taken or the runtime stopped
     */
    public Server(InterfaceRuntime runtime) throws SocketException {
        // README-BEGIN
        udp = runtime.udp(new UdpSocket(4, 1024, 4, 1024));
        udp.bind(PORT);
        tcp = runtime.listen(PORT, 4, BUFFER_BYTES, BUFFER_BYTES);
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
                start("server-tcp " + connection.remoteEndpoint(), () -> reverseChunks(connection));
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
        new Server(runtime);
        // README-END
        return runtime;
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

    /** Stops serving: the listener and the UDP socket close, and their threads end. */
    @Override
    public void close() {
        tcp.close();
        udp.close();
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
