package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.InitialSequence;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;

/**
 * While no device is attached, a connection's timers hold: a long outage counts no try and does not
 * back off the retransmission timeout, and what fell due meanwhile goes out as soon as a device is
 * attached again, not after a backed-off timer.
 */
class LinkOutageTest {
    private static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, 7777);
    private static final IpEndpoint CLIENT = new IpEndpoint(Fixtures.IP_A, 40000);
    private static final long SECOND = 1_000_000L;

    @Test
    void aLongDetachCountsNoTryAndTheDueSegmentGoesOutRightAfterAttach() {
        CutLink[] link = new CutLink[1];
        TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE),
                d -> link[0] = new CutLink(d), d -> d);
        TcpSocket server = new TcpSocket(8192, 8192, InitialSequence.fixed(1000));
        TcpSocket client = new TcpSocket(8192, 8192, InitialSequence.fixed(2000));
        stacks.socketsB.add(server);
        stacks.socketsA.add(client);
        server.listen(SERVER.port());
        client.connect(SERVER, CLIENT, stacks.now);
        stacks.runUntilOrFail(() -> server.state() == TcpState.ESTABLISHED, SECOND, "established");
        long rto = client.retransmitTimeout();

        // the segment leaves into a link that loses it, and the device is taken away right after
        link[0].cut(true);
        byte[] data = new byte[100];
        client.send(data, 0, data.length);
        stacks.runTo(stacks.now + TwoStacks.HOP_MICROS);
        assertThat(client.sendQueue()).isEqualTo(100);
        stacks.a.detach();
        stacks.runTo(stacks.now + 100 * SECOND);
        assertThat(client.retransmitTimeouts()).as("tries while detached").isZero();

        link[0].cut(false);
        stacks.a.attach(link[0]);
        long attachedAt = stacks.now;
        stacks.runUntilOrFail(() -> server.recvQueue() == 100, SECOND, "the segment delivered");

        assertThat(stacks.now - attachedAt).as("from attach to delivery").isLessThan(rto);
        assertThat(client.retransmitTimeouts()).as("tries counted for the outage").isZero();
        assertThat(client.retransmitTimeout()).as("the timeout after the outage").isEqualTo(rto);
        assertThat(client.state()).isEqualTo(TcpState.ESTABLISHED);
    }
}
