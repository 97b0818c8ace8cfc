package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.osgitests.DeviceServices.awaitUntil;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.iface.InterfaceService;
import smol.iface.RuntimeSnapshot;
import smol.iface.SocketSetService;
import smol.iface.TcpConnection;
import smol.iface.TcpServer;
import smol.iface.UdpEndpoint;
import smol.phy.Cable;
import smol.phy.ChecksumCapabilities;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.DeviceProperties;
import smol.phy.Medium;
import smol.socket.SocketSnapshot;
import smol.socket.TcpState;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.IpEndpoint;

/**
 * The interface component (factory PID {@code smol.iface}) inside Felix: two interfaces, {@code left}
 * (192.168.70.1) and {@code right} (192.168.70.2), each bound by logical name to one end of an in-memory
 * cable that the test registers as {@link Device} services, as a device bundle would. What is pinned: the
 * services each configuration registers, the dynamic greedy device binding (gone: link down, connection
 * kept; back or better ranked: traffic resumes), in-place changes, restarts for a new name, refused
 * configurations, and the bundle scope of the socket-set service.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class InterfaceComponentTest {
    static final String PID = "smol.iface";
    static final Duration PATIENCE = Duration.ofSeconds(20);
    static final IpEndpoint RIGHT = IpEndpoint.parse("192.168.70.2:7000");

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    LogReaderService logReader;

    final List<Configuration> configurations = new ArrayList<>();
    final List<ServiceRegistration<Device>> devices = new ArrayList<>();
    final List<Bundle> bundles = new ArrayList<>();
    final List<LogEntry> log = new CopyOnWriteArrayList<>();
    final LogListener listener = log::add;

    @AfterEach
    void cleanUp() throws Exception {
        logReader.removeLogListener(listener);
        for (Configuration c : configurations) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it itself
            }
        }
        for (ServiceRegistration<Device> r : devices) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the test unregistered it itself
            }
        }
        for (Bundle b : bundles) {
            b.uninstall();
        }
        awaitUntil(() -> context.getServiceReferences(InterfaceService.class, null).isEmpty(),
                () -> "every interface of the test to go");
    }

    @Test
    void aConfigurationRegistersBothServicesAndBindsItsDeviceByName() throws Exception {
        Cable cable = cable(1500);
        register(cable.a(), "c-left", 0);
        register(cable.b(), "c-right", 0);
        configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");
        configureInterface("right", "192.168.70.2/24", "c-right", "02-00-00-00-00-0b");

        InterfaceService left = awaitInterface("left", s -> s.iface().linkUp());
        SocketSetService leftSockets = sockets("left");
        SocketSetService rightSockets = sockets("right");
        UdpEndpoint server = rightSockets.udp(new UdpSocket(4, 512, 4, 512));
        server.bind(7000);
        UdpEndpoint client = leftSockets.udp(new UdpSocket(4, 512, 4, 512));
        client.bind(40000);
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        client.send(RIGHT, hello, 0, hello.length);
        server.receiveTimeout(PATIENCE);
        UdpDatagram got = server.receive(new UdpDatagram(64));
        assertThat(new String(got.buffer(), 0, got.length(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(got.source()).isEqualTo(IpEndpoint.parse("192.168.70.1:40000"));

        RuntimeSnapshot snapshot = left.snapshot();
        assertThat(snapshot.name()).isEqualTo("left");
        assertThat(snapshot.iface().device()).contains("cable end");
        assertThat(snapshot.socketCapacity()).isEqualTo(16);
        assertThat(snapshot.sockets()).extracting(SocketSnapshot::owner)
                .containsExactly(SocketsOwner.of(context.getBundle()));
        ServiceReference<InterfaceService> ref = context.getServiceReferences(InterfaceService.class,
                "(smol.interface.name=left)").iterator().next();
        assertThat(ref.getProperty("smol.interface.device")).isEqualTo("c-left");
    }

    @Test
    void theDeviceGoingTakesTheLinkDownAndItsReturnResumesTheConnection() throws Exception {
        Cable cable = cable(1500);
        ServiceRegistration<Device> leftEnd = register(cable.a(), "c-left", 0);
        register(cable.b(), "c-right", 0);
        configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");
        configureInterface("right", "192.168.70.2/24", "c-right", "02-00-00-00-00-0b");
        InterfaceService left = awaitInterface("left", s -> s.iface().linkUp());
        Connection c = connect();

        leftEnd.unregister();
        awaitInterface("left", s -> !s.iface().linkUp());
        c.client().outputStream().write("while down\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(left.snapshot().sockets()).extracting(SocketSnapshot::state).contains("ESTABLISHED");

        register(cable.a(), "c-left", 0);
        awaitInterface("left", s -> s.iface().linkUp());
        c.client().outputStream().write("after\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.readLine()).isEqualTo("while down");
        assertThat(c.readLine()).isEqualTo("after");
    }

    @Test
    void aBetterRankedDeviceOfTheNameTakesOverWithItsMtuAndTheConnectionGoesOn() throws Exception {
        Cable first = cable(1500);
        register(first.a(), "c-left", 0);
        register(first.b(), "c-right", 0);
        configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");
        configureInterface("right", "192.168.70.2/24", "c-right", "02-00-00-00-00-0b");
        awaitInterface("left", s -> s.iface().mtu() == 1500);
        Connection c = connect();

        // A new version starts before the old stops: ranked higher, it wins while both are registered.
        Cable second = cable(1400);
        register(second.b(), "c-right", 10);
        register(second.a(), "c-left", 10);
        awaitInterface("left", s -> s.iface().mtu() == 1400);
        awaitInterface("right", s -> s.iface().mtu() == 1400);

        byte[] big = new byte[100_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        big[big.length - 1] = '\n';
        c.client().outputStream().write(big);
        assertThat(c.readLine()).hasSize(big.length - 1);
    }

    @Test
    void addressesMacAndDeviceChangeInPlaceWhileAConnectionStaysUp() throws Exception {
        Cable cable = cable(1500);
        register(cable.a(), "c-left", 0);
        register(cable.b(), "c-right", 0);
        Configuration leftConfig = configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");
        configureInterface("right", "192.168.70.2/24", "c-right", "02-00-00-00-00-0b");
        InterfaceService left = awaitInterface("left", s -> s.iface().linkUp());
        Connection c = connect();
        Cable other = cable(1400);
        register(other.a(), "c-left-2", 0);

        Dictionary<String, Object> next = interfaceProperties("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0c");
        next.put("addresses", new String[] {"192.168.70.1/24", "192.168.70.11/24"});
        leftConfig.update(next);
        awaitInterface("left", s -> s.iface().addresses().size() == 2 && s.iface().mac().toString().endsWith("0c"));
        c.client().outputStream().write("still\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.readLine()).isEqualTo("still");

        // The device's name changes to one whose cable leads nowhere, and back: the link follows, nothing restarts.
        next.put("device", "c-left-2");
        leftConfig.update(next);
        awaitInterface("left", s -> s.iface().linkUp() && s.iface().mtu() == 1400);
        next.put("device", "c-left");
        leftConfig.update(next);
        awaitInterface("left", s -> s.iface().linkUp() && s.iface().mtu() == 1500);
        c.client().outputStream().write("again\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.readLine()).isEqualTo("again");
        assertThat(context.getServiceReferences(InterfaceService.class, "(smol.interface.name=left)"))
                .as("the same service: never re-registered").hasSize(1);
        assertThat(left.snapshot().phase()).isEqualTo("running");
    }

    @Test
    void aNewNameRestartsTheInterfaceUnderItAndTheLogSaysSo() throws Exception {
        logReader.addLogListener(listener);
        Cable cable = cable(1500);
        register(cable.a(), "c-left", 0);
        Configuration leftConfig = configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");
        awaitInterface("left", s -> s.iface().linkUp());

        leftConfig.update(interfaceProperties("west", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a"));

        awaitInterface("west", s -> s.iface().linkUp());
        assertThat(context.getServiceReferences(InterfaceService.class, "(smol.interface.name=left)")).isEmpty();
        awaitUntil(() -> log.stream().anyMatch(e -> e.getMessage().contains("interface left restarts as west")),
                () -> "the log to say that the interface restarts; logged: " + messages());
    }

    @Test
    void aBadConfigurationIsLoggedRegistersNothingAndHarmsNoOtherInterface() throws Exception {
        logReader.addLogListener(listener);
        Cable cable = cable(1500);
        register(cable.a(), "c-left", 0);
        configureInterface("bad", "192.168.70.300/24", "c-left", "02-00-00-00-00-0a");
        configureInterface("worse", "192.168.70.1/24", "c-left", "zz-00-00-00-00-0a");
        configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");

        awaitInterface("left", s -> s.iface().linkUp());
        awaitUntil(() -> logged("interface bad: address '192.168.70.300/24' is not an IPv4 address")
                && logged("interface worse: mac 'zz-00-00-00-00-0a' is not a MAC address"),
                () -> "SCR to log both refusals; logged: " + messages());
        assertThat(context.getServiceReferences(InterfaceService.class, "(smol.interface.name=bad)")).isEmpty();
        assertThat(context.getServiceReferences(InterfaceService.class, "(smol.interface.name=worse)")).isEmpty();
    }

    @Test
    void aConfiguredDeviceThatIsNotThereIsNoErrorTheLogSaysWhatTheInterfaceWaitsFor() throws Exception {
        logReader.addLogListener(listener);
        configureInterface("left", "192.168.70.1/24", "c-nowhere", "02-00-00-00-00-0a");

        InterfaceService left = awaitInterface("left", s -> true);
        assertThat(left.snapshot().iface().linkUp()).isFalse();
        awaitUntil(() -> logged("interface left: link down, waiting for a Device service with smol.device.name=c-nowhere"),
                () -> "the log to say what the interface waits for; logged: " + messages());
    }

    @Test
    void aStoppedBundlesSocketsAreGoneItsHandlesFailAndAnotherBundlesStay() throws Exception {
        Cable cable = cable(1500);
        register(cable.a(), "c-left", 0);
        register(cable.b(), "c-right", 0);
        configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");
        configureInterface("right", "192.168.70.2/24", "c-right", "02-00-00-00-00-0b");
        InterfaceService right = awaitInterface("right", s -> s.iface().linkUp());
        Connection connection = connect();

        Bundle app = installApp("smol.osgitests.app");
        ServiceReference<SocketSetService> ref = context.getServiceReferences(SocketSetService.class,
                "(smol.interface.name=right)").iterator().next();
        SocketSetService appSockets = app.getBundleContext().getService(ref);
        assertThat(appSockets.owner()).isEqualTo("smol.osgitests.app [" + app.getBundleId() + "]");
        TcpServer appServer = appSockets.listen(7001, 1, 1024, 1024);
        TcpConnection appClient = sockets("left").tcp(1024, 1024);
        appClient.connect(IpEndpoint.parse("192.168.70.2:7001"), PATIENCE);
        TcpConnection appConnection = appServer.acceptTimeout(PATIENCE).accept();
        assertThat(right.snapshot().sockets()).extracting(SocketSnapshot::owner).contains(appSockets.owner());

        app.stop();

        String ours = SocketsOwner.of(context.getBundle());
        awaitUntil(() -> right.snapshot().sockets().stream().allMatch(s -> ours.equals(s.owner())),
                () -> "only the test bundle's sockets to be left on the right (the app's leave once their resets went "
                        + "out): " + right.snapshot().sockets());
        assertThatThrownBy(() -> appConnection.outputStream().write(1)).isInstanceOf(SocketException.class)
                .hasMessageContaining("the sockets of smol.osgitests.app [" + app.getBundleId() + "] were closed");
        assertThatThrownBy(() -> appSockets.tcp(64, 64)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("are closed");
        awaitUntil(() -> appClient.state() == TcpState.CLOSED, () -> "the app's peer to be reset");
        connection.client().outputStream().write("ours\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(connection.readLine()).isEqualTo("ours");
    }

    // ------------------------------------------------------------ helpers

    /** A TCP connection from left to right's port 7000, both ends the test bundle's; lines read at the right. */
    record Connection(TcpConnection client, TcpConnection server) {
        String readLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = server.inputStream().read();
                if (b < 0) {
                    throw new IOException("end of stream after " + line);
                }
                if (b == '\n') {
                    return line.toString(StandardCharsets.US_ASCII);
                }
                line.write(b);
            }
        }
    }

    Connection connect() throws Exception {
        TcpServer server = sockets("right").listen(RIGHT.port(), 1, 65536, 65536);
        TcpConnection client = sockets("left").tcp(65536, 65536);
        client.connect(RIGHT, PATIENCE);
        client.writeTimeout(PATIENCE);
        TcpConnection accepted = server.acceptTimeout(PATIENCE).accept();
        accepted.readTimeout(PATIENCE);
        return new Connection(client, accepted);
    }

    static Cable cable(int mtu) {
        return Cable.create(new DeviceCapabilities(Medium.ETHERNET, mtu, ChecksumCapabilities.ALL), 256);
    }

    ServiceRegistration<Device> register(Device device, String name, int ranking) {
        Hashtable<String, Object> p = new Hashtable<>(Map.of(DeviceProperties.NAME, name, DeviceProperties.KIND, "cable",
                DeviceProperties.MEDIUM, "ethernet", DeviceProperties.MTU, device.capabilities().mtu(),
                Constants.SERVICE_RANKING, ranking));
        ServiceRegistration<Device> r = context.registerService(Device.class, device, p);
        devices.add(r);
        return r;
    }

    static Dictionary<String, Object> interfaceProperties(String name, String cidr, String device, String mac) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("addresses", new String[] {cidr});
        p.put("device", device);
        p.put("mac", mac);
        p.put("capacity", 16);
        return p;
    }

    Configuration configureInterface(String name, String cidr, String device, String mac) throws Exception {
        Configuration c = configAdmin.getFactoryConfiguration(PID, name, "?");
        configurations.add(c);
        c.update(interfaceProperties(name, cidr, device, mac));
        return c;
    }

    InterfaceService awaitInterface(String name, java.util.function.Predicate<RuntimeSnapshot> holds) throws Exception {
        return DeviceServices.awaitInterface(context, name, holds);
    }

    /** The test bundle's sockets on interface {@code name}. */
    SocketSetService sockets(String name) throws Exception {
        return DeviceServices.socketsOf(context, name);
    }

    Bundle installApp(String symbolicName) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        main.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        ByteArrayOutputStream jar = new ByteArrayOutputStream();
        new JarOutputStream(jar, manifest).close();
        Bundle b = context.installBundle("memory:" + symbolicName, new ByteArrayInputStream(jar.toByteArray()));
        bundles.add(b);
        b.start();
        return b;
    }

    boolean logged(String text) {
        return log.stream().anyMatch(e -> {
            for (Throwable t = e.getException(); t != null; t = t.getCause()) {
                if (String.valueOf(t.getMessage()).contains(text)) {
                    return true;
                }
            }
            return e.getMessage().contains(text);
        });
    }

    List<String> messages() {
        return log.stream().map(e -> e.getMessage() + (e.getException() != null ? " / " + e.getException() : "")).toList();
    }

    /** The owner name the socket-set service gives a bundle's sockets. */
    static final class SocketsOwner {
        static String of(Bundle b) {
            return b.getSymbolicName() + " [" + b.getBundleId() + "]";
        }
    }
}
