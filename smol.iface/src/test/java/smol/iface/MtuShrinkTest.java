package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.wire.IpEndpoint;

/**
 * A live connection survives its devices being swapped for ones with a smaller MTU (as a hot swap of
 * the phy bundle does): the segment size follows the MTU at every dispatch, so the data already sent
 * in large segments and lost in the swap is resent in small ones and the transfer carries on.
 */
class MtuShrinkTest {
    private static final int SIZE = 256 * 1024;
    private static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, 7777);
    private static final IpEndpoint CLIENT = new IpEndpoint(Fixtures.IP_A, 40000);

    @Test
    void aLiveConnectionKeepsTransferringWhenItsDevicesAreSwappedForASmallerMtu() {
        CutLink[] linkB = new CutLink[1];
        TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE), d -> d,
                d -> linkB[0] = new CutLink(d));
        TcpSocket server = new TcpSocket(16384, 16384);
        TcpSocket client = new TcpSocket(16384, 16384);
        stacks.open(client, CLIENT, server, SERVER);
        PatternStream.Writer writer = new PatternStream.Writer(client, 5, SIZE, true);
        PatternStream.Reader reader = new PatternStream.Reader(server, 5, true);
        stacks.application(writer).application(reader);
        // a quarter delivered, and large segments on their way to B
        stacks.runUntilOrFail(() -> reader.received >= SIZE / 4 && stacks.cable.b().framesWaiting() >= 4, 10_000_000,
                "a quarter delivered");
        assertThat(client.mss()).isEqualTo(1460);
        long retransmittedBefore = client.counters().retransmissions();

        // the link breaks for a moment, losing the large segments on their way; then both ends get a
        // device with MTU 576
        linkB[0].cut(true);
        stacks.runTo(stacks.now + TwoStacks.HOP_MICROS);
        assertThat(linkB[0].framesLost).as("frames lost while the link was broken").isGreaterThanOrEqualTo(4);
        SmallerMtu smallA = new SmallerMtu(stacks.deviceA, 576);
        SmallerMtu smallB = new SmallerMtu(stacks.deviceB, 576);
        stacks.a.detach();
        stacks.b.detach();
        stacks.a.attach(smallA);
        stacks.b.attach(smallB);
        linkB[0].cut(false);
        long swappedAt = stacks.now;
        stacks.runUntilOrFail(() -> !client.isOpen() && !server.isOpen(), 60_000_000, "all delivered and closed");

        assertThat(reader.received).isEqualTo(SIZE);
        assertThat(reader.firstMismatch).isEqualTo(-1);
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(client.mss()).isEqualTo(536);
        assertThat(smallA.oversize).as("frames too long for the new device").isZero();
        assertThat(client.counters().retransmissions()).as("resent after the swap").isGreaterThan(retransmittedBefore);
        assertThat(stacks.a.statistics().drops(IfaceDrop.TOO_BIG)).isZero();
        assertThat(stacks.now - swappedAt).isLessThan(10_000_000);
    }
}
