package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Timers that bound a connection's life: the RTO after a slow handshake, the FIN-WAIT-2 timeout. */
class TcpSocketTimersTest extends TcpSocketHarness {
    private static final long SECOND = 1_000_000L;

    @Test
    void afterARetransmittedSynWithoutRttSampleTheRtoIsThreeSecondsWhenDataBegins() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        now += SECOND;
        assertThat(dispatch()).as("the SYN again").hasSize(1);
        now += SECOND / 2;
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460)); // no timestamps, and Karn: no sample
        dispatch();
        send("data");
        dispatch();

        // RFC 6298 §5.7: the RTO is re-initialized to 3 s when data transmission begins
        assertThat(socket.retransmitTimeout()).isEqualTo(3 * SECOND);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + 3 * SECOND);
    }

    @Test
    void afterARetransmittedSynAckWithoutRttSampleTheRtoIsThreeSecondsToo() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0).mss(1460));
        dispatch();
        now += SECOND;
        assertThat(dispatch()).as("the SYN-ACK again").hasSize(1);
        now += SECOND / 2;
        in(seg(ACK, IRS + 1, ISS + 1));
        send("data");
        dispatch();

        assertThat(socket.retransmitTimeout()).isEqualTo(3 * SECOND);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + 3 * SECOND);
    }

    @Test
    void aHandshakeWithoutRetransmissionKeepsItsMeasuredRto() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        now += 10_000;
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460)); // a 10 ms sample

        assertThat(socket.retransmitTimeout()).isEqualTo(TcpSocket.MIN_RTO_MICROS);
    }

    /** We close first, the peer acknowledges our FIN but keeps its own direction open: FIN-WAIT-2. */
    private void enterFinWait2() {
        if (socket.state() == TcpState.CLOSED) {
            establishActive();
        }
        socket.close();
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 2));
        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_2);
    }

    @Test
    void finWait2EndsAfterSixtySecondsOnceTheApplicationReadsNoMore() {
        establishActive();
        socket.shutdownInput(); // before the FIN is acknowledged: the timer starts on entering FIN-WAIT-2
        enterFinWait2();

        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + TcpSocket.DEFAULT_FIN_WAIT_2_MICROS);
        assertThat(TcpSocket.DEFAULT_FIN_WAIT_2_MICROS).isEqualTo(60 * SECOND);
        now += TcpSocket.DEFAULT_FIN_WAIT_2_MICROS - 1;
        assertThat(dispatch()).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_2);
        now += 1;
        assertThat(dispatch()).as("Linux sends nothing either").isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theFinWait2TimeoutIsConfigurableAndCountsFromWhenBothDirectionsAreClosed() {
        socket.finWait2Timeout(5 * SECOND);
        assertThat(socket.finWait2Timeout()).isEqualTo(5 * SECOND);
        enterFinWait2();
        now += 100 * SECOND;
        socket.shutdownInput();

        assertThat(Poller.pollAt(socket, now)).as("a dispatch starts the timer").isEqualTo(now);
        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + 5 * SECOND);
        now += 5 * SECOND;
        dispatch();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThatThrownBy(() -> socket.finWait2Timeout(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHalfClosedSocketThatStillReadsWaitsForThePeerAsOnLinux() {
        enterFinWait2();

        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
        now += 3000 * SECOND;
        dispatch();
        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_2);
        in(data(IRS + 1, ISS + 2, "late"));
        assertThat(recvAll()).isEqualTo("late");
        in(seg(FIN | ACK, IRS + 5, ISS + 2));
        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);
    }

    @Test
    void dataArrivingAfterShutdownInputIsAcknowledgedAndDiscarded() {
        enterFinWait2();
        socket.shutdownInput();
        dispatch();
        long deadline = Poller.pollAt(socket, now);

        in(data(IRS + 1, ISS + 2, "ignored"));

        assertThat(socket.recv(new byte[16], 0, 16)).as("end of stream for the application").isEqualTo(-1);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 2, IRS + 8, 1017, 0));
        assertThat(Poller.pollAt(socket, now)).as("data does not extend FIN-WAIT-2").isEqualTo(deadline);
    }
    /** ESTABLISHED, the peer's window closed, ten bytes queued: the persist timer runs. */
    private void blockedByAZeroWindow() {
        establishActive();
        in(seg(ACK, IRS + 1, ISS + 1).window(0));
        send("0123456789");
        assertThat(dispatch()).isEmpty(); // starts the persist timer
    }

    @Test
    void zeroWindowProbesBackOffOnTheirOwnAndLeaveTheRtoAlone() {
        blockedByAZeroWindow();
        long rto = socket.retransmitTimeout();
        long interval = rto;
        for (int probe = 0; probe < 7; probe++) {
            assertThat(Poller.pollAt(socket, now)).as("probe %d", probe).isEqualTo(now + interval);
            now += interval;
            assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 1));
            in(seg(ACK, IRS + 1, ISS + 1).window(0)); // the window is still closed: the byte was dropped
            interval = Math.min(2 * interval, TcpSocket.MAX_RTO_MICROS);
        }

        assertThat(socket.retransmitTimeout()).as("the RTO is not the persist timer's").isEqualTo(rto);
        assertThat(socket.retransmitTimeouts()).isZero();
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void whenTheWindowReopensWhatThePeerDroppedIsResentAtOnce() {
        blockedByAZeroWindow();
        long rto = socket.retransmitTimeout();
        for (int probe = 0; probe < 5; probe++) {
            now = Poller.pollAt(socket, now);
            assertThat(dispatch()).hasSize(1);
            in(seg(ACK, IRS + 1, ISS + 1).window(0)); // Linux drops a probe byte while its window is 0
        }

        in(seg(ACK, IRS + 1, ISS + 1).window(4096)); // the peer read: a window update

        // the byte the peer dropped goes again, from SND.UNA, with the rest: no backed-off timeout first
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 10));
        assertThat(socket.retransmitTimeout()).isEqualTo(rto);
        assertThat(Poller.pollAt(socket, now)).as("the retransmission timer, not backed off").isEqualTo(now + rto);
    }

    @Test
    void aProbeThePeerTookIsNotSentAgain() {
        blockedByAZeroWindow();
        now = Poller.pollAt(socket, now);
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 1));

        in(seg(ACK, IRS + 1, ISS + 2).window(100)); // it took the byte, and its window opened

        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 2, IRS + 1, 1024, 9));
    }
}
