package smol.socket;

import smol.socket.driver.InitialSequence;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bulk transfers between two TCP sockets over the in-test wire, clean and with seeded loss and reordering. */
class TcpTransferTest {
    private static final int MIB = 1 << 20;

    private static byte[] randomBytes(long seed, int n) {
        byte[] data = new byte[n];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static void assertBothClosedGracefully(TcpWire wire) {
        wire.runUntil(() -> wire.a.state() == TcpState.CLOSED && wire.b.state() == TcpState.CLOSED, 120_000_000L);
        assertThat(wire.a.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(wire.b.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
    }

    @ParameterizedTest(name = "buffers of {0} bytes")
    @ValueSource(ints = {64, 65536})
    void oneMebibyteEachWayArrivesByteExact(int bufferSize) {
        TcpSocket a = Poller.tcp(bufferSize, bufferSize, InitialSequence.fixed(0x7fff_fff0)); // wraps 2^31
        TcpSocket b = Poller.tcp(bufferSize, bufferSize, InitialSequence.fixed(-100)); // wraps 2^32
        TcpWire wire = new TcpWire(a, b).open();
        byte[] toB = randomBytes(1, MIB);
        byte[] toA = randomBytes(2, MIB);
        byte[][] got = wire.exchange(toB, toA, 600_000_000L);
        assertThat(got[0]).isEqualTo(toB);
        assertThat(got[1]).isEqualTo(toA);
        assertThat(a.counters().retransmissions()).isZero();
        assertThat(b.counters().retransmissions()).isZero();
        assertBothClosedGracefully(wire);
    }

    @Test
    void oneMebibyteOneWayThenTheOtherWay() {
        TcpSocket a = Poller.tcp(64, 64, InitialSequence.fixed(1));
        TcpSocket b = Poller.tcp(64, 64, InitialSequence.fixed(2));
        TcpWire wire = new TcpWire(a, b).open();
        byte[] toB = randomBytes(3, MIB);
        assertThat(wire.transfer(a, b, toB, 600_000_000L)).isEqualTo(toB);
        assertThat(b.state()).isEqualTo(TcpState.CLOSE_WAIT);
        byte[] toA = randomBytes(4, MIB);
        assertThat(wire.transfer(b, a, toA, 600_000_000L)).isEqualTo(toA);
        assertBothClosedGracefully(wire);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void lossAndReorderingStillDeliverByteExact(long seed) {
        TcpSocket a = Poller.tcp(4096, 4096, InitialSequence.keyed(seed, ~seed));
        TcpSocket b = Poller.tcp(4096, 4096, InitialSequence.keyed(~seed, seed));
        TcpWire wire = new TcpWire(a, b).faults(seed, 0.05, 3_000);
        wire.open();
        byte[] toB = randomBytes(seed, 200_000);
        byte[] toA = randomBytes(-seed, 100_000);
        byte[][] got = wire.exchange(toB, toA, 3_600_000_000L);
        assertThat(got[0]).isEqualTo(toB);
        assertThat(got[1]).isEqualTo(toA);
        assertThat(wire.lost).isPositive();
        assertBothClosedGracefully(wire);
    }

    @Test
    void lossWithTinyBuffersStillDeliversByteExact() {
        TcpSocket a = Poller.tcp(64, 64, InitialSequence.fixed(5));
        TcpSocket b = Poller.tcp(64, 64, InitialSequence.fixed(6));
        TcpWire wire = new TcpWire(a, b).faults(99, 0.1, 2_000);
        wire.open();
        byte[] toB = randomBytes(7, 20_000);
        byte[] toA = randomBytes(8, 20_000);
        byte[][] got = wire.exchange(toB, toA, 3_600_000_000L);
        assertThat(got[0]).isEqualTo(toB);
        assertThat(got[1]).isEqualTo(toA);
        assertBothClosedGracefully(wire);
    }
}
