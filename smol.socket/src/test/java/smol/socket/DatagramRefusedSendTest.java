package smol.socket;

import smol.socket.driver.SendOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Repr;
import smol.wire.UdpRepr;

/**
 * UDP datagrams and echo requests the interface refuses: dropped and counted when refused for good
 * (no route, too big), so a socket never retries them forever; kept for a later poll when refused for
 * now (the neighbour not resolved yet, a busy device, no device).
 */
class DatagramRefusedSendTest {
    private static final int REACHABLE = 0x0a630001; // 10.99.0.1
    private static final int UNREACHABLE = 0xc0000201; // 192.0.2.1
    private static final long NOW = 1_000_000L;

    /** Records what it sends, and refuses with {@code refusal} whatever goes to {@link #UNREACHABLE}. */
    private static final class Refusing extends SentPackets {
        private final SendOutcome refusal;

        Refusing(SendOutcome refusal) {
            this.refusal = refusal;
        }

        @Override
        public SendOutcome send(Ipv4Repr ip, UdpRepr repr) {
            return ip.dst() == UNREACHABLE ? refusal : super.send(ip, repr);
        }

        @Override
        public SendOutcome send(Ipv4Repr ip, Icmpv4Repr repr) {
            return ip.dst() == UNREACHABLE ? refusal : super.send(ip, repr);
        }
    }

    private static UdpSocket udpWithTwoDatagrams() {
        UdpSocket socket = new UdpSocket(4, 256, 4, 256);
        socket.bind(5000);
        assertThat(socket.send(UNREACHABLE, 53, new byte[4], 0, 4)).isEqualTo(SendResult.OK);
        assertThat(socket.send(REACHABLE, 53, new byte[2], 0, 2)).isEqualTo(SendResult.OK);
        return socket;
    }

    @Test
    void aDatagramWithNoRouteIsDroppedAndCountedAndTheNextOneGoes() {
        UdpSocket socket = udpWithTwoDatagrams();
        Refusing out = new Refusing(SendOutcome.NO_ROUTE);

        Poller.dispatch(socket, NOW, out);

        assertThat(out.udp).extracting(SentPackets.Udp::dst).containsExactly("10.99.0.1");
        assertThat(socket.counters().drops(SocketDrop.NO_ROUTE)).isEqualTo(1);
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aDatagramTooBigForTheDeviceIsDroppedAndCounted() {
        UdpSocket socket = udpWithTwoDatagrams();
        Refusing out = new Refusing(SendOutcome.TOO_BIG);

        Poller.dispatch(socket, NOW, out);

        assertThat(out.udp).hasSize(1);
        assertThat(socket.counters().drops(SocketDrop.PAYLOAD_TOO_LARGE)).isEqualTo(1);
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aDatagramRefusedForNowStaysQueuedAndHoldsBackTheOnesBehindIt() {
        for (SendOutcome forNow : new SendOutcome[] {SendOutcome.NEIGHBOUR_PENDING, SendOutcome.DEVICE_BUSY,
                SendOutcome.NO_DEVICE}) {
            UdpSocket socket = udpWithTwoDatagrams();
            Refusing out = new Refusing(forNow);

            Poller.dispatch(socket, NOW, out);

            assertThat(out.udp).as("%s", forNow).isEmpty();
            assertThat(socket.counters().drops(SocketDrop.NO_ROUTE)).isZero();
            assertThat(Poller.pollAt(socket, NOW)).isEqualTo(NOW);
        }
    }

    @Test
    void anEchoRequestWithNoRouteIsDroppedAndCountedAndTheNextOneGoes() {
        IcmpSocket socket = new IcmpSocket(4, 4, 64);
        socket.bind(7);
        socket.sendEcho(UNREACHABLE, 1, 8);
        socket.sendEcho(REACHABLE, 2, 8);
        Refusing out = new Refusing(SendOutcome.NO_ROUTE);

        Poller.dispatch(socket, NOW, out);

        assertThat(out.icmp).extracting(SentPackets.Icmp::seq).containsExactly(2);
        assertThat(socket.counters().drops(SocketDrop.NO_ROUTE)).isEqualTo(1);
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(Long.MAX_VALUE);
    }
}
