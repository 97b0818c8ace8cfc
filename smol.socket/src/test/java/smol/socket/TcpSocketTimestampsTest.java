package smol.socket;

import smol.socket.driver.InitialSequence;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import smol.wire.TcpRepr;

/** RFC 7323 timestamps against a scripted peer: negotiation, TS.Recent, RTT samples from the echo. */
class TcpSocketTimestampsTest extends TcpSocketHarness {
    private static final int PEER_TS = 777_000; // the peer's clock, in its own ticks

    /** Active open at {@code now} with a SYN-ACK carrying TSopt that echoes our SYN: ESTABLISHED. */
    private void establishWithTimestamps() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460).timestamps(PEER_TS, (int) (now / 1000)));
        dispatch();
    }

    private static TcpRepr ackTs(int ack, int tsVal, int tsEcr) {
        return seg(ACK, IRS + 1, ack).timestamps(tsVal, tsEcr);
    }

    @Test
    void activeOpenOffersTimestampsAndUsesThemWhenTheSynAckCarriesThem() {
        now = 5_000_000;
        socket.connect(REMOTE, LOCAL);
        // RFC 7323 §3.2: the SYN offers TSopt, TSval our clock in ms, TSecr 0
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=5000,0"));
        now += 3_000;
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460).timestamps(PEER_TS, 5000));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(socket.timestamps()).isTrue();
        // every later segment carries TSopt, echoing the SYN-ACK's TSval (TS.Recent)
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0, " ts=5003," + PEER_TS));
        // the SYN-ACK echoed our SYN's TSval: a 3 ms sample
        assertThat(socket.smoothedRtt()).isEqualTo(3_000);
        send("hi");
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 2, " ts=5003," + PEER_TS));
    }

    @Test
    void aSynAckWithoutTimestampsTurnsThemOff() {
        socket.connect(REMOTE, LOCAL);
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=0,0"));
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460));
        assertThat(socket.timestamps()).isFalse();
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
    }

    @Test
    void aListenerAnswersTimestampsOnlyWhenTheSynOffersThem() {
        now = 2_000_000;
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0).mss(1460).timestamps(PEER_TS, 0));
        assertThat(dispatch()).containsExactly(ours("syn ack", ISS, IRS + 1, 1024, 0, " mss=1460 ts=2000," + PEER_TS));
        now += 1_000;
        in(ackTs(ISS + 1, PEER_TS + 1, 2000));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(socket.timestamps()).isTrue();

        TcpSocket plain = Poller.tcp(1024, 1024, InitialSequence.fixed(ISS));
        socket = plain;
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0).mss(1460));
        assertThat(dispatch()).containsExactly(ours("syn ack", ISS, IRS + 1, 1024, 0, " mss=1460"));
        assertThat(plain.timestamps()).isFalse();
    }

    @Test
    void segmentsCarryTwelveBytesLessDataSoThatTheOptionFitsTheMtu() {
        socket = Poller.tcp(4096, 8192, InitialSequence.fixed(ISS));
        establishWithTimestamps();
        assertThat(socket.mss()).isEqualTo(1460);
        send("x".repeat(3000));
        // RFC 6691 §2 / RFC 7323 §3: MSS counts data only; 1448 data + 12 option bytes = 1460
        assertThat(dispatch()).extracting(s -> s.substring(s.indexOf("len="), s.indexOf(" ts=")))
                .containsExactly("len=1448", "len=1448", "len=104");
    }

    @Test
    void tsRecentIsTheSegmentAtTheLastAckNotOneOutOfOrder() {
        establishWithTimestamps();
        in(data(IRS + 1, ISS + 1, "ab").timestamps(PEER_TS + 10, 0));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 3, 1022, 0, " ts=0," + (PEER_TS + 10)));
        // past a hole: acknowledged at once, echoing the last in-order segment (RFC 7323 §4.3 (2))
        in(data(IRS + 5, ISS + 1, "ef").timestamps(PEER_TS + 30, 0));
        assertThat(out.take()).containsExactly(ours("ack", ISS + 1, IRS + 3, 1022, 0, " ts=0," + (PEER_TS + 10)));
        // the hole filled: its TSval, later than the out-of-order one's or not, is the one echoed
        in(data(IRS + 3, ISS + 1, "cd").timestamps(PEER_TS + 40, 0));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 7, 1018, 0, " ts=0," + (PEER_TS + 40)));
        // an older TSval does not move TS.Recent back
        in(data(IRS + 7, ISS + 1, "g").timestamps(PEER_TS + 20, 0));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 8, 1017, 0, " ts=0," + (PEER_TS + 40)));
    }

    @Test
    void aResentSegmentWeHoldAlreadyIsAnsweredEchoingTheResentCopysTsval() {
        establishWithTimestamps();
        in(data(IRS + 1, ISS + 1, "ab").timestamps(PEER_TS + 10, 0));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 3, 1022, 0, " ts=0," + (PEER_TS + 10)));
        // that ACK was lost: the peer's retransmission timeout resends "ab" a second later
        now += 1_000_000;
        in(data(IRS + 1, ISS + 1, "ab").timestamps(PEER_TS + 1010, 0));
        assertThat(dispatch()).as("the echo is the resent copy's, so the peer's RTT sample is not its timeout")
                .containsExactly(ours("ack", ISS + 1, IRS + 3, 1022, 0, " ts=1000," + (PEER_TS + 1010)));
        // an even older copy (reordered in the network) does not move TS.Recent back
        in(data(IRS + 1, ISS + 1, "ab").timestamps(PEER_TS + 5, 0));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 3, 1022, 0, " ts=1000," + (PEER_TS + 1010)));
    }

    @Test
    void theEchoOfARetransmittedSegmentIsASampleThatEndsTheBackOff() {
        establishWithTimestamps();
        long rto = socket.retransmitTimeout();
        assertThat(rto).isEqualTo(TcpSocket.MIN_RTO_MICROS);
        send("abc");
        dispatch();
        now += rto;
        dispatch();
        now += 2 * rto;
        // the second retransmission, stamped with its own send time
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 3, " ts=600," + PEER_TS));
        assertThat(socket.retransmitTimeout()).isEqualTo(4 * rto);
        assertThat(socket.counters().retransmissions()).isEqualTo(2);
        now += 7_000;
        // RFC 7323 §4.1: the ACK echoes the retransmission's TSval, so it is a valid 7 ms sample (no
        // Karn's rule); RFC 6298 §5.7: the recomputed RTO replaces the backed-off one
        in(ackTs(ISS + 4, PEER_TS + 1, 600));
        assertThat(socket.smoothedRtt()).isEqualTo((7 * 0 + 7_000) / 8);
        assertThat(socket.retransmitTimeout()).isEqualTo(TcpSocket.MIN_RTO_MICROS);
    }

    @Test
    void anAckWithoutTheOptionOrEchoingTheFutureGivesNoSample() {
        establishWithTimestamps();
        send("abc");
        dispatch();
        now += 40_000;
        in(seg(ACK, IRS + 1, ISS + 2)); // RFC 7323 §3.2: not dropped, but nothing to measure
        assertThat(socket.smoothedRtt()).isZero();
        in(ackTs(ISS + 3, PEER_TS, 1_000_000)); // an echo of a TSval we never sent
        assertThat(socket.smoothedRtt()).isZero();
        in(ackTs(ISS + 4, PEER_TS, 0));
        assertThat(socket.smoothedRtt()).isEqualTo(40_000 / 8);
    }

    @Test
    void aRetransmittedSynIsEchoedInTheSynAckAnsweringIt() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0).mss(1460).timestamps(PEER_TS, 0));
        assertThat(dispatch()).containsExactly(ours("syn ack", ISS, IRS + 1, 1024, 0, " mss=1460 ts=0," + PEER_TS));
        now = 1_000_000;
        // our SYN-ACK was lost, the peer sends its SYN again (SEG.SEQ = IRS, before Last.ACK.sent)
        in(seg(SYN, IRS, 0).mss(1460).timestamps(PEER_TS + 1000, 0));
        assertThat(dispatch()).containsExactly(
                ours("syn ack", ISS, IRS + 1, 1024, 0, " mss=1460 ts=1000," + (PEER_TS + 1000)));
    }

    @Test
    void aSynAckAfterARetransmittedSynGivesNoSample() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        now = 1_000_000;
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=1000,0"));
        now += 2_000;
        // the peer's own timer resent its SYN-ACK, echoing our first SYN: 1 s that is not a round trip
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460).timestamps(PEER_TS, 0));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(socket.smoothedRtt()).isZero();
        // RFC 6298 §5.7: no sample after a retransmitted SYN: data starts with a 3 s RTO
        assertThat(socket.retransmitTimeout()).isEqualTo(TcpSocket.SYN_FALLBACK_RTO_MICROS);
        // the first data ACK gives the sample
        send("a");
        dispatch();
        now += 4_000;
        in(ackTs(ISS + 2, PEER_TS + 5, 1002));
        assertThat(socket.smoothedRtt()).isEqualTo(4_000);
        assertThat(socket.retransmitTimeout()).isEqualTo(TcpSocket.MIN_RTO_MICROS);
    }

    @Test
    void anEchoOlderThanTheLargestTimeoutGivesNoSample() {
        now = 100_000_000;
        establishWithTimestamps();
        long srtt = socket.smoothedRtt();
        send("abc");
        dispatch();
        now += 1_000;
        in(ackTs(ISS + 2, PEER_TS, 0)); // 100 s ago: a peer that echoes 0, not a round trip
        assertThat(socket.smoothedRtt()).isEqualTo(srtt);
        in(ackTs(ISS + 4, PEER_TS, 100_000)); // 1 ms
        assertThat(socket.smoothedRtt()).isEqualTo((7 * srtt + 1_000) / 8);
    }
}
