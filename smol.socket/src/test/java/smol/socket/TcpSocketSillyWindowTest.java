package smol.socket;

import smol.socket.driver.InitialSequence;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Silly window syndrome avoidance on both sides (RFC 1122 §4.2.3.3 and §4.2.3.4, both MUSTs). */
class TcpSocketSillyWindowTest extends TcpSocketHarness {

    private void readBytes(int n) {
        assertThat(socket.recv(new byte[n], 0, n)).isEqualTo(n);
    }

    @Test
    void theRightEdgeOfOurWindowNeverMovesByLessThanHalfTheBufferOrAnMss() {
        establishActive(); // receive ring 1024: the threshold is min(1024 / 2, 1460) = 512
        in(data(IRS + 1, ISS + 1, "x".repeat(1024)));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1025, 0, 0));
        readBytes(100);

        // a segment that goes out for another reason must not offer the 100 bytes freed
        send("hi");
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1025, 0, 2));
        readBytes(400);
        assertThat(Poller.pollAt(socket, now)).as("500 free: still below the threshold").isNotEqualTo(now);
        readBytes(12);

        // 512 bytes free: the window opens, at once, by all of them
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 3, IRS + 1025, 512, 0));
    }

    @Test
    void anOfferedWindowIsNeverTakenBack() {
        establishActive();
        in(data(IRS + 1, ISS + 1, "x".repeat(600)));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 601, 424, 0));

        in(data(IRS + 601, ISS + 1, "y".repeat(100))); // 324 would be left: the edge stays where it was

        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 701, 324, 0));
    }

    /** Established, the peer's 4096-byte window filled, 904 more bytes queued behind it. */
    private void windowFull() {
        socket = Poller.tcp(1024, 8192, InitialSequence.fixed(ISS));
        establishActive(); // the peer's MSS 1460, window 4096
        send("z".repeat(4096));
        assertThat(dispatch()).hasSize(3);
        send("z".repeat(904));
        assertThat(dispatch()).isEmpty();
    }

    @Test
    void aSliverOfWindowIsNotFilledAtOnce() {
        windowFull();

        // the peer takes 100 bytes: 100 bytes of window open, 904 bytes wait
        in(seg(ACK, IRS + 1, ISS + 101));

        assertThat(dispatch()).as("neither a full segment, nor all that is queued, nor half the largest window")
                .isEmpty();
        // the peer takes more: now all that is queued fits
        in(seg(ACK, IRS + 1, ISS + 1461));
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 4097, IRS + 1, 1024, 904));
    }

    @Test
    void halfTheLargestWindowTheyOfferedIsWorthSending() {
        socket = Poller.tcp(1024, 8192, InitialSequence.fixed(ISS));
        socket.connect(REMOTE, LOCAL);
        dispatch();
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460).window(1000)); // a peer whose window is below its MSS
        dispatch();
        send("z".repeat(3000));
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 1000));

        in(seg(ACK, IRS + 1, ISS + 601).window(1000)); // 600 bytes open: at least half of 1000
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1001, IRS + 1, 1024, 600));
        in(seg(ACK, IRS + 1, ISS + 901).window(1000)); // 300 bytes open: less than half

        assertThat(dispatch()).isEmpty();
    }

    @Test
    void theOverrideTimerSendsTheSliverWhenNothingElseMoves() {
        windowFull();
        in(seg(ACK, IRS + 1, ISS + 101));
        assertThat(dispatch()).isEmpty();
        long deadline = Poller.pollAt(socket, now);
        assertThat(deadline).isEqualTo(now + TcpSocket.SWS_OVERRIDE_MICROS);
        now += 100_000;
        in(seg(ACK, IRS + 1, ISS + 151)); // 50 bytes more: still silly; the retransmission timer restarts
        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).as("the override timer keeps its deadline").isEqualTo(deadline);

        now = deadline;

        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 4097, IRS + 1, 1024, 150));
    }

    @Test
    void aSmallWriteWithNothingElseQueuedGoesAtOnce() {
        establishActive();
        send("ping");
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 4));
    }
}
