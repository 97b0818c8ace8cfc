package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;
import static smol.iface.RuntimePair.awaitTrue;
import static smol.iface.TcpConnectionTest.bytes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.RuntimePair.Connected;
import smol.socket.SocketHandle;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.socket.driver.PollContext;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;

/**
 * The loop of {@link InterfaceRuntime}: work made from outside wakes it (it has no deadline of its own to
 * wake it otherwise), a poll that throws does not end it, and connections get distinct ephemeral ports.
 * Real threads; no assertion on speed.
 */
@Timeout(60)
class InterfaceRuntimeTest {

    @Test
    void workDoneInsideWithSocketsWakesTheLoop() throws Exception {
        try (RuntimePair pair = new RuntimePair("wake", 4)) {
            TcpConnection server = pair.b.tcp(4096, 4096);
            server.listen(7400);
            TcpSocket raw = new TcpSocket(4096, 4096);

            // Both loops are idle, waiting without a deadline: only the post after this call makes A poll
            // and send the SYN.
            SocketHandle handle = pair.a.withSockets(set -> {
                SocketHandle h = set.add(raw);
                raw.connect(atB(7400), new IpEndpoint(Ipv4Address.UNSPECIFIED, 50000));
                return h;
            });

            server.awaitConnected(PATIENCE);
            awaitTrue(() -> pair.a.withSockets(set -> raw.state()) == TcpState.ESTABLISHED, "A is established");
            assertThat(pair.a.tcp(handle).state()).isEqualTo(TcpState.ESTABLISHED);
        }
    }

    @Test
    void attachingADeviceWakesTheLoop() throws Exception {
        try (RuntimePair pair = new RuntimePair("attach", 2)) {
            awaitTrue(() -> announcements(pair.a) == 1, "A announced its address after the first attach");
            pair.a.detach();

            pair.a.attach(pair.cable.a());

            // the idle loop polls at once and announces the address again on the new link
            awaitTrue(() -> announcements(pair.a) == 2, "A announces its address again");
        }
    }

    private static long announcements(InterfaceRuntime runtime) {
        return runtime.withInterface(i -> i.statistics().arpAnnouncementsSent());
    }

    @Test
    void aPollThatThrowsIsCountedReportedAndTheLoopGoesOn() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        RuntimeListener listener = new RuntimeListener() {
            @Override
            public void pollFailed(Throwable failure) {
                reported.add(failure);
            }
        };
        try (RuntimePair pair = new RuntimePair("pollfail", 4, b -> b.listener(listener), d -> d)) {
            pair.a.withSockets(set -> set.add(new FailsOnce()));

            awaitTrue(() -> !reported.isEmpty(), "the failure is reported");
            assertThat(reported).singleElement().extracting(Throwable::getMessage).isEqualTo("dispatch failed");
            assertThat(pair.a.statistics().pollFailures()).isEqualTo(1);
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7401), 1, 4096).get(0);
            c.client().write(bytes("alive"), 0, 5);
            c.server().readTimeout(PATIENCE);
            assertThat(c.server().read(new byte[8], 0, 8)).isEqualTo(5);
        }
    }

    @Test
    void connectionsWithoutALocalPortGetDistinctEphemeralPorts() throws Exception {
        try (RuntimePair pair = new RuntimePair("ports", 6)) {
            List<Connected> connections = RuntimePair.connect(pair.a, pair.b, atB(7402), 3, 1024);

            List<Integer> ports = connections.stream().map(c -> c.client().localEndpoint().port()).toList();
            assertThat(ports).doesNotHaveDuplicates()
                    .allMatch(p -> p >= InterfaceRuntime.EPHEMERAL_FIRST && p <= 65535);
        }
    }

    /** A socket of an application's own kind whose first dispatch throws. */
    private static final class FailsOnce extends TestSockets.TestSocket {
        private boolean failed;

        @Override
        public void dispatch(PollContext context) {
            if (!failed) {
                failed = true;
                throw new IllegalStateException("dispatch failed");
            }
        }

        @Override
        public long pollAt(long nowMicros) {
            return failed ? Long.MAX_VALUE : nowMicros;
        }
    }
}
