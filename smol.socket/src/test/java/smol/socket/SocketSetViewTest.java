package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import smol.socket.driver.InitialSequence;

/** An owner's view of a socket set: what closing it ends, and that it reaches only its own sockets. */
class SocketSetViewTest extends TcpSocketHarness {
    private final SocketSet set = new SocketSet(4);
    private final SocketSetView view = set.view("com.example.app");

    @Test
    void closingTheViewAbortsItsConnectionsClosesItsDatagramSocketsAndLetsGoOfThem() {
        socket = Poller.tcp(1024, 1024, InitialSequence.fixed(ISS));
        SocketHandle tcp = view.add(socket);
        establishActive();
        UdpSocket udp = new UdpSocket(1, 64, 1, 64);
        udp.bind(6969);
        SocketHandle datagrams = view.add(udp);
        assertThat(set.owner(tcp)).isEqualTo("com.example.app");

        view.close();

        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.ABORTED);
        assertThat(udp.isBound()).isFalse();
        assertThatThrownBy(() -> view.get(tcp)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.example.app");
        assertThat(set.contains(tcp)).isFalse();
        assertThat(set.contains(datagrams)).isFalse();
        // the TCP socket keeps its slot until its RST left; the UDP one is freed at once
        assertThat(set.size()).isEqualTo(1);
        assertThat(set.driver(tcp.slot())).as("still polled").isNotNull();
        assertThat(dispatch()).containsExactly(ours("rst", ISS + 1, 0, 1024, 0));
        assertThat(set.driver(tcp.slot())).as("freed by the poll after its last segment").isNull();
        assertThat(set.size()).isZero();
    }

    @Test
    void aViewReachesOnlyTheSocketsItAdded() {
        SocketHandle direct = set.add(new UdpSocket(1, 64, 1, 64));
        SocketHandle others = set.view("org.example.other").add(new UdpSocket(1, 64, 1, 64));

        assertThatThrownBy(() -> view.get(direct)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a socket of com.example.app");
        assertThatThrownBy(() -> view.remove(others)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("its owner is org.example.other");
        assertThat(set.owner(direct)).isNull();
    }

    @Test
    void aClosedViewRefusesEverythingAndClosingAgainDoesNothing() {
        SocketHandle handle = view.add(new UdpSocket(1, 64, 1, 64));
        view.close();
        view.close();

        assertThat(view.isClosed()).isTrue();
        assertThat(view.handles()).isEmpty();
        assertThatThrownBy(() -> view.add(new UdpSocket(1, 64, 1, 64))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the sockets of com.example.app are closed");
        assertThatThrownBy(() -> set.get(handle)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stale");
        assertThatThrownBy(() -> set.view(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removingThroughTheViewHandsTheSocketBackAsItIs() {
        UdpSocket udp = new UdpSocket(1, 64, 1, 64);
        udp.bind(53);
        SocketHandle handle = view.add(udp);

        assertThat(view.remove(handle)).isSameAs(udp);

        assertThat(udp.isBound()).isTrue();
        assertThat(view.handles()).isEmpty();
        assertThat(set.size()).isZero();
    }

    @Test
    void anOwnersNameIdentifiesOneOpenViewAtATime() {
        assertThatThrownBy(() -> set.view("com.example.app")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.example.app have a view open already");

        view.close();

        SocketSetView again = set.view("com.example.app");
        assertThat(again.handles()).as("a new view of the name starts empty").isEmpty();
    }
}
