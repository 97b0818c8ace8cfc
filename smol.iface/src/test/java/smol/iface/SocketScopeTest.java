package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;
import static smol.iface.RuntimePair.awaitBlocked;
import static smol.iface.RuntimePair.awaitTrue;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.socket.SocketSnapshot;
import smol.socket.TcpState;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;

/**
 * {@link InterfaceRuntime#scope}: one owner's sockets, recorded under its name, ended together when the
 * scope closes while another owner's go on. Real threads over the in-memory cable ({@link RuntimePair}).
 */
class SocketScopeTest {

    @Test
    @Timeout(60)
    void closingAScopeEndsItsServerItsAcceptedConnectionAndItsDatagramsWhileAnotherOwnersConnectionGoesOn()
            throws Exception {
        try (RuntimePair pair = new RuntimePair("scope", 16)) {
            SocketSetService app = pair.b.scope("com.example.app");
            SocketSetService other = pair.b.scope("com.example.other");
            TcpServer server = app.listen(7000, 2, 1024, 1024);
            UdpEndpoint udp = app.udp(new UdpSocket(2, 256, 2, 256));
            udp.bind(7001);
            TcpServer otherServer = other.listen(7002, 1, 1024, 1024);

            TcpConnection client = pair.a.tcp(1024, 1024);
            client.connect(atB(7000), PATIENCE);
            TcpConnection accepted = server.acceptTimeout(PATIENCE).accept();
            TcpConnection otherClient = pair.a.tcp(1024, 1024);
            otherClient.connect(atB(7002), PATIENCE);
            TcpConnection otherAccepted = otherServer.acceptTimeout(PATIENCE).accept();

            assertThat(app.owner()).isEqualTo("com.example.app");
            assertThat(app.interfaceName()).isEqualTo("scope-b");
            assertThat(pair.b.snapshot().sockets().stream().filter(s -> s.remote() != null
                    && s.remote().equals(client.localEndpoint())).map(SocketSnapshot::owner))
                    .as("the accepted connection is recorded under its owner").containsExactly("com.example.app");

            AtomicReference<Throwable> blockedRead = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    accepted.inputStream().read();
                } catch (Throwable t) {
                    blockedRead.set(t);
                }
            }, "scope-reader");
            reader.start();
            awaitBlocked(reader);

            app.close();

            reader.join(PATIENCE.toMillis());
            assertThat(blockedRead.get()).as("a blocked read ends, naming the owner").isInstanceOf(SocketException.class)
                    .hasMessageContaining("the sockets of com.example.app were closed");
            assertThatThrownBy(() -> accepted.outputStream().write(1)).isInstanceOf(SocketException.class)
                    .hasMessageContaining("com.example.app");
            assertThatThrownBy(() -> udp.receive(new UdpDatagram(16))).isInstanceOf(SocketException.class)
                    .hasMessageContaining("com.example.app");
            assertThatThrownBy(server::accept).isInstanceOf(SocketException.class).hasMessageContaining("server closed");
            assertThatThrownBy(() -> app.tcp(64, 64)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the sockets of com.example.app are closed");
            assertThat(app.isClosed()).isTrue();
            awaitTrue(() -> client.state() == TcpState.CLOSED, "the peer to get the reset");

            otherAccepted.outputStream().write(new byte[] {42});
            otherAccepted.outputStream().flush();
            otherClient.readTimeout(PATIENCE);
            assertThat(otherClient.inputStream().read()).as("the other owner's connection goes on").isEqualTo(42);
            assertThat(pair.b.snapshot().sockets()).as("only the other owner's sockets are left")
                    .allMatch(s -> "com.example.other".equals(s.owner()));
            assertThat(pair.b.scope("com.example.app").owner()).as("the name may be taken again").isEqualTo("com.example.app");
        }
    }

    @Test
    void aSecondScopeOfAnOpenOwnerAndABlankOwnerAreRefused() throws IOException {
        try (RuntimePair pair = new RuntimePair("scope-names", 4)) {
            pair.a.scope("com.example.app");
            assertThatThrownBy(() -> pair.a.scope("com.example.app")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("com.example.app");
            assertThatThrownBy(() -> pair.a.scope(" ")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
