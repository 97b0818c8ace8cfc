package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.InterfaceArpTest.arp;


import org.junit.jupiter.api.Test;
import smol.socket.SocketDrop;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.socket.UdpSocket;
import smol.socket.driver.SendOutcome;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;

/**
 * After a socket's send is refused, the interface holds that socket back until the reason can have
 * changed, and says so in the deadline its poll returns: never "now" again and again for a socket that
 * cannot make progress.
 */
class InterfaceHoldBackTest {
    private static final int IP_A = Fixtures.IP_A.bits();
    /** On none of the rig's subnets, and the rig has no gateway: no route. */
    private static final Ipv4Address UNROUTABLE = Ipv4Address.parse("192.0.2.1");
    // A's answer to B's request for 10.99.0.1
    private static final byte[] REPLY_FROM_A = arp("020000000002", "020000000001", 2, "020000000001", "10.99.0.1",
            "020000000002", "10.99.0.2");
    // A asks who has 10.99.0.2: B answers, so B's device takes a frame
    private static final byte[] REQUEST_FROM_A = arp("ffffffffffff", "020000000001", 1, "020000000001", "10.99.0.1",
            "000000000000", "10.99.0.2");

    /**
     * Polls {@code rig} {@code polls} times, each at the deadline the last poll returned (or 1 µs on
     * when it said "now", as a loop that believed it would spin), and returns how many said "now".
     */
    private static int pollsAskingForNow(Rig rig, int polls) {
        int now = 0;
        for (int i = 0; i < polls; i++) {
            long next = rig.iface.poll(rig.now);
            if (next == Long.MAX_VALUE) {
                break;
            }
            if (next <= rig.now) {
                now++;
                rig.now += 1;
            } else {
                rig.now = next;
            }
        }
        return now;
    }

    @Test
    void aSocketRefusedByABusyDeviceIsHeldBackAndResumesWhenTheDeviceTakesAFrameAgain() {
        Rig rig = new Rig();
        rig.iface.arpCache().fill(IP_A, Fixtures.MAC_A.bits(), rig.now);
        TestSockets.UdpSender sender = new TestSockets.UdpSender().to(IP_A, 1, 2, new byte[1]);
        rig.add(sender);
        rig.device.refuseTransmit(true); // its queue is full

        assertThat(rig.poll()).as("the deadline after a busy refusal").isEqualTo(rig.now + 1_000);
        rig.now += 10;
        rig.poll();
        assertThat(sender.dispatches).as("held back").isEqualTo(1);

        rig.device.refuseTransmit(false);
        rig.now += 10;
        rig.receive(REQUEST_FROM_A); // the device takes our ARP answer: it has room again

        assertThat(sender.dispatches).isEqualTo(2);
        assertThat(sender.results).containsExactly(SendOutcome.DEVICE_BUSY, SendOutcome.SENT);
    }

    @Test
    void aSocketRefusedByABusyDeviceIsTriedAgainAfterOneMillisecondAtTheLatest() {
        Rig rig = new Rig();
        rig.iface.arpCache().fill(IP_A, Fixtures.MAC_A.bits(), rig.now);
        TestSockets.UdpSender sender = new TestSockets.UdpSender().to(IP_A, 1, 2, new byte[1]);
        rig.add(sender);
        rig.device.refuseTransmit(true);

        int asksForNow = pollsAskingForNow(rig, 2000);

        assertThat(asksForNow).as("of 2000 polls with a busy device, those that said now").isZero();
        assertThat(sender.dispatches).isEqualTo(2000);
        rig.device.refuseTransmit(false);
        rig.now += 1_000;
        rig.poll();
        assertThat(sender.results).endsWith(SendOutcome.SENT);
    }

    @Test
    void aSocketWaitingForANeighbourIsHeldBackAndResumesAtOnceWhenTheArpReplyArrives() {
        Rig rig = new Rig();
        TestSockets.UdpSender sender = new TestSockets.UdpSender().to(IP_A, 1, 2, new byte[1]);
        rig.add(sender);

        assertThat(rig.poll()).isEqualTo(rig.now + 1_000_000);
        assertThat(rig.device.takeTransmitted()).hasSize(1); // the ARP request
        rig.now += 10;
        rig.poll();
        assertThat(sender.dispatches).as("held back").isEqualTo(1);

        rig.now += 10;
        rig.receive(REPLY_FROM_A);

        assertThat(sender.dispatches).isEqualTo(2);
        assertThat(sender.results).containsExactly(SendOutcome.NEIGHBOUR_PENDING, SendOutcome.SENT);
    }

    @Test
    void aDatagramWithNoRouteIsDroppedNotRetriedForever() {
        Rig rig = new Rig();
        UdpSocket socket = new UdpSocket(4, 1024, 4, 1024);
        socket.bind(5000);
        rig.add(socket);
        socket.send(new IpEndpoint(UNROUTABLE, 53), new byte[8], 0, 8);

        int asksForNow = pollsAskingForNow(rig, 2000);

        assertThat(asksForNow).as("of 2000 polls, those that said now").isZero();
        assertThat(rig.poll()).isEqualTo(Long.MAX_VALUE);
        assertThat(socket.counters().drops(SocketDrop.NO_ROUTE)).isEqualTo(1);
        assertThat(rig.stats().drops(IfaceDrop.NO_ROUTE)).isEqualTo(1);
    }

    @Test
    void aConnectionToAnUnroutableAddressTimesOutWithoutAskingForNow() {
        Rig rig = new Rig();
        TcpSocket socket = new TcpSocket(1024, 1024);
        rig.add(socket);
        socket.connect(new IpEndpoint(UNROUTABLE, 80), new IpEndpoint(Fixtures.IP_B, 40000));
        long start = rig.now;

        int asksForNow = pollsAskingForNow(rig, 2000);

        assertThat(asksForNow).as("of 2000 polls, those that said now").isLessThanOrEqualTo(1);
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
        assertThat(rig.now - start).isLessThan(600_000_000L);
    }

    @Test
    void aSocketThatAsksForNowAfterARefusalForGoodIsHeldBack() {
        Rig rig = new Rig();
        TestSockets.UdpSender sender = new TestSockets.UdpSender().to(UNROUTABLE.bits(), 1, 2, new byte[1]);
        rig.add(sender);

        int asksForNow = pollsAskingForNow(rig, 2000);

        assertThat(asksForNow).as("of 2000 polls, those that said now").isZero();
    }
}
