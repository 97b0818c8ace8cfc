package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;

import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import smol.socket.SocketHandle;
import smol.socket.SocketSetView;
import smol.socket.TcpSocket;

/**
 * A slot of the set taken again before the loop has seen its socket go: the connection of the socket that
 * left still ends, and the new one is a connection of its own.
 */
class RuntimeSlotReuseTest {
    private static final int PORT = 7171;
    private final RuntimePair pair = new RuntimePair("reuse", 8);

    @AfterEach
    void stop() {
        pair.close();
    }

    private TcpConnection connected() throws Exception {
        TcpConnection server = pair.b.tcp(4096, 4096);
        server.listen(PORT);
        TcpConnection client = pair.a.tcp(4096, 4096).readTimeout(Duration.ofSeconds(5));
        client.connect(atB(PORT), PATIENCE);
        return client;
    }

    @Test
    void aConnectionWhoseSocketWasRemovedEndsEvenWhenTheSameActionOpensAnotherInItsSlot() throws Exception {
        TcpConnection client = connected();
        SocketHandle handle = client.handle();
        TcpConnection[] fresh = new TcpConnection[1];
        pair.a.withSockets(set -> {
            set.remove(handle);
            fresh[0] = pair.a.tcp(4096, 4096);
            return null;
        });

        assertThat(fresh[0].handle().slot()).isEqualTo(handle.slot());
        assertThat(fresh[0].handle()).isNotEqualTo(handle);
        assertThat(client.isClosed()).isTrue();
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.read(new byte[16], 0, 16)).isInstanceOf(SocketException.class)
                .hasMessage("socket closed");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(fresh[0].isClosed()).isFalse();
    }

    @Test
    void aConnectionOfAClosedViewEndsEvenWhenAnotherSocketTakesItsSlotAtOnce() throws Exception {
        SocketSetView[] view = new SocketSetView[1];
        SocketHandle handle = pair.a.withSockets(set -> {
            view[0] = set.view("com.example.app");
            return view[0].add(new TcpSocket(4096, 4096));
        });
        TcpConnection owned = pair.a.tcp(handle).readTimeout(Duration.ofSeconds(5));
        TcpConnection[] fresh = new TcpConnection[1];
        pair.a.withSockets(set -> {
            view[0].close(); // never opened, so nothing left to send: its slot is free at once
            fresh[0] = pair.a.tcp(4096, 4096);
            return null;
        });

        assertThat(fresh[0].handle().slot()).isEqualTo(handle.slot());
        assertThat(owned.isClosed()).isTrue();
        assertThatThrownBy(() -> owned.read(new byte[16], 0, 16)).isInstanceOf(SocketException.class)
                .hasMessage("socket closed");
        assertThat(fresh[0].isClosed()).isFalse();
    }
}
