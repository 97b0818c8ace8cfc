package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;
import static smol.iface.RuntimeStreamTransferTest.guarded;
import static smol.iface.RuntimeStreamTransferTest.started;
import static smol.iface.RuntimePair.awaitTrue;
import static smol.iface.TcpConnectionTest.bytes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.RuntimePair.Connected;

/**
 * Readiness callbacks: run once on the loop thread when the socket is ready, so that one application
 * thread serves many connections; a callback that throws or runs long is caught, counted and reported
 * with its socket, and the loop goes on. Real threads; no assertion on speed beyond the slow-callback
 * threshold itself.
 */
@Timeout(60)
class RuntimeCallbacksTest {

    /** Records what the runtime reports. */
    static final class Reports implements RuntimeListener {
        final List<String> failed = new CopyOnWriteArrayList<>();
        final List<String> slow = new CopyOnWriteArrayList<>();
        final List<Long> slowNanos = new CopyOnWriteArrayList<>();

        @Override
        public void callbackFailed(RuntimeSocket socket, Throwable failure) {
            failed.add(socket.handle() + ": " + failure.getMessage());
        }

        @Override
        public void callbackSlow(RuntimeSocket socket, long elapsedNanos) {
            slow.add(socket.handle().toString());
            slowNanos.add(elapsedNanos);
        }
    }

    @Test
    void oneThreadServesManyConnectionsThroughReadinessCallbacks() throws Exception {
        int connections = 6;
        long perConnection = 1_000_000;
        try (RuntimePair pair = new RuntimePair("serve", connections + 1)) {
            List<Connected> pairs = RuntimePair.connect(pair.a, pair.b, atB(7300), connections, 8192);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            BlockingQueue<TcpConnection> ready = new LinkedBlockingQueue<>();
            Map<TcpConnection, Integer> salts = new HashMap<>();
            for (int i = 0; i < connections; i++) {
                TcpConnection server = pairs.get(i).server();
                salts.put(server, i);
                server.whenReadable(() -> ready.add(server));
            }
            // One thread serves every server connection: it reads what a callback says is there, then arms
            // the callback again.
            AtomicInteger finished = new AtomicInteger();
            Thread serving = started("server", guarded(failures, () -> {
                Map<TcpConnection, Long> offsets = new HashMap<>();
                byte[] buf = new byte[4096];
                while (finished.get() < connections) {
                    TcpConnection c = ready.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                    if (c == null) {
                        throw new AssertionError("no connection became readable");
                    }
                    int salt = salts.get(c);
                    long offset = offsets.getOrDefault(c, 0L);
                    int n;
                    while ((n = c.tryRead(buf, 0, buf.length)) > 0) {
                        for (int i = 0; i < n; i++) {
                            if (buf[i] != PatternStream.at(salt, offset + i)) {
                                throw new AssertionError("connection " + salt + ": byte " + (offset + i) + " differs");
                            }
                        }
                        offset += n;
                    }
                    offsets.put(c, offset);
                    if (n < 0) {
                        assertThat(offset).isEqualTo(perConnection);
                        finished.incrementAndGet();
                    } else {
                        c.whenReadable(() -> ready.add(c));
                    }
                }
            }));
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                int salt = i;
                TcpConnection client = pairs.get(i).client();
                writers.add(started("writer " + i, guarded(failures, () -> {
                    byte[] chunk = new byte[3000];
                    for (long written = 0; written < perConnection; ) {
                        int n = (int) Math.min(chunk.length, perConnection - written);
                        for (int j = 0; j < n; j++) {
                            chunk[j] = PatternStream.at(salt, written + j);
                        }
                        client.write(chunk, 0, n);
                        written += n;
                    }
                    client.shutdownOutput();
                })));
            }
            for (Thread t : writers) {
                t.join();
            }
            serving.join();

            assertThat(failures).isEmpty();
            assertThat(finished).hasValue(connections);
            assertThat(pair.b.statistics().callbacks()).isGreaterThanOrEqualTo(connections);
        }
    }

    @Test
    void aCallbackRunsOnceOnTheLoopThread() throws Exception {
        try (RuntimePair pair = new RuntimePair("once", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7301), 1, 4096).get(0);
            List<String> threads = new CopyOnWriteArrayList<>();

            c.client().whenWritable(() -> threads.add(Thread.currentThread().getName()));

            awaitTrue(() -> !threads.isEmpty(), "the callback ran");
            // more polls come with more traffic; the callback is disarmed and does not run again
            c.client().write(bytes("ping"), 0, 4);
            c.server().readTimeout(PATIENCE);
            assertThat(c.server().read(new byte[4], 0, 4)).isEqualTo(4);
            assertThat(threads).containsExactly("smol-runtime once-a");
        }
    }

    @Test
    void aCallbackThatThrowsIsCaughtCountedAndReportedAndTheLoopGoesOn() throws Exception {
        Reports reports = new Reports();
        try (RuntimePair pair = new RuntimePair("throws", 4, b -> b.listener(reports), d -> d)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7302), 1, 4096).get(0);

            c.client().whenWritable(() -> {
                throw new IllegalStateException("boom");
            });

            awaitTrue(() -> !reports.failed.isEmpty(), "the failure is reported");
            assertThat(reports.failed).containsExactly(c.client().handle() + ": boom");
            assertThat(pair.a.statistics().callbackFailures()).isEqualTo(1);
            assertThat(pair.a.isRunning()).isTrue();
            c.client().write(bytes("alive"), 0, 5);
            c.server().readTimeout(PATIENCE);
            assertThat(c.server().read(new byte[8], 0, 8)).isEqualTo(5);
        }
    }

    @Test
    void aSlowCallbackIsCountedAndReportedWithItsSocket() throws Exception {
        Reports reports = new Reports();
        Duration threshold = Duration.ofMillis(5);
        try (RuntimePair pair = new RuntimePair("slow", 4,
                b -> b.listener(reports).slowCallbackThreshold(threshold), d -> d)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7303), 1, 4096).get(0);

            c.client().whenWritable(() -> sleep(30));

            awaitTrue(() -> !reports.slow.isEmpty(), "the slow callback is reported");
            assertThat(reports.slow).containsExactly(c.client().handle().toString());
            assertThat(pair.a.statistics().slowCallbacks()).isEqualTo(1);
            assertThat(reports.slowNanos.get(0)).isGreaterThan(threshold.toNanos());
        }
    }

    @Test
    void aBlockingCallInACallbackThrowsInsteadOfWaitingForTheLoop() throws Exception {
        try (RuntimePair pair = new RuntimePair("inloop", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7304), 1, 4096).get(0);
            AtomicReference<Throwable> thrown = new AtomicReference<>();

            c.client().whenWritable(() -> {
                try {
                    c.client().read(new byte[1], 0, 1); // nothing has arrived: it would wait
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });

            awaitTrue(() -> thrown.get() != null, "the callback ran");
            assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("would block the runtime's loop thread");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
