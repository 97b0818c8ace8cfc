package smol.socket;

import smol.socket.driver.InitialSequence;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fast retransmit and NewReno fast recovery (RFC 5681 §3.2, RFC 6582) against a scripted peer: five
 * segments of 1460 bytes in flight, the peer's window 8000 bytes.
 */
class TcpSocketRecoveryTest extends TcpSocketHarness {
    private static final int SEGMENT = 1460;
    private static final int WINDOW = 8000;

    /** Sequence number of the first byte of segment {@code i} (0-based). */
    private static int start(int i) {
        return ISS + 1 + i * SEGMENT;
    }

    private void ackFromPeer(int ack) {
        in(seg(ACK, IRS + 1, ack).window(WINDOW));
    }

    @BeforeEach
    void fiveSegmentsInFlight() {
        socket = Poller.tcp(8192, 16384, InitialSequence.fixed(ISS));
        establishActive();
        ackFromPeer(ISS + 1);
        send("s".repeat(SEGMENT * 5));
        assertThat(dispatch()).hasSize(5);
    }

    @Test
    void aPartialAckDuringFastRecoveryResendsTheNextHoleAtOnce() {
        // segments 0 and 2 are lost; 1, 3 and 4 each bring a duplicate ACK
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        assertThat(dispatch()).containsExactly(ours("psh ack", start(0), IRS + 1, 8192, SEGMENT));
        // the resent segment 0 arrives: the peer now has 0 and 1 and acknowledges up to the second hole.
        // RFC 6582 §3.2: a partial ACK (below the recovery point, the end of segment 4) resends the
        // first unacknowledged segment at once, without waiting for three more duplicates
        ackFromPeer(start(2));
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now);
        assertThat(dispatch()).containsExactly(ours("psh ack", start(2), IRS + 1, 8192, SEGMENT));
        assertThat(socket.fastRetransmits()).isEqualTo(2);
        // the full ACK ends recovery: nothing more to resend, the timer stops
        ackFromPeer(start(5));
        assertThat(dispatch()).isEmpty();
        assertThat(socket.sendQueue()).isZero();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
        assertThat(socket.counters().retransmissions()).isEqualTo(2);
        assertThat(socket.retransmitTimeouts()).isZero();
    }

    @Test
    void duplicateAcksWithinFastRecoveryResendNothingMore() {
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        assertThat(dispatch()).hasSize(1);
        // more duplicates while the resent segment is on its way: still in recovery, no second copy
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        assertThat(dispatch()).isEmpty();
        assertThat(socket.fastRetransmits()).isEqualTo(1);
    }

    @Test
    void aLossAfterRecoveryEndedStartsANewFastRetransmit() {
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        dispatch();
        ackFromPeer(start(5)); // full ACK: recovery over
        send("t".repeat(SEGMENT * 4));
        assertThat(dispatch()).hasSize(4);
        // the first new segment is lost
        ackFromPeer(start(5));
        ackFromPeer(start(5));
        ackFromPeer(start(5));
        assertThat(dispatch()).containsExactly(ours("psh ack", start(5), IRS + 1, 8192, SEGMENT));
        assertThat(socket.fastRetransmits()).isEqualTo(2);
    }

    @Test
    void aTimeoutEndsFastRecoveryAndGoesBackN() {
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        dispatch(); // segment 0 again, lost again
        now += socket.retransmitTimeout();
        assertThat(dispatch()).hasSize(5); // RFC 6298 §5.4: go-back-N from SND.UNA
        assertThat(socket.retransmitTimeouts()).isEqualTo(1);
        // RFC 6582 §3.2 step 4: recovery is over, so a later ACK below the old recovery point is not a
        // partial ACK that resends anything by itself
        ackFromPeer(start(2));
        assertThat(dispatch()).isEmpty();
        assertThat(socket.fastRetransmits()).isEqualTo(1);
    }

    @Test
    void duplicatesAfterATimeoutStillResendAtOnce() {
        now += socket.retransmitTimeout();
        assertThat(dispatch()).hasSize(5); // all lost, all sent again
        // the first copy is lost again; the rest bring duplicates. Unlike RFC 6582 §3.2 step 2 (which
        // waits for the ACK to pass the highest sequence sent before the timeout, to spare the
        // congestion window), this resends at once: without a window to protect, a spurious resend
        // costs one segment, waiting costs a timeout
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        ackFromPeer(start(0));
        assertThat(dispatch()).containsExactly(ours("psh ack", start(0), IRS + 1, 8192, SEGMENT));
    }
}
