package smol.kernel;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.examples.MeasuringPorts;
import smol.phy.FaultConfig;
import smol.testsupport.Netns;

/**
 * Bulk TCP with the kernel over a TAP made bad on purpose by the fault injector on our side (in both
 * directions): frames lost and corrupted, and a long, jittery link that reorders them. Every transfer still
 * arrives byte-exact. Prints how long each took, for the CI budget.
 *
 * <p>Slow, and unevenly so: with 10 % lost and 5 % corrupted each way, the kernel repairs most losses by
 * timeouts, since we advertise neither SACK nor window scaling and keep at most 4 holes. Measured here
 * before the fix below: echo 39 to 68 s, source 11 to 14 s, the long jittery link 4 to 8 s; the sink took 57
 * to over 295 s, because we answered the kernel's retransmission of a segment whose ACK was lost with the
 * first copy's timestamp, so its RTT samples spanned its timeouts and its timeout grew to many seconds
 * (fixed: an old duplicate's newer TSval becomes TS.Recent, as RFC 7323 §4.3 asks).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class FaultyLinkTest {
    private static final int MEGABYTES_5 = 5 * 1024 * 1024;
    private static final FaultConfig LOSSY = FaultConfig.NONE.withDropChance(0.10).withCorruptChance(0.05);
    /** 20 ms each way, ±5 ms, so frames overtake one another; and 1 % lost. */
    private static final FaultConfig LONG_AND_JITTERY =
            FaultConfig.NONE.withDelayMicros(20_000).withJitterMicros(5_000).withDropChance(0.01);
    /** A handshake over a lossy link may need the kernel's SYN retransmissions (1 s, 3 s, ...). */
    private static final int CONNECT_MILLIS = 20_000;
    /** How long a read may wait: the kernel's retransmission timer backs off to tens of seconds here. */
    private static final int READ_TIMEOUT_MILLIS = 120_000;

    private static TapServer server;

    @BeforeAll
    static void serve() throws Exception {
        Netns.requireRootAndTun();
        server = TapServer.start("fault");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void faultsOff() {
        if (server != null) {
            System.out.println("FaultyLinkTest: " + server.runtime.faultStatistics());
            // What a stalled transfer left behind, for a failure's report: each socket's state, queues, counters.
            server.runtime.snapshot().sockets().stream().filter(s -> s.remote() != null)
                    .forEach(s -> System.out.println("FaultyLinkTest: " + s));
            server.runtime.faults(FaultConfig.NONE);
        }
    }

    @Test
    void fiveMegabytesComeBackFromTheEchoPortUnchangedOverALossyCorruptingLink() throws Exception {
        Socket socket = connect(MeasuringPorts.ECHO_PORT);
        server.runtime.faults(LOSSY);
        timed("echo, lossy", () -> Transfers.echo(socket, Transfers.randomBytes(MEGABYTES_5, 3)));
    }

    @Test
    void fiveMegabytesGoIntoTheSinkOverALossyCorruptingLink() throws Exception {
        Socket socket = connect(MeasuringPorts.DISCARD_PORT);
        server.runtime.faults(LOSSY);
        timed("sink, lossy", () -> Transfers.sink(socket, MEGABYTES_5));
    }

    @Test
    void fiveMegabytesFromTheSourceAreThePatternOverALossyCorruptingLink() throws Exception {
        Socket socket = connect(MeasuringPorts.PATTERN_PORT);
        server.runtime.faults(LOSSY);
        timed("source, lossy", () -> Transfers.source(socket, MEGABYTES_5));
    }

    @Test
    void twoMegabytesComeBackFromTheEchoPortUnchangedOverALongJitteryLink() throws Exception {
        Socket socket = connect(MeasuringPorts.ECHO_PORT);
        server.runtime.faults(LONG_AND_JITTERY);
        timed("echo, long and jittery", () -> Transfers.echo(socket, Transfers.randomBytes(2 * 1024 * 1024, 4)));
    }

    /**
     * A kernel client of our {@code port}, patient with the lossy link. Tests connect before they switch the
     * faults on: a connect fails outright ("no route to host") when the kernel's ARP requests for us are all
     * lost, while an established connection rides that out.
     */
    private static Socket connect(int port) throws IOException {
        Socket socket = server.connect(port, CONNECT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    private interface Transfer {
        void run() throws Exception;
    }

    private static void timed(String what, Transfer transfer) throws Exception {
        long start = System.nanoTime();
        transfer.run();
        System.out.printf("FaultyLinkTest: %s took %.1f s%n", what, Duration.ofNanos(System.nanoTime() - start).toMillis() / 1e3);
    }
}
