package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.osgitests.DeviceServices.awaitUntil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.iface.SocketSetService;
import smol.iface.TcpConnection;
import smol.iface.UdpEndpoint;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.IpEndpoint;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;

/**
 * The components of smol.examples on two interfaces (PID {@code smol.iface}) joined by an in-memory cable
 * (PID {@code smol.phy.cable}), all configured through Configuration Admin: the server (PID {@code smol.examples.server}) on one interface, asked from the
 * socket-set service of the other, which this test bundle gets by its {@code smol.interface.name}; and
 * tcpdump (PID {@code smol.examples.tcpdump}) listing the frames of an interface to the OSGi log, which the
 * console log component (running without configuration) keeps at INFO.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ExampleComponentsTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String SERVER = "192.168.71.1";
    static final String TCPDUMP_LOGGER = "smol.examples.internal.TcpdumpComponent";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    LogReaderService logReader;

    final List<Configuration> made = new ArrayList<>();
    final List<LogEntry> entries = new CopyOnWriteArrayList<>();
    final LogListener listener = entries::add;
    ServiceReference<SocketSetService> clientReference;
    SocketSetService client;

    @BeforeEach
    void configureTwoInterfacesOnACable() throws Exception {
        logReader.addLogListener(listener);
        configure("smol.phy.cable", "examples-cable", Map.of("a", "ex-a", "b", "ex-b"));
        configure("smol.iface", "examples-server", Map.of("name", "ex-srv", "mac", "02-00-00-00-00-71",
                "addresses", new String[] {SERVER + "/24"}, "device", "ex-a"));
        configure("smol.iface", "examples-client", Map.of("name", "ex-cli", "mac", "02-00-00-00-00-72",
                "addresses", new String[] {"192.168.71.2/24"}, "device", "ex-b"));
        awaitUntil(() -> !socketSets("ex-cli").isEmpty(), () -> "the socket-set service of ex-cli");
        clientReference = socketSets("ex-cli").iterator().next();
        client = context.getService(clientReference);
    }

    @AfterEach
    void deleteConfigurations() throws Exception {
        logReader.removeLogListener(listener);
        if (clientReference != null) {
            context.ungetService(clientReference);
        }
        for (Configuration c : made) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it itself
            }
        }
        awaitUntil(() -> socketSets("ex-cli").isEmpty() && socketSets("ex-srv").isEmpty(),
                () -> "the interfaces to go away");
    }

    @Test
    void theServerComponentAnswersUdpWithYoDawgAndTcpWithReversedLines() throws Exception {
        configure("smol.examples.server", "examples-server",
                Map.of("sockets.target", "(smol.interface.name=ex-srv)"));

        assertThat(askUdp(6969)).isEqualTo("yo dawg");

        TcpConnection connection = connect(6969);
        BufferedReader lines = new BufferedReader(new InputStreamReader(connection.inputStream(),
                StandardCharsets.US_ASCII));
        connection.write("hello\n".getBytes(StandardCharsets.US_ASCII), 0, 6);
        assertThat(lines.readLine()).isEqualTo("olleh");
        connection.write("smoltcp\n".getBytes(StandardCharsets.US_ASCII), 0, 8);
        assertThat(lines.readLine()).isEqualTo("pctloms");
        connection.close();
    }

    @Test
    void theServerComponentServesTheMeasuringPortsWhenAskedAndStopsWithItsConfiguration() throws Exception {
        Configuration server = configure("smol.examples.server", "examples-measuring",
                Map.of("sockets.target", "(smol.interface.name=ex-srv)", "port", 7070, "measuringPorts", true));

        assertThat(askUdp(7070)).isEqualTo("yo dawg");
        TcpConnection echo = connect(6970);
        echo.write("ping".getBytes(StandardCharsets.US_ASCII), 0, 4);
        byte[] back = echo.inputStream().readNBytes(4);
        assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("ping");

        server.delete();

        // the served connection is aborted: its peer sees the reset
        awaitUntil(() -> {
            try {
                return echo.read(new byte[1], 0, 1) < 0;
            } catch (SocketException reset) {
                return true;
            }
        }, () -> "the echo connection to end with the server");
    }

    @Test
    void tcpdumpListsEachFrameOfTheInterfaceInTheLogAndStopsAfterItsCount() throws Exception {
        configure("smol.examples.server", "examples-server",
                Map.of("sockets.target", "(smol.interface.name=ex-srv)"));
        awaitUntil(() -> askUdp(6969).equals("yo dawg"), () -> "the server to answer");
        configure("smol.examples.tcpdump", "examples-tcpdump",
                Map.of("interface.target", "(smol.interface.name=ex-cli)", "count", 3L));

        awaitUntil(() -> messages(TCPDUMP_LOGGER).stream().anyMatch(m -> m.startsWith("tcpdump ex-cli: capturing")),
                () -> "tcpdump to start; logged: " + messages(TCPDUMP_LOGGER));
        trafficUntil(() -> messages(TCPDUMP_LOGGER).stream().anyMatch(m -> m.contains("frames listed")),
                () -> "tcpdump's summary; logged: " + messages(TCPDUMP_LOGGER));

        List<String> logged = messages(TCPDUMP_LOGGER);
        List<String> listed = logged.stream().filter(m -> m.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} (in |out) .*"))
                .toList();
        assertThat(listed).hasSize(3).allSatisfy(line -> assertThat(line).contains("EthernetII").doesNotContain("\n"));
        assertThat(logged).anyMatch(m -> m.matches("tcpdump \\S+: 3 frames listed, 0 dropped \\(queue full\\)"));
    }

    @Test
    void tcpdumpWritesTheFramesToAPcapFile() throws Exception {
        configure("smol.examples.server", "examples-server",
                Map.of("sockets.target", "(smol.interface.name=ex-srv)"));
        awaitUntil(() -> askUdp(6969).equals("yo dawg"), () -> "the server to answer");
        Path file = Files.createTempDirectory("smol-tcpdump").resolve("ex-cli.pcap");
        configure("smol.examples.tcpdump", "examples-pcap", Map.of("interface.target",
                "(smol.interface.name=ex-cli)", "count", 4L, "log", false, "file", file.toString()));

        awaitUntil(() -> messages(TCPDUMP_LOGGER).stream().anyMatch(m -> m.startsWith("tcpdump ex-cli: capturing")),
                () -> "tcpdump to start; logged: " + messages(TCPDUMP_LOGGER));
        trafficUntil(() -> messages(TCPDUMP_LOGGER).stream().anyMatch(m -> m.contains("4 frames listed")),
                () -> "tcpdump's summary; logged: " + messages(TCPDUMP_LOGGER));

        int records = 0;
        try (InputStream in = Files.newInputStream(file); PcapReader reader = new PcapReader(in)) {
            for (PcapRecord r = reader.next(); r != null; r = reader.next()) {
                records++;
            }
            assertThat(reader.problem()).isNull();
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        }
        assertThat(records).isEqualTo(4);
    }

    @Test
    void aTcpdumpWithNeitherLogNorFileIsRefusedAndTheLogSaysWhy() throws Exception {
        configure("smol.examples.tcpdump", "examples-nowhere",
                Map.of("interface.target", "(smol.interface.name=ex-cli)", "log", false));

        awaitUntil(() -> entries.stream().anyMatch(e -> causes(e.getException()).contains("the frames would go nowhere")),
                () -> "SCR to log the refusal; logged: " + entries.stream().map(LogEntry::getMessage).toList());
        assertThat(messages(TCPDUMP_LOGGER)).noneMatch(m -> m.contains("capturing"));
    }

    /** The messages of {@code t} and its causes, joined. */
    static String causes(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** Sends a datagram to {@code port} of the server from the client's sockets, until an answer comes. */
    String askUdp(int port) throws Exception {
        UdpEndpoint udp = client.udp(new UdpSocket(2, 256, 2, 256)).receiveTimeout(Duration.ofMillis(500));
        try {
            udp.bind(40000);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                udp.send(new IpEndpoint(smol.wire.Ipv4Address.parse(SERVER), port), "hi".getBytes(), 0, 2);
                try {
                    UdpDatagram answer = udp.receive(new UdpDatagram(64));
                    return new String(answer.buffer(), 0, answer.length(), StandardCharsets.US_ASCII);
                } catch (SocketTimeoutException notYet) {
                    // the server may not be listening yet
                    if (System.nanoTime() >= deadline) {
                        throw new AssertionError("no answer from UDP port " + port + " within " + TIMEOUT);
                    }
                }
            }
        } finally {
            udp.close();
        }
    }

    /** Connects from the client's sockets to {@code port} of the server, trying again while it refuses. */
    TcpConnection connect(int port) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            TcpConnection connection = client.tcp(1024, 1024).readTimeout(TIMEOUT);
            try {
                connection.connect(new IpEndpoint(smol.wire.Ipv4Address.parse(SERVER), port), TIMEOUT);
                return connection;
            } catch (IOException refused) {
                connection.abort();
                if (System.nanoTime() >= deadline) {
                    throw refused;
                }
                Thread.sleep(50);
            }
        }
    }

    Configuration configure(String factoryPid, String alias, Map<String, Object> properties) throws Exception {
        Configuration c = configAdmin.getFactoryConfiguration(factoryPid, alias, "?");
        made.add(c);
        c.update(new Hashtable<>(properties));
        return c;
    }

    Collection<ServiceReference<SocketSetService>> socketSets(String name) throws Exception {
        return context.getServiceReferences(SocketSetService.class, "(" + SocketSetService.INTERFACE_NAME + "=" + name + ")");
    }

    List<LogEntry> entriesOf(String loggerName) {
        return entries.stream().filter(e -> loggerName.equals(e.getLoggerName())).toList();
    }

    List<String> messages(String loggerName) {
        return entriesOf(loggerName).stream().map(LogEntry::getMessage).toList();
    }

    /** Asks the server over UDP again and again, giving tcpdump frames to see, until {@code check} holds. */
    void trafficUntil(DeviceServices.Check check, Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("waited " + TIMEOUT + " for " + what.get());
            }
            askUdp(6969);
            Thread.sleep(10);
        }
    }
}
