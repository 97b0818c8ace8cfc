package smol.socket;

import smol.socket.driver.InitialSequence;
import smol.socket.driver.SendOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sends the interface refuses, and why: a neighbour that does not answer ARP, no route, a packet
 * too big, a busy device, no device. Each reason has its own effect on the retransmission timer and
 * the retry count, so that a vanished peer cannot pin a connection and a refusal for good cannot make
 * the poll loop spin.
 */
class TcpSocketRefusedSendTest extends TcpSocketHarness {
    /** The interface asks again for an unresolved neighbour once per second (its ARP retry). */
    private static final long ARP_RETRY_MICROS = 1_000_000L;

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /**
     * The virtual time from the first timer start to the timeout: one timer per try, doubling from
     * {@code rto} up to the 60 s cap, the last expiry ending the connection; plus, per try, the one
     * ARP retry the interface may hold the socket back past its timer.
     */
    private static long timeoutBound(long rto, int retryLimit) {
        long total = 0;
        for (int k = 0; k <= retryLimit; k++) {
            total += Math.min(TcpSocket.MAX_RTO_MICROS, rto << k) + ARP_RETRY_MICROS;
        }
        return total;
    }

    /**
     * Runs the socket as the interface would while every send is refused as pending: at its deadline,
     * or one ARP retry later when it asks to be polled at once. Stops when it closes or at {@code untilMicros}.
     */
    private void runHeldBackByArpUntilClosedOr(long untilMicros) {
        while (socket.state() != TcpState.CLOSED && now < untilMicros) {
            long at = Poller.pollAt(socket, now);
            if (at == Long.MAX_VALUE) {
                return;
            }
            now = at <= now ? now + ARP_RETRY_MICROS : at;
            dispatch();
        }
    }

    private void refuseEverySend(SendOutcome why) {
        out.refusal = why;
        out.refuse = -1;
    }

    @Test
    void aRetransmissionRefusedForAnUnresolvedNeighbourCountsAsATryAndTheConnectionTimesOut() {
        establishActive();
        send("hello");
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
        long start = now;
        long bound = timeoutBound(socket.retransmitTimeout(), socket.retryLimit());
        refuseEverySend(SendOutcome.NEIGHBOUR_PENDING); // the peer vanished: nobody answers ARP

        runHeldBackByArpUntilClosedOr(start + 3_000_000_000L);

        assertThat(socket.state()).as("at %d us", now - start).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
        assertThat(socket.retransmitTimeouts()).isEqualTo(socket.retryLimit());
        assertThat(now - start).isLessThanOrEqualTo(bound);
    }

    @Test
    void aRetransmissionRefusedForWantOfARouteCountsAsATryAndTheConnectionTimesOut() {
        establishActive();
        send("hello");
        dispatch();
        long start = now;
        long bound = timeoutBound(socket.retransmitTimeout(), socket.retryLimit());
        refuseEverySend(SendOutcome.NO_ROUTE);

        int asksForNow = 0;
        for (int polls = 0; polls < 2000 && socket.state() != TcpState.CLOSED; polls++) {
            long at = Poller.pollAt(socket, now);
            if (at <= now) {
                asksForNow++;
                now += 1; // a poll loop that believed it would spin
            } else {
                now = at;
            }
            dispatch();
        }

        assertThat(asksForNow).as("polls that asked to run again at once").isZero();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
        assertThat(now - start).isLessThanOrEqualTo(bound);
    }

    @Test
    void aSynThatNeverResolvesTimesOut() {
        socket.connect(REMOTE, LOCAL);
        refuseEverySend(SendOutcome.NEIGHBOUR_PENDING);
        long start = now;

        runHeldBackByArpUntilClosedOr(start + 3_000_000_000L);

        assertThat(socket.state()).as("at %d us", now - start).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
        assertThat(now - start).isLessThanOrEqualTo(timeoutBound(TcpSocket.INITIAL_RTO_MICROS, socket.retryLimit()));
    }

    @Test
    void aBusyDeviceCountsNoTryAndTheSegmentGoesOutWhenItTakesFramesAgain() {
        establishActive();
        send("hello");
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
        long rto = socket.retransmitTimeout();
        refuseEverySend(SendOutcome.DEVICE_BUSY); // the device's queue is full

        now = Poller.pollAt(socket, now); // the timer expires, the retransmission is refused
        assertThat(dispatch()).isEmpty();
        for (int i = 0; i < 5_000; i++) { // five seconds of a full queue, polled every millisecond
            now += 1_000;
            assertThat(dispatch()).isEmpty();
        }
        assertThat(socket.retransmitTimeouts()).as("tries counted while the device was busy").isZero();
        assertThat(socket.retransmitTimeout()).isEqualTo(rto);
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);

        out.refuse = 0; // the device takes frames again
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
        assertThat(socket.retransmitTimeouts()).isEqualTo(1);
        assertThat(socket.retransmitTimeout()).isEqualTo(2 * rto);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + 2 * rto);
    }

    @Test
    void anOriginalAcknowledgedWhileItsRetransmissionWaitsForABusyDeviceCostsNoTry() {
        establishActive();
        send("hello");
        dispatch();
        long rto = socket.retransmitTimeout();
        refuseEverySend(SendOutcome.DEVICE_BUSY);
        now = Poller.pollAt(socket, now);
        assertThat(dispatch()).isEmpty();

        in(seg(ACK, IRS + 1, ISS + 6)); // the original arrived after all
        out.refuse = 0;
        send("more");

        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 6, IRS + 1, 1024, 4));
        assertThat(socket.retransmitTimeouts()).isZero();
        assertThat(socket.retransmitTimeout()).isEqualTo(rto);
    }

    @Test
    void aSendRefusedForGoodDoesNotAskToBePolledAgainAtOnce() {
        socket = Poller.tcp(4096, 8192, InitialSequence.fixed(ISS));
        establishActive();
        send(repeat('x', 3000));
        refuseEverySend(SendOutcome.TOO_BIG); // for good: the MTU is below what any segment needs

        int asksForNow = 0;
        int polls = 0;
        for (; polls < 2000 && socket.state() != TcpState.CLOSED; polls++) {
            long at = Poller.pollAt(socket, now);
            if (at <= now) {
                asksForNow++;
            } else {
                now = at;
            }
            dispatch();
        }

        assertThat(asksForNow).as("of %d polls, those that asked to run again at once", polls).isLessThanOrEqualTo(1);
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
    }

    @Test
    void segmentsShrinkWhenTheMtuShrinksUnderALiveConnection() {
        socket = Poller.tcp(4096, 8192, InitialSequence.fixed(ISS));
        establishActive(); // MTU 1500, peer MSS 1460
        send(repeat('x', 3000));
        assertThat(dispatch()).extracting(s -> s.substring(s.indexOf("len="))).containsExactly("len=1460", "len=1460",
                "len=80");

        out.mtu = 576; // the device was swapped for one with a smaller MTU; the segments above were lost
        now = Poller.pollAt(socket, now);
        List<String> resent = dispatch();

        assertThat(resent).extracting(s -> s.substring(s.indexOf("len="))).containsExactly("len=536", "len=536",
                "len=536", "len=536", "len=536", "len=320");
        assertThat(resent.get(0)).isEqualTo(ours("psh ack", ISS + 1, IRS + 1, 4096, 536));
        assertThat(socket.mss()).isEqualTo(536);
        send(repeat('y', 600)); // new data too
        in(seg(ACK, IRS + 1, ISS + 3001));
        assertThat(dispatch()).extracting(s -> s.substring(s.indexOf("len="))).containsExactly("len=536", "len=64");
    }
    @Test
    void aSegmentWaitingForTheNeighbourGoesAtOnceWhenItAnswersAndCountsNoTry() {
        socket.connect(REMOTE, LOCAL);
        out.refusal = SendOutcome.NEIGHBOUR_PENDING;
        out.refuse = 1; // the first SYN waits for ARP
        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).as("it still has the SYN to send").isEqualTo(now);
        long refusedAt = now;

        now += 300; // the ARP reply came; the interface dispatches the socket at once
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=0,0"));
        assertThat(socket.retransmitTimeouts()).isZero();
        assertThat(Poller.pollAt(socket, now)).as("the timer started at the refusal").isEqualTo(refusedAt + 1_000_000);
    }

    @Test
    void aPassiveOpenWhoseSynAckCannotBeAddressedListensAgainAfterTheRetryLimit() {
        socket.retryLimit(2);
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0).mss(1460));
        refuseEverySend(SendOutcome.NEIGHBOUR_PENDING);

        for (int i = 0; i < 100 && socket.state() == TcpState.SYN_RECEIVED; i++) {
            long at = Poller.pollAt(socket, now);
            now = at <= now ? now + ARP_RETRY_MICROS : at;
            dispatch();
        }

        assertThat(socket.state()).isEqualTo(TcpState.LISTEN);
        assertThat(now).isLessThanOrEqualTo(timeoutBound(TcpSocket.INITIAL_RTO_MICROS, 2));
    }

    @Test
    void aZeroWindowProbeThatCannotBeAddressedCountsTowardsTheTimeout() {
        establishActive();
        in(seg(ACK, IRS + 1, ISS + 1).window(0)); // the peer's window closed
        send("waiting");
        dispatch(); // the persist timer starts
        long start = now;
        refuseEverySend(SendOutcome.NEIGHBOUR_PENDING);

        runHeldBackByArpUntilClosedOr(start + 3_000_000_000L);

        assertThat(socket.state()).as("at %d us", now - start).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
    }

    @Test
    void aRetransmissionDueWhenTheLinkComesUpGoesAtOnceWithoutATry() {
        establishActive();
        send("hello");
        dispatch();
        long rto = socket.retransmitTimeout();

        now += 100_000_000; // no device for 100 s: the interface dispatched nothing
        Poller.linkUp(socket, now);

        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
        assertThat(socket.retransmitTimeouts()).isZero();
        assertThat(socket.retransmitTimeout()).isEqualTo(rto);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + rto);
        assertThat(socket.counters().retransmissions()).isEqualTo(1);
    }

    @Test
    void theLinkComingUpBeforeTheTimerFallsDueChangesNothing() {
        establishActive();
        send("hello");
        dispatch();
        long deadline = Poller.pollAt(socket, now);

        now += 10;
        Poller.linkUp(socket, now);

        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(deadline);
    }

    @Test
    void aRetransmissionRefusedForWantOfADeviceCountsNoTryAndGoesWhenTheLinkComesUp() {
        establishActive();
        send("hello");
        dispatch();
        long rto = socket.retransmitTimeout();
        refuseEverySend(SendOutcome.NO_DEVICE);
        now = Poller.pollAt(socket, now);
        assertThat(dispatch()).isEmpty();

        out.refuse = 0;
        now += 50_000_000;
        Poller.linkUp(socket, now);

        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
        assertThat(socket.retransmitTimeouts()).isZero();
        assertThat(socket.retransmitTimeout()).isEqualTo(rto);
    }

    @Test
    void theResetOfAnAbortWaitsOnceForTheNeighbourThenIsGivenUp() {
        establishActive();
        socket.abort();
        refuseEverySend(SendOutcome.NEIGHBOUR_PENDING);

        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now);
        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theResetOfAnAbortWaitsForABusyDevice() {
        establishActive();
        socket.abort();
        refuseEverySend(SendOutcome.DEVICE_BUSY);
        for (int i = 0; i < 3; i++) {
            assertThat(dispatch()).isEmpty();
        }

        out.refuse = 0;

        assertThat(dispatch()).containsExactly(ours("rst", ISS + 1, 0, 1024, 0));
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anAcknowledgementRefusedForGoodIsNotAskedForAgainAtOnce() {
        establishActive();
        in(data(IRS + 1, ISS + 1, "hi"));
        refuseEverySend(SendOutcome.NO_ROUTE);

        assertThat(dispatch()).isEmpty();

        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
    }
}
