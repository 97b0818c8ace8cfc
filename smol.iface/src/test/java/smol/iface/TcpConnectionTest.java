package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;
import static smol.iface.RuntimePair.awaitBlocked;
import static smol.iface.RuntimePair.awaitTrue;
import static smol.iface.RuntimeStreamTransferTest.started;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.RuntimePair.Connected;
import smol.socket.SocketSet;
import smol.socket.TcpCloseReason;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;

/**
 * The blocking calls of {@link TcpConnection} between two runtimes on the in-memory cable: what each
 * failure throws and says, timeouts and interrupts that leave the connection usable, graceful and
 * lingering close. Real threads; no assertion on speed.
 */
@Timeout(60)
class TcpConnectionTest {
    private static final int PORT = 7100;

    private final RuntimePair pair = new RuntimePair("tcp", 4);

    @AfterEach
    void stop() {
        pair.close();
    }

    private Connected connected(int bufferBytes) throws IOException {
        return RuntimePair.connect(pair.a, pair.b, atB(PORT), 1, bufferBytes).get(0);
    }

    @Test
    void connectToAPortNobodyListensOnIsRefused() {
        TcpConnection client = pair.a.tcp(1024, 1024);

        assertThatThrownBy(() -> client.connect(atB(9), PATIENCE))
                .isInstanceOf(ConnectException.class).hasMessageContaining("refused");
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.REFUSED);
    }

    @Test
    void connectTimeoutAbandonsTheAttempt() {
        TcpConnection client = pair.a.tcp(1024, 1024);
        IpEndpoint nobody = new IpEndpoint(Ipv4Address.parse("10.99.0.3"), 80); // ARP goes unanswered

        assertThatThrownBy(() -> client.connect(nobody, Duration.ofMillis(200)))
                .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("connect to 10.99.0.3:80");
        assertThat(client.state()).isEqualTo(TcpState.CLOSED);
    }

    @Test
    void aReadTimeoutThrowsSocketTimeoutExceptionAndLeavesTheConnectionUsable() throws Exception {
        Connected c = connected(4096);
        byte[] buf = new byte[16];
        c.client().readTimeout(Duration.ofMillis(100));

        assertThatThrownBy(() -> c.client().read(buf, 0, buf.length))
                .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("read timed out");

        c.server().write(bytes("hi"), 0, 2);
        c.client().readTimeout(PATIENCE);
        assertThat(c.client().read(buf, 0, buf.length)).isEqualTo(2);
    }

    @Test
    void anInterruptEndsABlockedReadKeepsTheInterruptStatusAndLeavesTheConnectionUsable() throws Exception {
        Connected c = connected(4096);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread reader = started("reader", () -> {
            try {
                c.client().read(new byte[16], 0, 16);
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitBlocked(reader);

        reader.interrupt();
        reader.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class)
                .isNotInstanceOf(SocketTimeoutException.class).hasMessageContaining("read interrupted");
        assertThat(stillInterrupted).isTrue();
        c.server().write(bytes("after"), 0, 5);
        c.client().readTimeout(PATIENCE);
        byte[] buf = new byte[16];
        assertThat(c.client().read(buf, 0, buf.length)).isEqualTo(5);
        assertThat(c.client().state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void anInterruptEndsABlockedWriteSayingHowMuchWasQueued() throws Exception {
        Connected c = connected(4096);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        byte[] big = new byte[1 << 20];
        Thread writer = started("writer", () -> {
            try {
                c.client().write(big, 0, big.length); // the server reads nothing: it fills both rings and waits
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitBlocked(writer);

        writer.interrupt();
        writer.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        int queued = ((InterruptedIOException) thrown.get()).bytesTransferred;
        assertThat(queued).isBetween(1, big.length - 1);
        assertThat(stillInterrupted).isTrue();
        // still usable: the server drains what was queued, and more goes through
        c.server().readTimeout(PATIENCE);
        byte[] buf = new byte[8192];
        long read = 0;
        while (read < queued) {
            read += c.server().read(buf, 0, buf.length);
        }
        c.client().write(bytes("more"), 0, 4);
        assertThat(c.server().read(buf, 0, buf.length)).isEqualTo(4);
    }

    @Test
    void aResetByThePeerEndsABlockedReadWithAClearMessage() throws Exception {
        Connected c = connected(4096);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread reader = started("reader", () -> {
            try {
                c.client().read(new byte[16], 0, 16);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        awaitBlocked(reader);

        c.server().abort();
        reader.join();

        assertThat(thrown.get()).isInstanceOf(SocketException.class).hasMessageContaining("connection reset by peer");
        assertThatThrownBy(() -> c.client().write(bytes("x"), 0, 1)).isInstanceOf(SocketException.class)
                .hasMessageContaining("connection reset by peer");
    }

    @Test
    void aReadAfterThePeerClosedItsOutputReturnsEndOfStream() throws Exception {
        Connected c = connected(4096);
        c.server().write(bytes("last"), 0, 4);

        c.server().outputStream().close();

        c.client().readTimeout(PATIENCE);
        byte[] buf = new byte[16];
        assertThat(c.client().read(buf, 0, buf.length)).isEqualTo(4);
        assertThat(c.client().read(buf, 0, buf.length)).isEqualTo(-1);
        c.client().write(bytes("reply"), 0, 5); // half close: the other direction still carries data
        c.server().readTimeout(PATIENCE);
        assertThat(c.server().read(buf, 0, buf.length)).isEqualTo(5);
    }

    @Test
    void theStreamsCarryBytesOneAtATimeWhileTwoThreadsWriteSingleBytesIntoAFullRing() throws Exception {
        Connected c = connected(64);
        int perWriter = 2000; // many times the 64-byte rings: the writers wait for room between bytes
        Thread[] writers = new Thread[2];
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int w = 0; w < writers.length; w++) {
            int value = w == 0 ? 'a' : 'b';
            writers[w] = new Thread(() -> {
                try {
                    for (int i = 0; i < perWriter; i++) {
                        c.client().outputStream().write(value);
                    }
                } catch (Throwable e) {
                    failed.set(e);
                }
            }, "single-byte writer " + w);
            writers[w].start();
        }
        c.server().readTimeout(PATIENCE);
        int[] seen = new int[256];
        for (int i = 0; i < 2 * perWriter; i++) {
            int b = c.server().inputStream().read();
            assertThat(b).as("byte %d", i).isBetween(0, 255);
            seen[b]++;
        }
        for (Thread w : writers) {
            w.join(PATIENCE.toMillis());
        }

        assertThat(failed.get()).isNull();
        assertThat(seen['a']).as("every 'a' arrives, none turned into a 'b'").isEqualTo(perWriter);
        assertThat(seen['b']).isEqualTo(perWriter);
        assertThat(c.server().available()).isZero();
    }

    @Test
    void closeIsGracefulWhenThePeerAcknowledgesAndTheSocketLeavesTheSetWhenDone() throws Exception {
        Connected c = connected(4096);

        assertThat(c.client().close(PATIENCE)).isTrue();

        assertThat(c.client().isClosed()).isTrue();
        assertThatThrownBy(() -> c.client().read(new byte[1], 0, 1)).isInstanceOf(SocketException.class)
                .hasMessage("socket closed");
        c.server().readTimeout(PATIENCE);
        assertThat(c.server().read(new byte[1], 0, 1)).isEqualTo(-1);
        assertThat(c.server().close(PATIENCE)).isTrue(); // the passive close: LAST-ACK, then CLOSED
        awaitTrue(() -> pair.b.withSockets(SocketSet::size) == 0, "the server's socket leaves B's set");
        assertThat(c.client().close(Duration.ZERO)).as("closing again gives the first answer").isTrue();
    }

    @Test
    void closeAbortsWhenTheLingerPassesWithoutAnAcknowledgement() throws Exception {
        Connected c = connected(4096);
        pair.b.detach(); // B falls silent: nothing acknowledges A's FIN

        boolean graceful = c.client().close(Duration.ofMillis(200));

        assertThat(graceful).isFalse();
        assertThat(c.client().closeReason()).isEqualTo(TcpCloseReason.ABORTED);
        assertThat(c.client().isClosed()).isTrue();
    }

    @Test
    void aWriteAfterTheOutputWasShutDownFailsSayingSo() throws Exception {
        Connected c = connected(4096);

        c.client().shutdownOutput();

        assertThatThrownBy(() -> c.client().write(bytes("x"), 0, 1)).isInstanceOf(SocketException.class)
                .hasMessageContaining("output is shut down");
        assertThatThrownBy(() -> c.client().outputStream().write(1)).isInstanceOf(SocketException.class);
    }

    @Test
    void aReadOfASocketNeverOpenedSaysItIsNotConnected() {
        TcpConnection idle = pair.a.tcp(1024, 1024);

        assertThatThrownBy(() -> idle.read(new byte[1], 0, 1)).isInstanceOf(SocketException.class)
                .hasMessageContaining("not connected");
    }

    @Test
    void tryReadAndTryWriteNeverWait() throws Exception {
        Connected c = connected(4096);
        byte[] buf = new byte[8192];

        assertThat(c.client().tryRead(buf, 0, buf.length)).isZero();
        // The server reads nothing: once its receive ring and the client's transmit ring are full, a
        // write finds no room and returns 0 instead of waiting.
        int queued = 0;
        for (int n = c.client().tryWrite(buf, 0, buf.length); n > 0; n = c.client().tryWrite(buf, 0, buf.length)) {
            queued += n;
        }
        assertThat(queued).isBetween(1, 2 * 4096);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
