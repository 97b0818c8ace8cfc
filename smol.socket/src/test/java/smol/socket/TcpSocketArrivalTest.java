package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a segment arriving in a synchronized state may change (RFC 9293 §3.10.7.4 with RFC 5961): a
 * stray SYN changes nothing, a blind ACK far below SND.UNA changes nothing, and an old duplicate still
 * delivers its fresh acknowledgement.
 */
class TcpSocketArrivalTest extends TcpSocketHarness {

    @Test
    void aStaleSynAckInEstablishedGetsAChallengeAckAndChangesNeitherAckNorWindow() {
        establishActive(); // the peer's window is 4096
        send("0123456789");
        dispatch();
        // the peer's SYN-ACK, duplicated by the network, arrives late, with another window
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460).window(10));

        // RFC 5961 §4.2: a SYN in a synchronized state, whatever its sequence number, gets a challenge
        // ACK and is dropped
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 11, IRS + 1, 1024, 0));
        assertThat(socket.sendWindow()).isEqualTo(4096);
        assertThat(socket.counters().drops(SocketDrop.UNACCEPTABLE)).isEqualTo(1);
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void aStaleSynAckCannotAcknowledgeData() {
        establishActive();
        send("0123456789");
        dispatch();
        // a SYN-ACK at IRS whose ACK field covers our data: only a proper ACK may take data away
        in(seg(SYN | ACK, IRS, ISS + 11).mss(1460));

        assertThat(socket.sendQueue()).isEqualTo(10);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 11, IRS + 1, 1024, 0));
    }

    @Test
    void anAckBelowSndUnaLessTheLargestWindowIsDroppedWithAnAck() {
        establishActive(); // the peer's window is 4096: MAX.SND.WND = 4096
        send("abc");
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 4));
        assertThat(socket.sendQueue()).isZero();

        // RFC 5961 §5.2: SEG.ACK < SND.UNA - MAX.SND.WND is a blind data injection: drop it, send an ACK
        in(data(IRS + 1, ISS + 4 - 4096 - 1, "injected"));

        assertThat(recvAll()).isEmpty();
        assertThat(socket.counters().drops(SocketDrop.UNACCEPTABLE)).isEqualTo(1);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 4, IRS + 1, 1024, 0));
    }

    @Test
    void anAckWithinTheLargestWindowBelowSndUnaStillDeliversItsData() {
        establishActive();
        send("abc");
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 4));

        // an old ACK, but within MAX.SND.WND of SND.UNA: acceptable (RFC 5961 §5.2), the text is taken
        in(data(IRS + 1, ISS + 4 - 4096, "fine"));

        assertThat(recvAll()).isEqualTo("fine");
    }

    @Test
    void aRetransmissionOfDataWeHoldStillHasItsAckProcessed() {
        establishActive();
        send("hello");
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
        in(data(IRS + 1, ISS + 1, "abc")); // their data, acknowledging nothing of ours yet
        assertThat(recvAll()).isEqualTo("abc");
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 6, IRS + 4, 1021, 0));

        // our ACK was lost: they resend "abc", now acknowledging our "hello"; the segment lies wholly
        // before RCV.NXT, yet its ACK is news (as Linux and BSD take it)
        in(data(IRS + 1, ISS + 6, "abc"));

        assertThat(socket.sendQueue()).isZero();
        assertThat(recvAll()).isEmpty();
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 6, IRS + 4, 1021, 0));
        assertThat(Poller.pollAt(socket, now)).as("nothing in flight: no retransmission due").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anOldDuplicateCarriesTheAckOfOurFin() {
        establishActive();
        in(data(IRS + 1, ISS + 1, "abc"));
        recvAll();
        dispatch();
        socket.close();
        assertThat(dispatch()).containsExactly(ours("fin ack", ISS + 1, IRS + 4, 1021, 0));

        in(data(IRS + 1, ISS + 2, "abc")); // a retransmission that acknowledges our FIN

        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_2);
    }
}
