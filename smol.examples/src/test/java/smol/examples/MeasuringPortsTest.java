package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.TcpConnection;
import smol.iface.UdpEndpoint;
import smol.phy.Cable;
import smol.socket.SocketSet;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * The measuring ports beside smoltcp's server, on one runtime as {@code ./smol server} runs them, asked by
 * a client stack across the in-memory cable.
 */
@Timeout(120)
class MeasuringPortsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Ipv4Address SERVER = Ipv4Address.parse("192.168.69.1");
    private static final int MEGABYTE = 1 << 20;
    private static final int CLIENTS = 8;

    private final StreamPattern pattern = new StreamPattern();
    private final Cable cable = Cable.create(256);
    private final ServerCommand.Running running;
    private final InterfaceRuntime server;
    private final InterfaceRuntime client;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    MeasuringPortsTest() throws Exception {
        // the server as ./smol server starts it, on the cable instead of a TAP: Server and MeasuringPorts
        running = ServerCommand.start(cable.b(), ServerCommand.Options.parse(new String[0]));
        server = running.runtime();
        Interface iface = new Interface(InterfaceConfig.builder().mac(EthernetAddress.parse("02-00-00-00-00-02"))
                .address(Ipv4Cidr.parse("192.168.69.100/24")).build(), new SocketSet(4 * CLIENTS));
        client = InterfaceRuntime.builder(iface).name("client").build();
        client.attach(cable.a());
        client.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        client.stop();
        server.stop();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("client threads ended").isTrue();
    }

    private TcpConnection connect(int port) throws IOException {
        TcpConnection connection = client.tcp(MeasuringPorts.BUFFER_BYTES, MeasuringPorts.BUFFER_BYTES)
                .readTimeout(PATIENCE).writeTimeout(PATIENCE);
        connection.connect(new IpEndpoint(SERVER, port), PATIENCE);
        return connection;
    }

    /** Writes {@code bytes} of the pattern from stream position {@code start}, in pieces of at most 64 KiB. */
    private void writePattern(TcpConnection connection, long start, int bytes) throws IOException {
        for (int done = 0; done < bytes; ) {
            int n = Math.min(StreamPattern.MAX_STRETCH, bytes - done);
            connection.write(pattern.bytes(), StreamPattern.offsetOf(start + done), n);
            done += n;
        }
    }

    /**
     * Reads {@code bytes} and returns the stream position (from {@code start}) of the first byte that differs
     * from the pattern, or -1 when all of them match; fails on an early end of the stream.
     */
    private long readAndCheckPattern(TcpConnection connection, long start, int bytes) throws IOException {
        byte[] buffer = new byte[StreamPattern.MAX_STRETCH];
        for (int done = 0; done < bytes; ) {
            int n = connection.read(buffer, 0, Math.min(buffer.length, bytes - done));
            assertThat(n).as("bytes read after %d of %d", done, bytes).isPositive();
            int mismatch = pattern.mismatch(start + done, buffer, 0, n);
            if (mismatch >= 0) {
                return start + done + mismatch;
            }
            done += n;
        }
        return -1;
    }

    @Test
    void port6970EchoesAMegabyteByteExactToEightClientsAtOnce() throws Exception {
        List<Future<Long>> mismatches = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            TcpConnection connection = connect(MeasuringPorts.ECHO_PORT);
            long start = c * 100_003L; // each client its own stretch of the pattern, so that crossed streams show
            Future<?> writer = threads.submit(() -> {
                writePattern(connection, start, MEGABYTE);
                return null;
            });
            mismatches.add(threads.submit(() -> {
                long mismatch = readAndCheckPattern(connection, start, MEGABYTE);
                if (mismatch >= 0) {
                    connection.abort(); // ends the writer too
                    return mismatch;
                }
                writer.get();
                assertThat(connection.close(PATIENCE)).as("closed gracefully").isTrue();
                return mismatch;
            }));
        }

        for (Future<Long> mismatch : mismatches) {
            assertThat(mismatch.get(100, TimeUnit.SECONDS)).as("position of the first wrong byte").isEqualTo(-1L);
        }
    }

    @Test
    void port6971TakesAMegabyteAndTheClientsCloseCompletes() throws Exception {
        TcpConnection connection = connect(MeasuringPorts.DISCARD_PORT);

        writePattern(connection, 0, MEGABYTE);
        connection.shutdownOutput();

        assertThat(connection.read(new byte[16], 0, 16)).as("the server's end of the stream").isEqualTo(-1);
        assertThat(connection.close(PATIENCE)).as("closed gracefully").isTrue();
    }

    @Test
    void port6972SendsThePatternFromItsFirstByte() throws Exception {
        TcpConnection connection = connect(MeasuringPorts.PATTERN_PORT);

        assertThat(readAndCheckPattern(connection, 0, MEGABYTE)).as("position of the first wrong byte").isEqualTo(-1L);
        connection.abort();
    }

    @Test
    void closingThePortsEndsTheConnectionsTheyServeAndRefusesNewOnes() throws Exception {
        TcpConnection connection = connect(MeasuringPorts.PATTERN_PORT);
        assertThat(readAndCheckPattern(connection, 0, 1000)).isEqualTo(-1L);

        running.ports().close();

        assertThatThrownBy(() -> {
            byte[] buffer = new byte[StreamPattern.MAX_STRETCH];
            while (connection.read(buffer, 0, buffer.length) >= 0) {
                // what was under way before the abort
            }
        }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        assertThatThrownBy(() -> connect(MeasuringPorts.ECHO_PORT)).isInstanceOf(ConnectException.class);
    }

    @Test
    void port6969AndUdpStillServeAsTheSeedsExample() throws Exception {
        TcpConnection connection = client.tcp(256, 256).readTimeout(PATIENCE);
        connection.connect(new IpEndpoint(SERVER, Server.PORT), PATIENCE);
        connection.write("hello\n".getBytes(StandardCharsets.US_ASCII), 0, 6);
        byte[] answer = new byte[6];
        int n = 0;
        while (n < answer.length) {
            n += connection.read(answer, n, answer.length - n);
        }
        assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("olleh\n");
        connection.close();

        UdpEndpoint udp = client.udp(new UdpSocket(2, 256, 2, 256)).receiveTimeout(PATIENCE);
        udp.bind(40000);
        udp.send(new IpEndpoint(SERVER, Server.PORT), "hi".getBytes(StandardCharsets.US_ASCII), 0, 2);
        UdpDatagram datagram = udp.receive(new UdpDatagram(64));
        assertThat(new String(datagram.buffer(), 0, datagram.length(), StandardCharsets.US_ASCII)).isEqualTo("yo dawg");
    }
}
