package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The segment size the peer can make us use. */
class TcpSocketSegmentSizeTest extends TcpSocketHarness {

    @Test
    void thePeersMssIsClampedToAtLeast48Bytes() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0).mss(1)); // CVE-2019-11479: an MSS of 1 would cost a segment per byte
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 1));
        assertThat(socket.mss()).isEqualTo(TcpSocket.MIN_PEER_MSS).isEqualTo(48);

        send("x".repeat(480));

        assertThat(dispatch()).hasSize(10).allSatisfy(s -> assertThat(s).contains(" len=48"));
    }

    @Test
    void anMssAbove48IsTakenAsOffered() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        in(seg(SYN | ACK, IRS, ISS + 1).mss(100));

        assertThat(socket.mss()).isEqualTo(100);
    }
}
