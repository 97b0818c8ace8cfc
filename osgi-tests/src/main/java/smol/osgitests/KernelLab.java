package smol.osgitests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import smol.iface.InterfaceService;
import smol.iface.SocketSetService;
import smol.iface.TcpConnection;
import smol.iface.TcpServer;
import smol.phy.linux.NetworkNamespace;
import smol.testsupport.Netns;

/**
 * The Linux kernel as the peer of an interface component, inside a {@code smol-} namespace the lab creates
 * and deletes: a bridge {@code br0} holding the kernel's {@value #KERNEL_IP}/24, with persistent TAPs
 * ({@code tap0}, {@code tap1}) and one end of a veth pair ({@code vethk}) as its ports; the other end
 * ({@code vethr}) is left for a raw device. Offloads are off on the veth pair, so that the raw device reads
 * finished checksums, and IPv6 is off, so that no MLD report crosses a test. The TAPs outlive the devices
 * that open them, keeping the kernel's side in place while a device bundle restarts or is replaced.
 *
 * <p>On our side: the interface component {@value #IFACE} at {@value #OUR_IP}/24 bound to the device named
 * {@value #DEVICE}, and an echo server of the test bundle on TCP {@value #ECHO_PORT}.
 */
final class KernelLab implements AutoCloseable {
    static final String KERNEL_IP = "192.168.69.100";
    static final String OUR_IP = "192.168.69.1";
    static final String IFACE = "eth0";
    static final String DEVICE = "uplink";
    static final int ECHO_PORT = 7000;

    final Netns ns;
    final DeviceServices services;
    private final BundleContext context;
    private TcpServer echo;
    private volatile boolean closing;

    /** Creates the namespace with the bridge and its ports; fails the test (never skips) when a command fails. */
    KernelLab(BundleContext context, ConfigurationAdmin configAdmin, String purpose) {
        Netns.requireRootAndTun();
        this.context = context;
        this.services = new DeviceServices(context, configAdmin);
        ns = Netns.create(purpose);
        try {
            ns.check("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            ns.check("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
            ns.check("ip", "link", "add", "br0", "type", "bridge", "forward_delay", "0");
            for (String tap : new String[] {"tap0", "tap1"}) {
                ns.check("ip", "tuntap", "add", "dev", tap, "mode", "tap");
                ns.check("ip", "link", "set", tap, "master", "br0");
                ns.check("ip", "link", "set", tap, "up");
            }
            ns.check("ip", "link", "add", "vethk", "type", "veth", "peer", "name", "vethr");
            ns.check("ethtool", "-K", "vethk", "tx", "off", "rx", "off", "tso", "off", "gso", "off", "gro", "off");
            ns.check("ethtool", "-K", "vethr", "tx", "off", "rx", "off", "tso", "off", "gso", "off", "gro", "off");
            ns.check("ip", "link", "set", "vethk", "master", "br0");
            ns.check("ip", "link", "set", "vethk", "up");
            ns.check("ip", "link", "set", "vethr", "up");
            ns.check("ip", "addr", "add", KERNEL_IP + "/24", "dev", "br0");
            ns.check("ip", "link", "set", "br0", "up");
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
    }

    /** Configures a TAP device of the namespace's {@code tap} under the logical name {@code name}. */
    void tapDevice(String alias, String tap, String name) throws Exception {
        services.configure("smol.phy.tap", alias, Map.of("interface", tap, "netns", ns.name(), "name", name));
    }

    /** Configures a raw device on the namespace's {@code vethr} under the logical name {@link #DEVICE}. */
    void rawDevice(String alias) throws Exception {
        services.configure("smol.phy.raw", alias, Map.of("interface", "vethr", "netns", ns.name(), "name", DEVICE));
    }

    /** Configures the interface {@link #IFACE} and waits until its link is up; returns its service. */
    InterfaceService startInterface(String mac) throws Exception {
        configureInterface(mac, DEVICE, OUR_IP + "/24");
        return awaitInterface(s -> s.iface().linkUp());
    }

    /** Makes or changes the configuration of {@link #IFACE}: its MAC, device and addresses; returns at once. */
    void configureInterface(String mac, String device, String... addresses) throws Exception {
        services.configure("smol.iface", IFACE, Map.of("name", IFACE, "mac", mac, "addresses", addresses,
                "device", device, "capacity", 32));
    }

    /** Waits until the interface is registered and its snapshot satisfies {@code holds}. */
    InterfaceService awaitInterface(java.util.function.Predicate<smol.iface.RuntimeSnapshot> holds) throws Exception {
        return DeviceServices.awaitInterface(context, IFACE, holds);
    }

    /** The test bundle's sockets on {@link #IFACE}. */
    SocketSetService sockets() throws Exception {
        return DeviceServices.socketsOf(context, IFACE);
    }

    /**
     * Starts the echo server of the test bundle on {@link #ECHO_PORT}: each accepted connection gets a thread
     * that writes back what it reads until the end of the stream, then closes.
     */
    void startEcho() throws Exception {
        echo = sockets().listen(ECHO_PORT, 2, 65536, 65536);
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    TcpConnection c = echo.accept();
                    Thread t = new Thread(() -> echoUntilEnd(c), "lab-echo " + c.remoteEndpoint());
                    t.setDaemon(true);
                    t.start();
                }
            } catch (IOException e) {
                if (!closing) {
                    System.out.println("KernelLab: the echo server's accept failed: " + e);
                }
            } catch (RuntimeException e) {
                System.out.println("KernelLab: the echo server's accept failed: " + e);
            }
        }, "lab-echo-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void echoUntilEnd(TcpConnection c) {
        byte[] buf = new byte[65536];
        try (c) {
            InputStream in = c.inputStream();
            OutputStream out = c.outputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            out.flush();
        } catch (IOException e) {
            // the test's transfer reports what went wrong from the kernel's side; this says what ours saw
            if (!closing) {
                System.out.println("KernelLab: the echo of " + c + " ended: " + e);
            }
        }
    }

    /** Connects a java.net socket made inside the namespace (the kernel's stack) to our {@code port}. */
    Socket connectFromKernel(String address, int port) throws IOException {
        Socket socket = NetworkNamespace.of(ns.name()).run(() -> {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getByName(address), port), 10_000);
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        });
        socket.setSoTimeout(60_000); // a stall fails the test rather than hang it
        return socket;
    }

    /** Returns the MAC the kernel's neighbour table holds for {@code address}, or null when none. */
    String kernelNeighbour(String address) {
        String line = ns.check("ip", "neigh", "show", address, "dev", "br0");
        Matcher m = Pattern.compile("lladdr ([0-9a-f:]{17})").matcher(line);
        return m.find() ? m.group(1) : null;
    }

    /** Returns the kernel's count of {@code dir} ("rx" or "tx") packets of interface {@code dev} in the namespace. */
    long kernelPackets(String dev, String dir) {
        return kernelCount(dev, dir + "_packets");
    }

    /** Returns the kernel's statistic {@code name} (e.g. {@code tx_dropped}) of interface {@code dev} in the namespace. */
    long kernelCount(String dev, String name) {
        return Long.parseLong(ns.check("cat", "/sys/class/net/" + dev + "/statistics/" + name).trim());
    }

    @Override
    public void close() throws Exception {
        closing = true;
        try {
            if (echo != null) {
                echo.close();
            }
            services.deleteConfigurations();
            DeviceServices.awaitUntil(() -> context.getServiceReferences(InterfaceService.class, null).isEmpty(),
                    () -> "the lab's interface to go");
        } finally {
            ns.close();
        }
    }
}
