package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.examples.MeasuringPorts;
import smol.iface.TcpConnection;
import smol.testsupport.Netns;
import smol.wire.IpEndpoint;

/**
 * Bulk TCP between the stack and the kernel over a TAP, byte-exact: the kernel as client of the measuring
 * ports (echo, sink, source, and eight such clients at once, 20 MB each), and the stack as client of a kernel listener.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BulkTransferTest {
    private static final int MEGABYTES_20 = 20 * 1024 * 1024;

    private static TapServer server;

    @BeforeAll
    static void serve() throws Exception {
        Netns.requireRootAndTun();
        server = TapServer.start("bulk");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twentyMegabytesComeBackFromTheEchoPortUnchanged() throws Exception {
        Transfers.echo(server.connect(MeasuringPorts.ECHO_PORT), Transfers.randomBytes(MEGABYTES_20, 1));
    }

    @Test
    void twentyMegabytesGoIntoTheSinkAndItsCloseCompletes() throws Exception {
        Transfers.sink(server.connect(MeasuringPorts.DISCARD_PORT), MEGABYTES_20);
    }

    @Test
    void twentyMegabytesFromTheSourceAreThePattern() throws Exception {
        Transfers.source(server.connect(MeasuringPorts.PATTERN_PORT), MEGABYTES_20);
    }

    @Test
    void eightSuchClientsAtOnceEchoSinkAndSourceTwentyMegabytesEach() throws Exception {
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int kind = i % 3;
            byte[] data = kind == 0 ? Transfers.randomBytes(MEGABYTES_20, 100 + i) : null;
            int port = kind == 0 ? MeasuringPorts.ECHO_PORT : kind == 1 ? MeasuringPorts.DISCARD_PORT
                    : MeasuringPorts.PATTERN_PORT;
            Socket socket = server.connect(port);
            clients.add(CompletableFuture.runAsync(() -> {
                try {
                    switch (kind) {
                        case 0 -> Transfers.echo(socket, data);
                        case 1 -> Transfers.sink(socket, MEGABYTES_20);
                        default -> Transfers.source(socket, MEGABYTES_20);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, Transfers::startDaemon));
        }
        for (CompletableFuture<Void> client : clients) {
            Transfers.await(client, 120);
        }
    }

    @Test
    void theStackAsClientMovesTwentyMegabytesBothWaysThroughAKernelEcho() throws Exception {
        byte[] data = Transfers.randomBytes(MEGABYTES_20, 2);
        try (ServerSocket listener = server.listen(7000)) {
            CompletableFuture<Void> kernelEcho = CompletableFuture.runAsync(() -> {
                try (Socket peer = listener.accept()) {
                    peer.setSoTimeout(30_000);
                    InputStream in = peer.getInputStream();
                    OutputStream out = peer.getOutputStream();
                    in.transferTo(out);
                    peer.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Transfers::startDaemon);
            TcpConnection connection = server.runtime.tcp(64 * 1024, 64 * 1024);
            connection.readTimeout(Duration.ofSeconds(30)).writeTimeout(Duration.ofSeconds(60));
            connection.connect(IpEndpoint.parse(TapServer.KERNEL_IP + ":7000"), Duration.ofSeconds(5));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < data.length; off += 64 * 1024) {
                        connection.write(data, off, Math.min(64 * 1024, data.length - off));
                    }
                    connection.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Transfers::startDaemon);
            MessageDigest received = Transfers.digest();
            long count = 0;
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = connection.read(buf, 0, buf.length)) > 0) {
                received.update(buf, 0, n);
                count += n;
            }
            Transfers.await(writer, 10);
            Transfers.await(kernelEcho, 10);
            assertThat(count).as("bytes echoed by the kernel").isEqualTo(data.length);
            assertThat(received.digest()).as("SHA-256 of the echo").isEqualTo(Transfers.sha256(data));
            assertThat(connection.close(Duration.ofSeconds(5))).as("a graceful close").isTrue();
        }
    }
}
