package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atA;
import static smol.iface.RuntimePair.atB;
import static smol.iface.RuntimeStreamTransferTest.started;
import static smol.iface.TcpConnectionTest.bytes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.RuntimePair.Connected;
import smol.phy.Cable;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.Wakeup;
import smol.socket.SocketSet;
import smol.socket.TcpCloseReason;
import smol.wire.Ipv4Cidr;

/**
 * Starting and stopping an {@link InterfaceRuntime}: idempotence, the graceful close of connections
 * within the linger, blocked calls ended by the end of it under load, no thread left behind, the device
 * closed. Real threads; the only time bound asserted is the linger plus a wide margin for a loaded
 * machine.
 */
@Timeout(60)
class InterfaceRuntimeLifecycleTest {
    /** What a loaded 2-core machine may add to a linger before every blocked call has ended. */
    private static final Duration MARGIN = Duration.ofSeconds(10);

    @Test
    void startAndStopAreIdempotentAndARuntimeRunsOnce() {
        RuntimePair pair = new RuntimePair("idem", 2);
        pair.a.start();
        assertThat(pair.liveRuntimeThreads()).containsExactlyInAnyOrder("smol-runtime idem-a", "smol-runtime idem-b");

        pair.a.stop();
        pair.a.stop();

        assertThat(pair.a.isStopped()).isTrue();
        assertThat(pair.liveRuntimeThreads()).containsExactly("smol-runtime idem-b");
        assertThatThrownBy(pair.a::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("runs once");
        pair.close();
        assertThat(pair.liveRuntimeThreads()).isEmpty();
    }

    @Test
    void aRuntimeNeverStartedStopsAtOnceAndClosesItsDevice() {
        ClosableDevice device = new ClosableDevice(Cable.create(4).a());
        Interface iface = new Interface(Fixtures.builder().mac(Fixtures.MAC_A)
                .address(Ipv4Cidr.parse("10.99.0.1/24")).build(), new SocketSet(2));
        InterfaceRuntime runtime = InterfaceRuntime.builder(iface).name("unstarted").build();
        runtime.attach(device);

        runtime.stop();

        assertThat(runtime.isStopped()).isTrue();
        assertThat(device.closed).isTrue();
        assertThat(runtime.withInterface(Interface::isLinkUp)).isFalse();
    }

    @Test
    void aDeviceIsLeftOpenWhenTheRuntimeIsToldNotToCloseIt() {
        List<ClosableDevice> devices = new CopyOnWriteArrayList<>();
        RuntimePair pair = new RuntimePair("keep", 2, b -> b.closeDeviceOnStop(false), d -> {
            ClosableDevice c = new ClosableDevice(d);
            devices.add(c);
            return c;
        });

        pair.close();

        assertThat(devices).hasSize(2).noneMatch(d -> d.closed);
    }

    @Test
    void stopClosesAConnectionGracefullyWhenThePeerClosesItsSideWithinTheLinger() throws Exception {
        RuntimePair pair = new RuntimePair("graceful", 2, b -> b.linger(PATIENCE), d -> d);
        try {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7200), 1, 4096).get(0);
            AtomicReference<Object> serverSaw = new AtomicReference<>();
            // B's application does what servers do at the end of the stream: it closes its side.
            Thread server = started("server", () -> {
                try {
                    c.server().readTimeout(PATIENCE);
                    int n = c.server().read(new byte[1], 0, 1);
                    serverSaw.set(n + (c.server().close(PATIENCE) ? " then closed gracefully" : " then aborted"));
                } catch (IOException e) {
                    serverSaw.set(e);
                }
            });
            RuntimePair.awaitBlocked(server);

            pair.a.stop();
            server.join();

            assertThat(serverSaw.get()).isEqualTo("-1 then closed gracefully");
            assertThat(c.client().closeReason()).isNotEqualTo(TcpCloseReason.ABORTED);
        } finally {
            pair.close();
        }
    }

    @Test
    void callsAfterTheStopFailSayingTheRuntimeStopped() throws Exception {
        RuntimePair pair = new RuntimePair("after", 4);
        Connected c = RuntimePair.connect(pair.a, pair.b, atB(7201), 1, 4096).get(0);

        pair.close();

        assertThatThrownBy(() -> c.client().read(new byte[1], 0, 1)).isInstanceOf(SocketException.class)
                .hasMessage("runtime stopped");
        assertThatThrownBy(() -> c.client().write(bytes("x"), 0, 1)).isInstanceOf(SocketException.class)
                .hasMessage("runtime stopped");
        TcpConnection late = pair.a.tcp(1024, 1024);
        assertThatThrownBy(() -> late.connect(atB(7201), PATIENCE)).isInstanceOf(SocketException.class)
                .hasMessage("runtime stopped");
        assertThatThrownBy(() -> pair.a.attach(pair.cable.a())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInterruptOfTheLoopThreadDoesNotStopIt() throws Exception {
        try (RuntimePair pair = new RuntimePair("interrupted", 4)) {
            Thread loop = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("smol-runtime interrupted-a")).findFirst().orElseThrow();

            loop.interrupt();

            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7202), 1, 4096).get(0);
            c.client().write(bytes("still here"), 0, 10);
            c.server().readTimeout(PATIENCE);
            assertThat(c.server().read(new byte[16], 0, 16)).isEqualTo(10);
            assertThat(pair.a.isRunning()).isTrue();
        }
    }

    @Test
    @Timeout(120)
    void stoppingARuntimeUnderLoadEndsEveryBlockedCallByTheEndOfItsLinger() throws Exception {
        Duration linger = Duration.ofMillis(300);
        List<ClosableDevice> devices = new CopyOnWriteArrayList<>();
        RuntimePair pair = new RuntimePair("load", 10, b -> b.linger(linger), d -> {
            ClosableDevice c = new ClosableDevice(d);
            devices.add(c);
            return c;
        });
        List<Connected> connections = new ArrayList<>();
        connections.addAll(RuntimePair.connect(pair.a, pair.b, atB(7203), 4, 65536));
        connections.addAll(RuntimePair.connect(pair.b, pair.a, atA(7204), 4, 65536));
        AtomicLongArray received = new AtomicLongArray(connections.size());
        ConcurrentHashMap<String, Object> outcomes = new ConcurrentHashMap<>();
        ConcurrentHashMap<String, Long> endedAt = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections.size(); i++) {
            int index = i;
            Connected c = connections.get(i);
            // A's side of each connection: the client for the first four, the server for the others
            String writerSide = i < 4 ? "A" : "B";
            String readerSide = i < 4 ? "B" : "A";
            String writer = "writer on " + writerSide + " " + i;
            String reader = "reader on " + readerSide + " " + i;
            threads.add(started(writer, () -> outcome(outcomes, endedAt, writer,
                    () -> writeForever(c.client().outputStream()))));
            threads.add(started(reader, () -> outcome(outcomes, endedAt, reader,
                    () -> readForever(c.server().inputStream(), received, index))));
        }
        long loaded = System.nanoTime() + PATIENCE.toNanos();
        for (int i = 0; i < connections.size(); i++) {
            while (received.get(i) < 256 * 1024) { // every connection carries data before the stop
                assertThat(System.nanoTime()).as("connection %d carries data", i).isLessThan(loaded);
                Thread.sleep(1);
            }
        }

        long stoppedAt = System.nanoTime();
        pair.a.stop();
        for (Thread t : threads) {
            t.join(linger.plus(MARGIN).toMillis());
        }

        long bound = stoppedAt + linger.plus(MARGIN).toNanos();
        assertThat(threads).hasSize(16).noneMatch(Thread::isAlive);
        assertThat(endedAt.values()).allMatch(t -> t - bound < 0);
        assertThat(outcomes).hasSize(16);
        outcomes.forEach((thread, outcome) -> {
            if (thread.contains(" on A ")) {
                // blocked on A's sockets: ended by A's stop
                assertThat(outcome).as(thread).isInstanceOf(SocketException.class)
                        .hasFieldOrPropertyWithValue("message", "runtime stopped");
            } else {
                // on B: the end of the stream (A's FIN) or A's reset, whichever the connection met
                assertThat(outcome).as(thread).satisfiesAnyOf(
                        o -> assertThat(o).isEqualTo("end of stream"),
                        o -> assertThat(o).isInstanceOf(IOException.class));
            }
        });
        pair.b.stop();
        assertThat(pair.liveRuntimeThreads()).isEmpty();
        assertThat(devices).hasSize(2).allMatch(d -> d.closed);
    }

    /** Runs {@code body} and records how it ended, and when: the exception it threw, or "end of stream". */
    private static void outcome(ConcurrentHashMap<String, Object> outcomes, ConcurrentHashMap<String, Long> endedAt,
            String name, RuntimeStreamTransferTest.Body body) {
        try {
            body.run();
            outcomes.put(name, "end of stream");
        } catch (Throwable t) {
            outcomes.put(name, t);
        }
        endedAt.put(name, System.nanoTime());
    }

    private static void writeForever(OutputStream out) throws IOException {
        byte[] chunk = new byte[16384];
        while (true) {
            out.write(chunk, 0, chunk.length);
        }
    }

    private static void readForever(InputStream in, AtomicLongArray received, int index) throws IOException {
        byte[] buf = new byte[16384];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            received.addAndGet(index, n);
        }
    }

    /** A device that passes everything to another and records that it was closed. */
    static final class ClosableDevice implements Device, AutoCloseable {
        private final Device inner;
        volatile boolean closed;

        ClosableDevice(Device inner) {
            this.inner = inner;
        }

        @Override
        public DeviceCapabilities capabilities() {
            return inner.capabilities();
        }

        @Override
        public int receive(byte[] buf, int off, long nowMicros) {
            return inner.receive(buf, off, nowMicros);
        }

        @Override
        public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
            return inner.transmit(buf, off, len, nowMicros);
        }

        @Override
        public long pollAt(long nowMicros) {
            return inner.pollAt(nowMicros);
        }

        @Override
        public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException {
            inner.await(wakeup, timeoutMicros, untilWritable);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
