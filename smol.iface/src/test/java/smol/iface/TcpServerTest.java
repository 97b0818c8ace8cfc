package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;
import static smol.iface.RuntimePair.awaitBlocked;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Accepting connections on a runtime, as a {@link java.net.ServerSocket} user expects. */
class TcpServerTest {
    private static final int PORT = 6969;
    private final RuntimePair pair = new RuntimePair("accept", 24);

    @AfterEach
    void stop() {
        pair.close();
    }

    @Test
    void aServerWithBacklogEightTakesEightClientsAtOnceAndServesEachOnItsOwnConnection() throws Exception {
        TcpServer server = pair.b.listen(PORT, 8, 4096, 4096).acceptTimeout(PATIENCE);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String line = "client " + i;
                answers.add(clients.submit(() -> {
                    TcpConnection c = pair.a.tcp(4096, 4096).readTimeout(PATIENCE);
                    c.connect(atB(PORT), PATIENCE);
                    PrintWriter out = new PrintWriter(c.outputStream(), true, StandardCharsets.US_ASCII);
                    out.println(line);
                    String answer = new BufferedReader(new InputStreamReader(c.inputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    c.close();
                    return answer;
                }));
            }
            // the application accepts only once every client has connected: the backlog held them
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (server.pending() < 8 && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            assertThat(server.pending()).isEqualTo(8);
            for (int i = 0; i < 8; i++) {
                TcpConnection accepted = server.accept().readTimeout(PATIENCE);
                String line = new BufferedReader(new InputStreamReader(accepted.inputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                PrintWriter out = new PrintWriter(accepted.outputStream(), true, StandardCharsets.US_ASCII);
                out.println(new StringBuilder(line).reverse());
                accepted.close();
            }
            List<String> got = new ArrayList<>();
            for (Future<String> answer : answers) {
                got.add(answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
            assertThat(got).containsExactly("0 tneilc", "1 tneilc", "2 tneilc", "3 tneilc", "4 tneilc",
                    "5 tneilc", "6 tneilc", "7 tneilc");
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void anAcceptTimeoutThrowsAndTheServerStaysUsable() throws Exception {
        TcpServer server = pair.b.listen(PORT, 2, 1024, 1024).acceptTimeout(Duration.ofMillis(100));

        assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("accept timed out");
        assertThat(server.tryAccept()).isNull();

        TcpConnection client = pair.a.tcp(1024, 1024);
        client.connect(atB(PORT), PATIENCE);
        server.acceptTimeout(PATIENCE);
        assertThat(server.accept().remoteEndpoint()).isEqualTo(client.localEndpoint());
    }

    @Test
    void closingTheServerEndsAWaitingAccept() throws Exception {
        TcpServer server = pair.b.listen(PORT, 2, 1024, 1024);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread acceptor = acceptWaiting(server, thrown);

        server.close();
        acceptor.join(PATIENCE.toMillis());

        assertThat(thrown.get()).isInstanceOf(SocketException.class).hasMessage("server closed");
    }

    @Test
    void stoppingTheRuntimeEndsAWaitingAccept() throws Exception {
        TcpServer server = pair.b.listen(PORT, 2, 1024, 1024);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread acceptor = acceptWaiting(server, thrown);

        pair.b.stop();
        acceptor.join(PATIENCE.toMillis());

        assertThat(thrown.get()).isInstanceOf(SocketException.class).hasMessage("runtime stopped");
    }

    /** Starts a thread that accepts on {@code server}, keeping what it throws; returns once it waits. */
    private static Thread acceptWaiting(TcpServer server, AtomicReference<Throwable> thrown)
            throws InterruptedException {
        Thread acceptor = new Thread(() -> {
            try {
                server.accept();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "acceptor");
        acceptor.start();
        awaitBlocked(acceptor);
        return acceptor;
    }
}
