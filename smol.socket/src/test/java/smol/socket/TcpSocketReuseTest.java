package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Opening a socket again, and a peer opening the same 4-tuple again, while the old connection waits in
 * TIME-WAIT (RFC 9293 §3.10.7.4, RFC 6191).
 */
class TcpSocketReuseTest extends TcpSocketHarness {

    /** We close first; the peer's FIN arrives and is acknowledged: TIME-WAIT with RCV.NXT = IRS + 2. */
    private void enterTimeWait() {
        establishPassive();
        socket.close();
        dispatch();
        in(seg(FIN | ACK, IRS + 1, ISS + 2));
        dispatch();
        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);
    }

    @Test
    void smoltcpsReopenIdiomWorksInTimeWait() {
        enterTimeWait();

        if (!socket.isOpen()) {
            socket.listen(LOCAL.port());
        }

        assertThat(socket.state()).isEqualTo(TcpState.LISTEN);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.NONE);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
        // and the socket serves the next peer from scratch
        in(seg(SYN, IRS + 100_000, 0).mss(1460));
        assertThat(dispatch()).containsExactly(ours("syn ack", ISS, IRS + 100_001, 1024, 0, " mss=1460"));
    }

    @Test
    void connectLeavesTimeWaitToo() {
        enterTimeWait();

        socket.connect(REMOTE, LOCAL);

        assertThat(socket.state()).isEqualTo(TcpState.SYN_SENT);
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=0,0"));
    }

    @Test
    void aSynBeyondRcvNxtInTimeWaitGivesWayToANewConnection() {
        enterTimeWait();

        // RFC 6191 without timestamps: SEG.SEQ > RCV.NXT starts a new incarnation; the socket ends its
        // TIME-WAIT and leaves the SYN to a listener (the interface offers it to one next)
        boolean taken = in(seg(SYN, IRS + 2 + 64_000, 0).mss(1460));

        assertThat(taken).isFalse();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(dispatch()).isEmpty();
    }

    @Test
    void anyOtherSynInTimeWaitGetsAnAck() {
        enterTimeWait();

        assertThat(in(seg(SYN, IRS + 1, 0).mss(1460))).isTrue(); // at or before RCV.NXT: an old one

        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 2, IRS + 2, 1023, 0)); // the FIN took one
    }

    @Test
    void withTimestampsANewerTsvalDecidesInTimeWait() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0).mss(1460).timestamps(500, 0));
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 1).timestamps(501, 0));
        socket.close();
        dispatch();
        in(seg(FIN | ACK, IRS + 1, ISS + 2).timestamps(502, 0));
        dispatch();
        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);

        // RFC 6191 §2: with timestamps, a SYN whose TSval is not newer than TS.Recent is an old one,
        // whatever its sequence number
        assertThat(in(seg(SYN, IRS + 64_000, 0).mss(1460).timestamps(502, 0))).isTrue();
        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);
        // and one with a newer TSval starts a new connection, even at a lower sequence number
        assertThat(in(seg(SYN, IRS - 64_000, 0).mss(1460).timestamps(503, 0))).isFalse();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
    }
}
