package smol.kernel;

import static smol.kernel.TapFrames.TAP;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import smol.examples.MeasuringPorts;
import smol.examples.Server;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.phy.Device;
import smol.phy.DeviceProviders;
import smol.phy.linux.NetworkNamespace;
import smol.socket.SocketSet;
import smol.testsupport.Netns;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Cidr;

/**
 * smoltcp's server example and the measuring ports, run in-process on a TAP inside a namespace of their
 * own, as {@code ./smol server} runs them: the interface {@value #ADDRESS} with MAC {@value #MAC} on the TAP
 * {@code smoltap0}, the kernel's side {@value #KERNEL_ADDRESS}, up. Also opens java.net sockets on the
 * kernel's side (made inside the namespace, usable from any thread). {@link #close} stops the runtime
 * (closing the TAP) and deletes the namespace.
 */
final class TapServer implements AutoCloseable {
    static final String MAC = "02-00-00-00-00-01";
    static final String ADDRESS = "192.168.69.1/24";
    static final String OUR_IP = "192.168.69.1";
    static final String KERNEL_IP = "192.168.69.100";
    static final String KERNEL_ADDRESS = KERNEL_IP + "/24";
    /**
     * The socket set: the server's UDP socket and TCP backlog, the measuring ports' reserves, room for 32
     * served connections at once (as {@code ./smol server}), and a few of the stack's own client connections.
     */
    static final int SOCKETS = 1 + 4 + MeasuringPorts.RESERVED_SOCKETS + 32 + 4;

    final Netns ns;
    final InterfaceRuntime runtime;
    private final Server server;
    private final MeasuringPorts ports;

    private TapServer(Netns ns, InterfaceRuntime runtime, Server server, MeasuringPorts ports) {
        this.ns = ns;
        this.runtime = runtime;
        this.server = server;
        this.ports = ports;
    }

    /** Makes a namespace for {@code purpose}, the TAP in it, the kernel's side, and starts serving. */
    static TapServer start(String purpose) throws IOException {
        Netns ns = Netns.create(purpose);
        try {
            Device device = DeviceProviders.open("tap", TAP, Map.of("netns", ns.name()));
            // the kernel's side; without IPv6, so that only the tests' own traffic crosses the TAP
            ns.check("sysctl", "-qw", "net.ipv6.conf." + TAP + ".disable_ipv6=1");
            ns.check("ip", "addr", "add", KERNEL_ADDRESS, "dev", TAP);
            ns.check("ip", "link", "set", TAP, "up");
            Interface iface = new Interface(InterfaceConfig.builder()
                    .mac(EthernetAddress.parse(MAC))
                    .address(Ipv4Cidr.parse(ADDRESS))
                    .build(), new SocketSet(SOCKETS));
            InterfaceRuntime runtime = InterfaceRuntime.builder(iface).name("kernel-tests").build();
            runtime.attach(device);
            try {
                runtime.start();
                Server server = new Server(runtime.scope("server"));
                MeasuringPorts ports = new MeasuringPorts(runtime.scope("measuring-ports"));
                return new TapServer(ns, runtime, server, ports);
            } catch (IOException | RuntimeException e) {
                runtime.stop(); // closes the device
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** Connects a java.net socket made inside the namespace (the kernel's stack) to our {@code port}. */
    Socket connect(int port) throws IOException {
        return connect(port, 5_000);
    }

    /** As {@link #connect(int)}, waiting up to {@code timeoutMillis} for the handshake (a lossy link needs longer). */
    Socket connect(int port, int timeoutMillis) throws IOException {
        Socket socket = NetworkNamespace.of(ns.name()).run(() -> {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getByName(OUR_IP), port), timeoutMillis);
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        });
        socket.setSoTimeout(30_000); // a stall fails the test rather than hang it
        return socket;
    }

    /** Listens with a java.net server socket made inside the namespace on the kernel's {@code port}. */
    ServerSocket listen(int port) throws IOException {
        return NetworkNamespace.of(ns.name()).run(
                () -> new ServerSocket(port, 8, InetAddress.getByName(KERNEL_IP)));
    }

    /** Returns the MAC address of the kernel's side of the TAP, as {@code ip -o link show} prints it. */
    String kernelMac() {
        String link = ns.check("ip", "-o", "link", "show", TAP);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("link/ether ([0-9a-f:]{17})").matcher(link);
        if (!m.find()) {
            throw new IllegalStateException("no link/ether in: " + link);
        }
        return m.group(1);
    }

    /** Stops serving and the runtime (which closes the TAP), then deletes the namespace. */
    @Override
    public void close() {
        try {
            ports.close();
            server.close();
            runtime.stop();
        } finally {
            ns.close();
        }
    }
}
