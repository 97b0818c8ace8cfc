package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;
import static smol.iface.RuntimeStreamTransferTest.guarded;
import static smol.iface.RuntimeStreamTransferTest.started;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.RuntimePair.Connected;
import smol.socket.SocketKind;
import smol.socket.SocketSet;
import smol.socket.SocketSnapshot;

/**
 * {@link InterfaceRuntime#snapshot()} taken from a thread of the test while a transfer runs on the
 * runtimes' loops: each snapshot is consistent in itself (taken in one hold of the lock), and one after
 * another they only move forward. Real threads and the real clock, over the in-memory cable
 * ({@link RuntimePair}).
 */
class RuntimeSnapshotTest {
    private static final int BYTES = 8_000_000;
    /** Ethernet (14), IPv4 (20) and TCP (20) headers: what every segment's frame carries at least beyond its payload. */
    private static final int SEGMENT_OVERHEAD = 54;

    @Test
    @Timeout(120)
    void snapshotsTakenDuringATransferAreConsistentAndOnlyMoveForward() throws Exception {
        try (RuntimePair pair = new RuntimePair("snap", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7100), 1, 65536).get(0);
            c.server().readTimeout(PATIENCE);
            c.client().writeTimeout(PATIENCE);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread writer = started("snap-writer", guarded(failures, () -> {
                OutputStream out = c.client().outputStream();
                byte[] chunk = new byte[16384];
                for (int sent = 0; sent < BYTES; sent += chunk.length) {
                    out.write(chunk, 0, Math.min(chunk.length, BYTES - sent));
                }
                out.flush();
            }));
            Thread reader = started("snap-reader", guarded(failures, () -> {
                InputStream in = c.server().inputStream();
                byte[] buf = new byte[16384];
                for (long read = 0; read < BYTES; ) {
                    int n = in.read(buf);
                    if (n < 0) {
                        throw new AssertionError("end of stream after " + read + " bytes");
                    }
                    read += n;
                }
            }));

            List<RuntimeSnapshot> snapshots = new ArrayList<>();
            snapshots.add(pair.a.snapshot());
            while (reader.isAlive()) {
                snapshots.add(pair.a.snapshot());
                Thread.sleep(2);
            }
            writer.join();
            snapshots.add(pair.a.snapshot());

            assertThat(failures).isEmpty();
            assertThat(snapshots.size()).isGreaterThan(2);
            RuntimeSnapshot previous = null;
            for (RuntimeSnapshot now : snapshots) {
                assertThat(now.name()).isEqualTo("snap-a");
                assertThat(now.phase()).isEqualTo("running");
                assertThat(now.running()).isTrue();
                assertThat(now.socketCapacity()).isEqualTo(4);
                assertThat(now.sockets()).hasSize(1);
                SocketSnapshot socket = now.sockets().get(0);
                assertThat(socket.kind()).isEqualTo(SocketKind.TCP);
                assertThat(socket.state()).isEqualTo("ESTABLISHED");
                assertThat(socket.handle()).isEqualTo(c.client().handle());
                assertThat(socket.local()).isEqualTo(c.client().localEndpoint());
                assertThat(socket.remote()).isEqualTo(atB(7100));
                // one instant: every payload byte the socket sent left in a frame the interface counted
                InterfaceStatisticsSnapshot iface = now.iface().statistics();
                assertThat(iface.framesOut()).isGreaterThanOrEqualTo(socket.counters().packetsOut());
                assertThat(iface.bytesOut()).isGreaterThanOrEqualTo(
                        socket.counters().bytesOut() + SEGMENT_OVERHEAD * socket.counters().packetsOut());
                if (previous != null) {
                    SocketSnapshot before = previous.sockets().get(0);
                    assertThat(now.takenAtMicros()).isGreaterThanOrEqualTo(previous.takenAtMicros());
                    assertThat(now.loop().polls()).isGreaterThanOrEqualTo(previous.loop().polls());
                    assertThat(socket.counters().bytesOut()).isGreaterThanOrEqualTo(before.counters().bytesOut());
                    assertThat(socket.counters().packetsIn()).isGreaterThanOrEqualTo(before.counters().packetsIn());
                    assertThat(iface.framesOut()).isGreaterThanOrEqualTo(previous.iface().statistics().framesOut());
                    assertThat(iface.bytesIn()).isGreaterThanOrEqualTo(previous.iface().statistics().bytesIn());
                }
                previous = now;
            }
            assertThat(snapshots.get(0).sockets().get(0).counters().bytesOut()).isLessThan(BYTES);
            assertThat(previous.sockets().get(0).counters().bytesOut()).isGreaterThanOrEqualTo(BYTES);
            assertThat(previous.sockets()).hasSize(pair.a.withSockets(SocketSet::size));
            assertThat(previous.toString()).startsWith("runtime snap-a (running) at ")
                    .contains("1/4 sockets", "\n  02-00-00-00-00-01 10.99.0.1/24 link up", "\n  0 TCP ESTABLISHED");
        }
    }

    @Test
    @Timeout(60)
    void snapshotOfAStoppedRuntimeSaysSoAndKeepsItsLastCounters() throws Exception {
        RuntimePair pair = new RuntimePair("snap-stop", 4);
        Connected c = RuntimePair.connect(pair.a, pair.b, atB(7101), 1, 4096).get(0);
        c.client().outputStream().write(new byte[1000]);
        RuntimePair.awaitTrue(() -> c.server().available() == 1000, "1000 bytes arrived");
        pair.close();

        RuntimeSnapshot stopped = pair.a.snapshot();

        assertThat(stopped.phase()).isEqualTo("stopped");
        assertThat(stopped.running()).isFalse();
        assertThat(stopped.iface().linkUp()).isFalse();
        assertThat(stopped.iface().statistics().bytesOut()).isGreaterThan(1000);
        assertThat(stopped.sockets()).singleElement().satisfies(s -> {
            assertThat(s.state()).as("closed by the stop").isIn("CLOSED", "TIME_WAIT");
            assertThat(s.counters().bytesOut()).isEqualTo(1000);
        });
    }
}
