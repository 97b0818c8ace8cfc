package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The window update that reopens a window we had closed is repeated while the peer stays silent: a peer
 * facing a zero window only probes, on a timer that backs off to minutes, so one lost update would stall
 * the connection that long. Scripted segment by segment on a virtual clock.
 */
class TcpSocketWindowUpdateTest extends TcpSocketHarness {
    private static final String HALF = "x".repeat(512);

    /** The peer fills our 1024-byte ring; we answer with a zero window; the application reads it all. */
    private void closeThenReopenTheWindow() {
        establishActive();
        in(data(IRS + 1, ISS + 1, HALF));
        in(data(IRS + 513, ISS + 1, HALF));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1025, 0, 0));
        assertThat(recvAll()).hasSize(1024);
        assertThat(dispatch()).as("the window update").containsExactly(ours("ack", ISS + 1, IRS + 1025, 1024, 0));
    }

    @Test
    void aWindowUpdateIsRepeatedAfterAnRtoAndTwiceThatWhileThePeerSendsNothing() {
        closeThenReopenTheWindow();
        long rto = socket.retransmitTimeout();

        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + rto);
        now += rto;
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1025, 1024, 0));
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + 2 * rto);
        now += 2 * rto;
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1025, 1024, 0));

        assertThat(Poller.pollAt(socket, now)).as("two repeats, below three duplicate ACKs").isEqualTo(Long.MAX_VALUE);
        now += 60_000_000;
        assertThat(dispatch()).isEmpty();
        assertThat(socket.windowUpdatesRepeated()).isEqualTo(2);
    }

    @Test
    void dataFromThePeerAfterTheUpdateEndsTheRepeats() {
        closeThenReopenTheWindow();

        in(data(IRS + 1025, ISS + 1, "more"));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1029, 1020, 0));

        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
        now += 10_000_000;
        assertThat(dispatch()).isEmpty();
        assertThat(socket.windowUpdatesRepeated()).isZero();
    }

    @Test
    void anUpdateThatDoesNotReopenAClosedWindowIsNotRepeated() {
        establishActive();
        in(data(IRS + 1, ISS + 1, "hello"));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 6, 1019, 0));
        recvAll();

        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
        now += 10_000_000;
        assertThat(dispatch()).isEmpty();
    }
}
