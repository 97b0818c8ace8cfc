package smol.socket;

import smol.socket.driver.InitialSequence;
import smol.socket.driver.SendOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import smol.wire.TcpRepr;

/** Data transfer against a scripted peer: segmentation, windows, retransmission, reassembly. */
class TcpSocketDataTest extends TcpSocketHarness {

    private static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    @Test
    void dataGoesOutInMssSizedSegmentsUpToThePeersWindow() {
        socket = Poller.tcp(4096, 8192, InitialSequence.fixed(ISS));
        establishActive(); // peer MSS 1460, window 4096
        assertThat(send(repeat('x', 5000))).isEqualTo(5000);
        // the 1176 bytes left of the window are less than a segment, than what is queued and than half
        // the window: they wait (RFC 1122 §4.2.3.4)
        assertThat(dispatch()).containsExactly(
                ours("psh ack", ISS + 1, IRS + 1, 4096, 1460),
                ours("psh ack", ISS + 1461, IRS + 1, 4096, 1460));
        in(seg(ACK, IRS + 1, ISS + 1461));
        assertThat(dispatch()).containsExactly(
                ours("psh ack", ISS + 2921, IRS + 1, 4096, 1460),
                ours("psh ack", ISS + 4381, IRS + 1, 4096, 620));
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + TcpSocket.MIN_RTO_MICROS); // all sent: only the timer
        assertThat(socket.counters().bytesOut()).isEqualTo(5000);
        assertThat(socket.counters().packetsOut()).isEqualTo(6); // SYN, ACK, 4 data
    }

    @Test
    void peerWithoutMssOptionGets536ByteSegments() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0));
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 1));
        send(repeat('y', 1000));
        assertThat(dispatch()).containsExactly(
                ours("psh ack", ISS + 1, IRS + 1, 1024, 536),
                ours("psh ack", ISS + 537, IRS + 1, 1024, 464));
    }

    @Test
    void ourMssComesFromTheMtuAndTheSmallerMssWins() {
        out.mtu = 576;
        socket.connect(REMOTE, LOCAL);
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=536 ts=0,0"));
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460));
        dispatch();
        assertThat(socket.mss()).isEqualTo(536);
        send(repeat('z', 600));
        assertThat(dispatch()).extracting(s -> s.substring(s.indexOf("len="))).containsExactly("len=536", "len=64");
    }

    @Test
    void theWindowScaleOptionOfThePeerIsIgnoredBecauseWeNeverOfferOurs() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460).windowScale(7).window(100));
        dispatch();
        assertThat(socket.sendWindow()).isEqualTo(100);
        send(repeat('w', 300));
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 100));
    }

    @Test
    void aRefusingSenderStopsTheBurstAndItResumesOnTheNextPoll() {
        socket = Poller.tcp(4096, 8192, InitialSequence.fixed(ISS));
        establishActive();
        send(repeat('x', 3000));
        out.refuse = 1;
        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now);
        assertThat(dispatch()).hasSize(3);
        out.refuse = -1;
        send(repeat('x', 10));
        in(seg(ACK, IRS + 1, ISS + 3001));
        dispatch();
        out.refuse = 0;
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 3001, IRS + 1, 4096, 10));
    }

    @Test
    void theFirstRetransmissionComesAfterOneSecondThenTheTimeoutDoubles() {
        socket.connect(REMOTE, LOCAL);
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=0,0"));
        long[] expected = {1_000_000, 3_000_000, 7_000_000, 15_000_000, 31_000_000, 63_000_000, 123_000_000};
        for (long at : expected) {
            assertThat(Poller.pollAt(socket, now)).isEqualTo(at);
            now = at - 1;
            assertThat(dispatch()).isEmpty();
            now = at;
            // the same SYN, its TSval (RFC 7323, milliseconds) telling the copies apart
            assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=" + at / 1000 + ",0"));
        }
        assertThat(socket.retransmitTimeout()).isEqualTo(TcpSocket.MAX_RTO_MICROS);
        assertThat(socket.counters().retransmissions()).isEqualTo(expected.length);
    }

    @Test
    void theRetryLimitEndsTheConnectionWithTimeout() {
        socket.retryLimit(3);
        establishActive();
        send("hello");
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
        for (long at : new long[] {1_000_000, 3_000_000, 7_000_000}) {
            now = at;
            assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
        }
        now = 15_000_000;
        assertThat(dispatch()).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.TIMEOUT);
        assertThat(socket.recv(new byte[1], 0, 1)).isEqualTo(-1);
    }

    @Test
    void aLostFinIsSentAgainAfterTheTimeout() {
        establishActive();
        send("end");
        socket.close();
        assertThat(dispatch()).containsExactly(ours("fin psh ack", ISS + 1, IRS + 1, 1024, 3));
        in(seg(ACK, IRS + 1, ISS + 4)); // the data arrived, the FIN did not
        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_1);
        assertThat(dispatch()).isEmpty();
        now += socket.retransmitTimeout();
        assertThat(dispatch()).containsExactly(ours("fin ack", ISS + 4, IRS + 1, 1024, 0));
        in(seg(ACK, IRS + 1, ISS + 5));
        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_2);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void roundTripSamplesSetTheTimeoutWithA200MsFloor() {
        establishActive(); // the SYN-ACK came at once: a sample of 0
        assertThat(socket.retransmitTimeout()).isEqualTo(TcpSocket.MIN_RTO_MICROS);
        send("a");
        dispatch();
        now += 400_000;
        in(seg(ACK, IRS + 1, ISS + 2));
        // SRTT = 7/8·0 + 1/8·400 ms = 50 ms; RTTVAR = 3/4·0 + 1/4·400 ms = 100 ms; RTO = 50 + 400 ms
        assertThat(socket.smoothedRtt()).isEqualTo(50_000);
        assertThat(socket.retransmitTimeout()).isEqualTo(450_000);
    }

    @Test
    void karnsRuleTakesNoSampleFromARetransmittedSegment() {
        establishActive();
        long rto = socket.retransmitTimeout();
        send("abc");
        dispatch();
        now += rto;
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 3)); // retransmitted
        now += 5_000;
        in(seg(ACK, IRS + 1, ISS + 4));
        assertThat(socket.retransmitTimeout()).isEqualTo(2 * rto); // backed off, no sample
        assertThat(socket.smoothedRtt()).isZero();
        send("d");
        dispatch();
        now += 10_000;
        in(seg(ACK, IRS + 1, ISS + 5)); // a fresh segment: sampled
        assertThat(socket.smoothedRtt()).isEqualTo(1_250);
    }

    @Test
    void timeoutRetransmitsGoBackNFromTheOldestUnacknowledgedByte() {
        socket = Poller.tcp(4096, 8192, InitialSequence.fixed(ISS));
        establishActive();
        send(repeat('q', 3000));
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 1461)); // first segment arrived, the rest was lost
        now += socket.retransmitTimeout();
        assertThat(dispatch()).containsExactly(
                ours("psh ack", ISS + 1461, IRS + 1, 4096, 1460),
                ours("psh ack", ISS + 2921, IRS + 1, 4096, 80));
        assertThat(socket.counters().retransmissions()).isEqualTo(2);
    }

    @Test
    void threeDuplicateAcksRetransmitTheMissingSegmentAtOnce() {
        socket = Poller.tcp(8192, 8192, InitialSequence.fixed(ISS));
        establishActive();
        in(seg(ACK, IRS + 1, ISS + 1).window(8000));
        send(repeat('r', 1460 * 5));
        assertThat(dispatch()).hasSize(5);
        // the first segment is lost; each of the next ones brings a duplicate ACK
        in(seg(ACK, IRS + 1, ISS + 1).window(8000));
        in(seg(ACK, IRS + 1, ISS + 1).window(8000));
        assertThat(dispatch()).isEmpty();
        in(seg(ACK, IRS + 1, ISS + 1).window(8000));
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now);
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 8192, 1460));
        in(seg(ACK, IRS + 1, ISS + 1).window(8000)); // a fourth duplicate changes nothing
        assertThat(dispatch()).isEmpty();
        in(seg(ACK, IRS + 1, ISS + 1 + 1460 * 5).window(8000)); // the hole filled: all acknowledged
        assertThat(socket.sendQueue()).isZero();
        assertThat(socket.counters().retransmissions()).isEqualTo(1);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLostSegmentCostsAboutOneRoundTripBetweenTwoSockets() {
        TcpSocket a = Poller.tcp(16384, 16384, InitialSequence.fixed(100));
        TcpSocket b = Poller.tcp(16384, 16384, InitialSequence.fixed(900));
        TcpWire wire = new TcpWire(a, b).open();
        byte[] data = new byte[1460 * 8];
        new Random(1).nextBytes(data);
        a.send(data, 0, data.length);
        wire.fromA.refuse = 0;
        // lose the first data segment: let A send, then drop that one from the wire by refusing exactly it
        Poller.dispatch(a, wire.now, new TcpRecorder() {
            private boolean first = true;

            @Override
            public SendOutcome send(smol.wire.Ipv4Repr ip, TcpRepr tcp) {
                if (first) {
                    first = false;
                    return SendOutcome.SENT; // "sent", but lost
                }
                return wire.fromA.send(ip, tcp);
            }
        });
        long start = wire.now;
        byte[] got = new byte[data.length];
        int[] have = {0};
        wire.runUntil(() -> {
            int n = b.recv(got, have[0], got.length - have[0]);
            have[0] += Math.max(0, n);
            return have[0] == data.length;
        }, 10_000_000);
        assertThat(got).isEqualTo(data);
        assertThat(wire.now - start).isLessThan(10_000); // a few 1 ms hops, far below the 200 ms RTO
        assertThat(a.counters().retransmissions()).isEqualTo(1);
    }

    @Test
    void outOfOrderSegmentsAreHeldAndCommittedWhenTheGapFills() {
        establishActive();
        in(data(IRS + 6, ISS + 1, "world"));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
        assertThat(socket.canRecv()).isFalse();
        in(data(IRS + 1, ISS + 1, "hello"));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 11, 1014, 0));
        assertThat(recvAll()).isEqualTo("helloworld");
    }

    @Test
    void fourHolesFilledInRandomOrderReassembleExactly() {
        for (long seed = 0; seed < 24; seed++) {
            socket = Poller.tcp(1024, 1024, InitialSequence.fixed(ISS));
            establishActive();
            // 9 chunks of 10 bytes; odd chunks first (4 holes at chunks 0, 2, 4, 6 and the tail 8)
            String text = "";
            for (int i = 0; i < 9; i++) {
                text += String.valueOf((char) ('a' + i)).repeat(10);
            }
            for (int i = 1; i < 8; i += 2) {
                in(data(IRS + 1 + 10 * i, ISS + 1, text.substring(10 * i, 10 * i + 10)));
            }
            String dupAck = ours("ack", ISS + 1, IRS + 1, 1024, 0);
            assertThat(dispatch()).as("one immediate duplicate ACK each").containsExactly(dupAck, dupAck, dupAck, dupAck);
            List<Integer> holes = new ArrayList<>(List.of(0, 2, 4, 6, 8));
            Collections.shuffle(holes, new Random(seed));
            for (int i : holes) {
                in(data(IRS + 1 + 10 * i, ISS + 1, text.substring(10 * i, 10 * i + 10)));
            }
            dispatch();
            assertThat(recvAll()).as("seed " + seed).isEqualTo(text);
            assertThat(socket.counters().drops(SocketDrop.REASSEMBLY_FULL)).isZero();
        }
    }

    @Test
    void aFifthHoleIsDroppedAndCountedThenRecoveredByRetransmission() {
        establishActive();
        for (int i = 1; i <= 9; i += 2) {
            in(data(IRS + 1 + 10 * i, ISS + 1, "0123456789"));
        }
        assertThat(socket.counters().drops(SocketDrop.REASSEMBLY_FULL)).isEqualTo(1);
        for (int i = 0; i <= 9; i++) {
            in(data(IRS + 1 + 10 * i, ISS + 1, "0123456789"));
        }
        assertThat(recvAll()).isEqualTo("0123456789".repeat(10));
    }

    @Test
    void overlappingAndDuplicateSegmentsAreTrimmed() {
        establishActive();
        in(data(IRS + 1, ISS + 1, "abcdef"));
        in(data(IRS + 4, ISS + 1, "defghi")); // overlaps the front
        in(data(IRS + 1, ISS + 1, "abc")); // entirely old: answered with an ACK
        assertThat(recvAll()).isEqualTo("abcdefghi");
        assertThat(socket.counters().drops(SocketDrop.OUT_OF_WINDOW)).isEqualTo(1);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 10, 1015, 0)); // 9 bytes read: below the SWS threshold
    }

    @Test
    void dataBeyondTheWindowIsTrimmedToIt() {
        socket = Poller.tcp(8, 64, InitialSequence.fixed(ISS));
        establishActive();
        in(data(IRS + 1, ISS + 1, "0123456789AB"));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 9, 0, 0));
        assertThat(recvAll()).isEqualTo("01234567");
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 9, 8, 0)); // window update
    }

    @Test
    void zeroWindowAcceptsTheAckOfASegmentButNotItsText() {
        socket = Poller.tcp(4, 64, InitialSequence.fixed(ISS));
        establishActive();
        in(data(IRS + 1, ISS + 1, "full"));
        send("out");
        dispatch();
        in(data(IRS + 5, ISS + 4, "more")); // no room: the text is dropped, its ACK counts
        assertThat(socket.sendQueue()).isZero();
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 4, IRS + 5, 0, 0));
    }

    @Test
    void unacceptableSegmentsAreAnsweredWithAnAck() {
        establishActive();
        in(data(IRS + 5000, ISS + 1, "far")); // beyond the window
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
        in(seg(ACK, IRS + 1, ISS + 99)); // acknowledges data never sent
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
        assertThat(socket.counters().drops(SocketDrop.OUT_OF_WINDOW)).isEqualTo(1);
        assertThat(socket.counters().drops(SocketDrop.UNACCEPTABLE)).isEqualTo(1);
        in(data(IRS + 1, ISS + 1, "x").flags(PSH)); // no ACK bit: dropped
        assertThat(recvAll()).isEmpty();
    }

    @Test
    void aReorderedOldAckDoesNotChangeTheWindow() {
        establishActive();
        send("abc");
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 4).window(2000));
        in(data(IRS + 1, ISS + 1, "xyz").window(0)); // sent before the ACK above, arrived after it
        assertThat(socket.sendWindow()).isEqualTo(2000);
        assertThat(recvAll()).isEqualTo("xyz");
    }

    @Test
    void urgentDataIsDeliveredInline() {
        establishActive();
        in(data(IRS + 1, ISS + 1, "ab!cd").flags(ACK | PSH | URG).urgentPointer(3));
        assertThat(recvAll()).isEqualTo("ab!cd");
    }

    @Test
    void zeroWindowIsProbedWithOneByteAtEachBackedOffTimeout() {
        establishActive();
        in(seg(ACK, IRS + 1, ISS + 1).window(0));
        send("blocked");
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now); // starts the persist timer
        assertThat(dispatch()).isEmpty();
        long rto = socket.retransmitTimeout();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + rto);
        now += rto;
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 1));
        in(seg(ACK, IRS + 1, ISS + 1).window(0)); // still closed: the probe was not taken
        now += 2 * rto;
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 1));
        in(seg(ACK, IRS + 1, ISS + 2).window(100)); // the probe was taken and the window opened
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 2, IRS + 1, 1024, 6));
    }

    @Test
    void aZeroWindowThatStaysClosedNeverTimesTheConnectionOut() {
        socket.retryLimit(2);
        establishActive();
        in(seg(ACK, IRS + 1, ISS + 1).window(0));
        send("x");
        for (int i = 0; i < 10; i++) {
            now = Math.max(now, Poller.pollAt(socket, now));
            dispatch();
            in(seg(ACK, IRS + 1, ISS + 1).window(0));
        }
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void readingOpensTheWindowWithAnUpdate() {
        socket = Poller.tcp(64, 64, InitialSequence.fixed(ISS));
        establishActive();
        in(data(IRS + 1, ISS + 1, repeat('m', 64)));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 65, 0, 0));
        byte[] buf = new byte[64];
        socket.recv(buf, 0, 20);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE); // 20 < half the ring: no update yet
        socket.recv(buf, 0, 20);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 65, 40, 0));
    }

    @Test
    void recvReportsNothingYetThenDataThenEndOfStream() {
        establishActive();
        byte[] buf = new byte[8];
        assertThat(socket.recv(buf, 0, 8)).isZero();
        in(data(IRS + 1, ISS + 1, "abc"));
        in(seg(FIN | ACK, IRS + 4, ISS + 1));
        assertThat(socket.canRecv()).isTrue();
        assertThat(socket.recv(buf, 0, 8)).isEqualTo(3);
        assertThat(socket.recv(buf, 0, 8)).isEqualTo(-1);
    }

    @Test
    void aFinBeyondAHoleWaitsForTheHole() {
        establishActive();
        in(data(IRS + 4, ISS + 1, "def").flags(ACK | FIN));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        in(data(IRS + 1, ISS + 1, "abc"));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        in(data(IRS + 4, ISS + 1, "def").flags(ACK | FIN)); // the peer sends it again
        assertThat(socket.state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(recvAll()).isEqualTo("abcdef");
    }

    @Test
    void sendReturnsZeroWhenTheRingIsFull() {
        socket = Poller.tcp(64, 8, InitialSequence.fixed(ISS));
        establishActive();
        assertThat(send("0123456789")).isEqualTo(8);
        assertThat(socket.canSend()).isFalse();
        assertThat(send("x")).isZero();
    }

    @Test
    void dataQueuedBeforeTheHandshakeGoesOutOnceEstablished() {
        socket.connect(REMOTE, LOCAL);
        send("early");
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=0,0"));
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460));
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 1, 1024, 5));
    }
}
