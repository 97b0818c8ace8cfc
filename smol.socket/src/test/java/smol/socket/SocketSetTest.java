package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Handles of a socket set: what they name, and that they never alias. */
class SocketSetTest {
    private final SocketSet set = new SocketSet(2);
    private final UdpSocket first = new UdpSocket(1, 64, 1, 64);
    private final UdpSocket second = new UdpSocket(1, 64, 1, 64);

    @Test
    void aHandleNamesTheSocketItWasIssuedFor() {
        SocketHandle handle = set.add(first);

        assertThat(set.get(handle)).isSameAs(first);
        assertThat(set.get(handle, UdpSocket.class)).isSameAs(first);
        assertThat(set.contains(handle)).isTrue();
        assertThat(set.size()).isEqualTo(1);
    }

    @Test
    void aHandleOfARemovedSocketNeverReachesTheSocketThatReusesItsSlot() {
        SocketHandle old = set.add(first);
        set.remove(old);

        SocketHandle fresh = set.add(second);

        assertThat(fresh.slot()).as("the slot is reused").isEqualTo(old.slot());
        assertThat(set.contains(old)).isFalse();
        assertThatThrownBy(() -> set.get(old)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stale").hasMessageContaining("removed");
        assertThatThrownBy(() -> set.remove(old)).isInstanceOf(IllegalArgumentException.class);
        assertThat(set.get(fresh)).isSameAs(second);
    }

    @Test
    void aHandleOfAnotherSetIsRefused() {
        SocketSet other = new SocketSet(2);
        SocketHandle foreign = other.add(first);
        set.add(second);

        assertThatThrownBy(() -> set.get(foreign)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another socket set");
    }

    @Test
    void misuseIsReportedClearly() {
        SocketHandle handle = set.add(first);
        set.add(second);

        assertThatThrownBy(() -> set.add(new UdpSocket(1, 64, 1, 64))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("full: capacity 2");
        assertThatThrownBy(() -> set.add(first)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already in the set");
        assertThatThrownBy(() -> set.get(handle, TcpSocket.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a UdpSocket, not a TcpSocket");
        assertThatThrownBy(() -> set.get(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SocketSet(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
