package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import smol.socket.TcpSocket;
import smol.socket.TcpState;

/**
 * While no device is attached, a connection's timers hold: a long outage counts no try and does not
 * back off the retransmission timeout, and what fell due meanwhile goes out as soon as a device is
 * attached again, not after a backed-off timer.
 */
class LinkOutageTest {
    private static final long SECOND = CutConnection.SECOND;

    @Test
    void aLongDetachCountsNoTryAndTheDueSegmentGoesOutRightAfterAttach() {
        CutConnection connection = new CutConnection();
        TwoStacks stacks = connection.stacks;
        TcpSocket server = connection.server;
        TcpSocket client = connection.client;
        CutLink link = connection.link;
        long rto = client.retransmitTimeout();

        // the segment leaves into a link that loses it, and the device is taken away right after
        link.cut(true);
        byte[] data = new byte[100];
        client.send(data, 0, data.length);
        stacks.runTo(stacks.now + TwoStacks.HOP_MICROS);
        assertThat(client.sendQueue()).isEqualTo(100);
        stacks.a.detach();
        stacks.runTo(stacks.now + 100 * SECOND);
        assertThat(client.retransmitTimeouts()).as("tries while detached").isZero();

        link.cut(false);
        stacks.a.attach(link);
        long attachedAt = stacks.now;
        stacks.runUntilOrFail(() -> server.recvQueue() == 100, SECOND, "the segment delivered");

        assertThat(stacks.now - attachedAt).as("from attach to delivery").isLessThan(rto);
        assertThat(client.retransmitTimeouts()).as("tries counted for the outage").isZero();
        assertThat(client.retransmitTimeout()).as("the timeout after the outage").isEqualTo(rto);
        assertThat(client.state()).isEqualTo(TcpState.ESTABLISHED);
    }
}
