package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atA;
import static smol.iface.RuntimePair.atB;
import static smol.iface.RuntimeStreamTransferTest.started;
import static smol.iface.RuntimePair.awaitBlocked;
import static smol.iface.RuntimePair.awaitTrue;
import static smol.iface.TcpConnectionTest.bytes;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.socket.SocketSet;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;

/**
 * The blocking calls of {@link UdpEndpoint} between two runtimes on the in-memory cable: a receive that
 * waits for the datagram, its timeout and interrupt, and close ending a waiting receive. Real threads; no
 * assertion on speed.
 */
@Timeout(60)
class UdpEndpointTest {
    private final RuntimePair pair = new RuntimePair("udp", 4);

    @AfterEach
    void stop() {
        pair.close();
    }

    private UdpEndpoint endpoint(InterfaceRuntime runtime, int port) throws SocketException {
        UdpEndpoint endpoint = runtime.udp(new UdpSocket(4, 4096, 4, 4096));
        endpoint.bind(port);
        return endpoint;
    }

    @Test
    void aBlockedReceiveGetsTheDatagramSentFromTheOtherRuntime() throws Exception {
        UdpEndpoint a = endpoint(pair.a, 5000);
        UdpEndpoint b = endpoint(pair.b, 5001).receiveTimeout(PATIENCE);
        AtomicReference<Object> got = new AtomicReference<>();
        UdpDatagram datagram = new UdpDatagram(64);
        Thread receiver = started("receiver", () -> {
            try {
                got.set(b.receive(datagram));
            } catch (Exception e) {
                got.set(e);
            }
        });
        awaitBlocked(receiver);

        a.send(atB(5001), bytes("hello"), 0, 5);
        receiver.join();

        assertThat(got.get()).isSameAs(datagram);
        assertThat(datagram.source()).isEqualTo(atA(5000));
        assertThat(datagram.length()).isEqualTo(5);
        assertThat(new String(datagram.buffer(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void aReceiveTimeoutThrowsSocketTimeoutExceptionAndLeavesTheEndpointUsable() throws Exception {
        UdpEndpoint a = endpoint(pair.a, 5000);
        UdpEndpoint b = endpoint(pair.b, 5001).receiveTimeout(Duration.ofMillis(100));
        UdpDatagram datagram = new UdpDatagram(64);

        assertThatThrownBy(() -> b.receive(datagram)).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("receive timed out");

        a.send(atB(5001), bytes("late"), 0, 4);
        b.receiveTimeout(PATIENCE);
        assertThat(b.receive(datagram).length()).isEqualTo(4);
    }

    @Test
    void anInterruptEndsABlockedReceiveAndKeepsTheInterruptStatus() throws Exception {
        UdpEndpoint b = endpoint(pair.b, 5001);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread receiver = started("receiver", () -> {
            try {
                b.receive(new UdpDatagram(8));
            } catch (Throwable t) {
                thrown.set(t);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        awaitBlocked(receiver);

        receiver.interrupt();
        receiver.join();

        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class);
        assertThat(stillInterrupted).isTrue();
    }

    @Test
    void closeEndsABlockedReceiveAndTheSocketLeavesTheSet() throws Exception {
        UdpEndpoint b = endpoint(pair.b, 5001);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread receiver = started("receiver", () -> {
            try {
                b.receive(new UdpDatagram(8));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        awaitBlocked(receiver);

        b.close();
        receiver.join();

        assertThat(thrown.get()).isInstanceOf(SocketException.class).hasMessage("socket closed");
        awaitTrue(() -> pair.b.withSockets(SocketSet::size) == 0, "the endpoint leaves B's set");
    }
}
