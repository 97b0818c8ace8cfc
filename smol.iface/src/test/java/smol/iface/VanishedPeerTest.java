package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;

/**
 * A peer that vanishes in the middle of a connection (powered off, its cable pulled) does not pin the
 * connection: the retransmissions go unanswered, then, once its ARP entry expired, cannot even be
 * addressed; each try counts either way, so the connection ends with TIMEOUT after the retry limit,
 * while the ARP requests for the lost neighbour go out at most once a second.
 */
class VanishedPeerTest {
    private static final long SECOND = CutConnection.SECOND;

    /**
     * From the last transmission to the timeout: one timer per try, doubling from {@code rto} to the
     * 60 s cap, the last expiry ending the connection; plus, per try, the one ARP retry (1 s) the
     * interface may hold the socket past its timer while the neighbour does not answer.
     */
    private static long timeoutBound(long rto, int retryLimit) {
        long total = 0;
        for (int k = 0; k <= retryLimit; k++) {
            total += Math.min(TcpSocket.MAX_RTO_MICROS, rto << k) + SECOND;
        }
        return total;
    }

    @Test
    void aConnectionWhosePeerVanishesEndsWithTimeoutAndAsksForItsMacAtMostOnceASecond() {
        CutConnection connection = new CutConnection();
        TwoStacks stacks = connection.stacks;
        TcpSocket client = connection.client;

        connection.link.cut(true); // B is gone: nothing A sends arrives, nothing comes back, not even ARP
        byte[] data = new byte[3000];
        assertThat(client.send(data, 0, data.length)).isEqualTo(data.length);
        long start = stacks.now;
        long arpRequestsBefore = stacks.a.statistics().arpRequestsSent();
        long bound = timeoutBound(client.retransmitTimeout(), client.retryLimit());

        stacks.runUntil(() -> client.state() == TcpState.CLOSED, start + 3000 * SECOND);

        long elapsed = stacks.now - start;
        assertThat(client.state()).as("after %d s", elapsed / SECOND).isEqualTo(TcpState.CLOSED);
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
        assertThat(client.retransmitTimeouts()).isEqualTo(client.retryLimit());
        assertThat(elapsed).isLessThanOrEqualTo(bound);
        long arpRequests = stacks.a.statistics().arpRequestsSent() - arpRequestsBefore;
        assertThat(arpRequests).as("ARP requests in %d s", elapsed / SECOND).isPositive()
                .isLessThanOrEqualTo(elapsed / SECOND + 1);
        assertThat(stacks.a.statistics().drops(IfaceDrop.NEIGHBOUR_UNRESOLVED)).isPositive();
    }
}
