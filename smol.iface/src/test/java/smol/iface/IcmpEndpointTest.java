package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.awaitBlocked;
import static smol.iface.RuntimePair.awaitTrue;
import static smol.iface.RuntimeStreamTransferTest.started;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.socket.EchoReply;
import smol.socket.IcmpSocket;
import smol.socket.SocketKind;
import smol.socket.SocketSet;
import smol.socket.SocketSnapshot;
import smol.wire.Ipv4Address;

/**
 * The blocking calls of {@link IcmpEndpoint} between two runtimes on the in-memory cable: an echo request
 * answered by the other stack, a receive that times out (nothing answers, or nothing was sent) and stays
 * usable, the TTL of the requests, interrupt and close ending a waiting receive, and an endpoint of an
 * owner's scope. Real threads; no assertion on speed.
 */
@Timeout(60)
class IcmpEndpointTest {
    /** An address on the cable's subnet that no stack holds: ARP for it goes unanswered. */
    static final Ipv4Address ABSENT = Ipv4Address.parse("10.99.0.77");
    static final int IDENTIFIER = 0x5eed;

    private final RuntimePair pair = new RuntimePair("icmp", 4);

    @AfterEach
    void stop() {
        pair.close();
    }

    private IcmpEndpoint endpoint(InterfaceRuntime runtime) throws SocketException {
        IcmpEndpoint endpoint = runtime.icmp(new IcmpSocket(4, 4, 4096));
        endpoint.bind(IDENTIFIER);
        return endpoint;
    }

    @Test
    void anEchoRequestIsAnsweredByTheOtherRuntimeWithItsSequenceSizeTtlAndRoundTripTime() throws Exception {
        IcmpEndpoint a = endpoint(pair.a).receiveTimeout(PATIENCE);

        a.send(Fixtures.IP_B, 7, 56);
        EchoReply reply = a.receive(new EchoReply());

        assertThat(reply.isUnreachable()).isFalse();
        assertThat(Ipv4Address.of(reply.source())).isEqualTo(Fixtures.IP_B);
        assertThat(reply.seq()).isEqualTo(7);
        assertThat(reply.size()).isEqualTo(56);
        assertThat(reply.ttl()).isEqualTo(64);
        assertThat(reply.rttMicros()).isNotNegative();
        assertThat(a.identifier()).isEqualTo(IDENTIFIER);
    }

    @Test
    void aRequestToAnAbsentNeighbourGoesUnansweredAndTheReceiveTimesOut() throws Exception {
        IcmpEndpoint a = endpoint(pair.a).receiveTimeout(Duration.ofMillis(200));

        a.send(ABSENT, 1, 56);

        assertThatThrownBy(() -> a.receive(new EchoReply())).isInstanceOf(SocketTimeoutException.class)
                .hasMessageContaining("receive timed out");
        assertThat(a.tryReceive(new EchoReply())).isFalse();
    }

    @Test
    void aReceiveTimeoutLeavesTheEndpointUsableForTheNextReply() throws Exception {
        IcmpEndpoint a = endpoint(pair.a).receiveTimeout(Duration.ofMillis(100));

        assertThatThrownBy(() -> a.receive(new EchoReply())).isInstanceOf(SocketTimeoutException.class);

        a.send(Fixtures.IP_B, 2, 8);
        a.receiveTimeout(PATIENCE);
        assertThat(a.receive(new EchoReply()).seq()).isEqualTo(2);
    }

    @Test
    void theTtlSetOnTheEndpointIsTheTtlOfItsRequestsOnTheWire() throws Exception {
        List<Integer> requestTtls = new CopyOnWriteArrayList<>();
        pair.b.addObserver((direction, buf, off, len, now) -> {
            // Ethernet (14 bytes), then IPv4: TTL at 8, protocol at 9; ICMP type after the 20-byte header
            if (direction == FrameDirection.IN && len >= 14 + 21 && buf[off + 12] == 0x08 && buf[off + 13] == 0
                    && buf[off + 14 + 9] == 1 && buf[off + 14 + 20] == 8) {
                requestTtls.add(buf[off + 14 + 8] & 0xff);
            }
        });
        IcmpEndpoint a = endpoint(pair.a).receiveTimeout(PATIENCE).ttl(5);

        a.send(Fixtures.IP_B, 1, 0);
        a.receive(new EchoReply());

        assertThat(a.ttl()).isEqualTo(5);
        assertThat(requestTtls).containsExactly(5);
        assertThatThrownBy(() -> a.ttl(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnboundEndpointRefusesToSendAndSaysNoReplyWillCome() throws Exception {
        IcmpEndpoint a = pair.a.icmp(new IcmpSocket(1, 1, 64));

        assertThatThrownBy(() -> a.send(Fixtures.IP_B, 1, 8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not bound");
        assertThatThrownBy(() -> a.receive(new EchoReply())).isInstanceOf(SocketException.class)
                .hasMessageContaining("not bound");
        a.bind(1);
        assertThatThrownBy(() -> a.bind(2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anInterruptEndsABlockedReceiveAndKeepsTheInterruptStatus() throws Exception {
        IcmpEndpoint a = endpoint(pair.a);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread receiver = started("receiver", () -> {
            try {
                a.receive(new EchoReply());
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
        IcmpEndpoint a = endpoint(pair.a);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread receiver = started("receiver", () -> {
            try {
                a.receive(new EchoReply());
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        awaitBlocked(receiver);

        a.close();
        receiver.join();

        assertThat(thrown.get()).isInstanceOf(SocketException.class).hasMessage("socket closed");
        assertThat(a.isClosed()).isTrue();
        assertThatThrownBy(() -> a.send(Fixtures.IP_B, 1, 8)).isInstanceOf(SocketException.class);
        awaitTrue(() -> pair.a.withSockets(SocketSet::size) == 0, "the endpoint leaves A's set");
    }

    @Test
    void anEndpointOfAnOwnersScopeIsRecordedUnderTheOwnerAndEndsWhenTheScopeCloses() throws Exception {
        SocketSetService scope = pair.a.scope("pinger");
        IcmpEndpoint a = scope.icmp(new IcmpSocket(2, 2, 256));
        a.bind(IDENTIFIER);
        a.receiveTimeout(PATIENCE);
        a.send(Fixtures.IP_B, 1, 16);
        assertThat(a.receive(new EchoReply()).seq()).isEqualTo(1);

        SocketSnapshot seen = pair.a.snapshot().sockets().get(0);
        assertThat(seen.kind()).isEqualTo(SocketKind.ICMP);
        assertThat(seen.owner()).isEqualTo("pinger");
        assertThat(seen.state()).isEqualTo("BOUND");

        scope.close();

        assertThatThrownBy(() -> a.receive(new EchoReply())).isInstanceOf(SocketException.class)
                .hasMessageContaining("the sockets of pinger were closed");
    }
}
