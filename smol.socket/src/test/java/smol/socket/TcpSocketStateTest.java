package smol.socket;

import smol.socket.driver.InitialSequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;

/** The RFC 9293 state machine against a scripted peer: opens, closes, resets, aborts. */
class TcpSocketStateTest extends TcpSocketHarness {

    @Test
    void activeOpenSendsSynWithOurMssAndEstablishesOnSynAck() {
        socket.connect(REMOTE, LOCAL);
        assertThat(socket.state()).isEqualTo(TcpState.SYN_SENT);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now);
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=0,0"));
        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + 1_000_000);

        assertThat(in(seg(SYN | ACK, IRS, ISS + 1).mss(1200))).isTrue();
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
        assertThat(socket.mss()).isEqualTo(1200);
        assertThat(socket.isActive()).isTrue();
        assertThat(socket.maySend()).isTrue();
        assertThat(socket.mayRecv()).isTrue();
        assertThat(socket.localEndpoint()).isEqualTo(LOCAL);
        assertThat(socket.remoteEndpoint()).isEqualTo(REMOTE);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void passiveOpenAnswersSynWithSynAckAndEstablishesOnAck() {
        socket.listen(LOCAL.port());
        assertThat(socket.state()).isEqualTo(TcpState.LISTEN);
        assertThat(socket.isOpen()).isTrue();
        assertThat(socket.isActive()).isFalse();
        assertThat(in(seg(SYN, IRS, 0))).isTrue();
        assertThat(socket.state()).isEqualTo(TcpState.SYN_RECEIVED);
        assertThat(dispatch()).containsExactly(ours("syn ack", ISS, IRS + 1, 1024, 0, " mss=1460"));
        assertThat(socket.mss()).isEqualTo(536); // no MSS option from the peer
        assertThat(in(seg(ACK, IRS + 1, ISS + 1))).isTrue();
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(socket.remoteEndpoint()).isEqualTo(REMOTE);
        assertThat(socket.localEndpoint()).isEqualTo(LOCAL);
        assertThat(dispatch()).isEmpty();
    }

    @Test
    void listeningSocketTakesOnlyPlainSyns() {
        socket.listen(LOCAL.port());
        assertThat(in(seg(ACK, IRS, 77))).isFalse();
        assertThat(in(seg(RST, IRS, 0))).isFalse();
        assertThat(in(seg(SYN | ACK, IRS, 77))).isFalse();
        assertThat(in(seg(SYN, IRS, 0).dstPort(81))).isFalse();
        assertThat(socket.state()).isEqualTo(TcpState.LISTEN);
        assertThat(dispatch()).isEmpty();
    }

    @Test
    void listeningOnAnAddressIgnoresSynsToOthers() {
        socket.listen(new IpEndpoint(Ipv4Address.of(LOCAL_ADDRESS + 1), LOCAL.port()));
        assertThat(in(seg(SYN, IRS, 0))).isFalse();
    }

    @Test
    void synReceivedSocketRefusesOtherPeers() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0));
        TcpRepr otherPeer = seg(SYN, 9, 0).srcPort(1234);
        assertThat(in(otherPeer)).isFalse();
    }

    @Test
    void retransmittedSynInSynReceivedGetsTheSynAckAgain() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0));
        dispatch();
        assertThat(in(seg(SYN, IRS, 0))).isTrue();
        assertThat(dispatch()).containsExactly(ours("syn ack", ISS, IRS + 1, 1024, 0, " mss=1460"));
        assertThat(socket.state()).isEqualTo(TcpState.SYN_RECEIVED);
    }

    @Test
    void aPassiveOpenWhosePeerVanishesListensAgainAfterTheRetryLimit() {
        socket.retryLimit(2);
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0));
        String synAck = ours("syn ack", ISS, IRS + 1, 1024, 0, " mss=1460");
        assertThat(dispatch()).containsExactly(synAck);
        now = 1_000_000;
        assertThat(dispatch()).containsExactly(synAck);
        now = 3_000_000;
        assertThat(dispatch()).containsExactly(synAck);
        now = 7_000_000;
        assertThat(dispatch()).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.LISTEN);
        assertThat(socket.localEndpoint()).isEqualTo(new IpEndpoint(Ipv4Address.UNSPECIFIED, LOCAL.port()));
    }

    @Test
    void aSynThatCannotGoNowIsSentOnTheNextPoll() {
        socket.connect(REMOTE, LOCAL);
        out.refuse = 1;
        assertThat(dispatch()).isEmpty();
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now);
        now += 10;
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=0,0"));
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + 1_000_000);
    }

    @Test
    void retransmittedSynAckInEstablishedIsAcknowledgedAgain() {
        establishActive();
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void simultaneousOpenGoesThroughSynReceived() {
        socket.connect(REMOTE, LOCAL);
        assertThat(dispatch()).containsExactly(ours("syn", ISS, 0, 1024, 0, " mss=1460 ts=0,0"));
        in(seg(SYN, IRS, 0).mss(1460)); // their SYN crosses ours
        assertThat(socket.state()).isEqualTo(TcpState.SYN_RECEIVED);
        assertThat(dispatch()).containsExactly(ours("syn ack", ISS, IRS + 1, 1024, 0, " mss=1460"));
        in(seg(SYN | ACK, IRS, ISS + 1).mss(1460)); // their SYN-ACK
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
    }

    @Test
    void simultaneousOpenBetweenTwoSockets() {
        TcpSocket a = Poller.tcp(256, 256, InitialSequence.fixed(100));
        TcpSocket b = Poller.tcp(256, 256, InitialSequence.fixed(900));
        TcpWire wire = new TcpWire(a, b);
        a.connect(TcpWire.B, TcpWire.A);
        b.connect(TcpWire.A, TcpWire.B);
        wire.runUntil(() -> a.state() == TcpState.ESTABLISHED && b.state() == TcpState.ESTABLISHED, 10_000_000);
        assertThat(wire.log).startsWith(
                "A> TCP src=40000 dst=80 syn seq=100 ack=0 win=256 len=0 mss=1460 ts=0,0",
                "B> TCP src=80 dst=40000 syn seq=900 ack=0 win=256 len=0 mss=1460 ts=0,0",
                "A> TCP src=40000 dst=80 syn ack seq=100 ack=901 win=256 len=0 mss=1460 ts=1,0",
                "B> TCP src=80 dst=40000 syn ack seq=900 ack=101 win=256 len=0 mss=1460 ts=1,0");
        byte[] got = wire.transfer(a, b, "hello".getBytes(), 10_000_000);
        assertThat(new String(got)).isEqualTo("hello");
    }

    @Test
    void weCloseFirstThroughFinWait1FinWait2AndTimeWait() {
        establishActive();
        send("bye");
        socket.close();
        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_1);
        assertThat(socket.maySend()).isFalse();
        assertThat(dispatch()).containsExactly(ours("fin psh ack", ISS + 1, IRS + 1, 1024, 3));
        in(seg(ACK, IRS + 1, ISS + 5));
        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_2);
        assertThat(socket.mayRecv()).isTrue();
        in(data(IRS + 1, ISS + 5, "more"));
        assertThat(recvAll()).isEqualTo("more");
        in(seg(FIN | ACK, IRS + 5, ISS + 5));
        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(socket.isOpen()).isFalse();
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 5, IRS + 6, 1019, 0));
        assertThat(socket.recv(new byte[8], 0, 8)).isEqualTo(-1);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + TcpSocket.DEFAULT_TIME_WAIT_MICROS);
        now += TcpSocket.DEFAULT_TIME_WAIT_MICROS - 1;
        assertThat(dispatch()).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);
        now += 1;
        assertThat(dispatch()).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void finAndAckOfOurFinTogetherGoStraightToTimeWait() {
        establishActive();
        socket.close();
        dispatch();
        in(seg(FIN | ACK, IRS + 1, ISS + 2));
        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 2, IRS + 2, 1023, 0));
    }

    @Test
    void theyCloseFirstAndWeKeepSendingUntilWeClose() {
        establishPassive();
        in(data(IRS + 1, ISS + 1, "last words"));
        in(seg(FIN | ACK, IRS + 11, ISS + 1));
        assertThat(socket.state()).isEqualTo(TcpState.CLOSE_WAIT);
        // the FIN moved the right edge by one: not worth offering (RFC 1122 §4.2.3.3)
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 12, 1013, 0));
        assertThat(socket.mayRecv()).isFalse();
        assertThat(socket.maySend()).isTrue();
        assertThat(recvAll()).isEqualTo("last words");
        assertThat(socket.recv(new byte[8], 0, 8)).isEqualTo(-1);

        assertThat(send("reply")).isEqualTo(5);
        assertThat(dispatch()).containsExactly(ours("psh ack", ISS + 1, IRS + 12, 1013, 5));
        in(seg(ACK, IRS + 12, ISS + 6));
        socket.close();
        assertThat(socket.state()).isEqualTo(TcpState.LAST_ACK);
        assertThat(dispatch()).containsExactly(ours("fin ack", ISS + 6, IRS + 12, 1013, 0));
        in(seg(ACK, IRS + 12, ISS + 7));
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(dispatch()).isEmpty();
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        establishActive();
        socket.close();
        assertThat(dispatch()).containsExactly(ours("fin ack", ISS + 1, IRS + 1, 1024, 0));
        in(seg(FIN | ACK, IRS + 1, ISS + 1)); // their FIN crossed ours
        assertThat(socket.state()).isEqualTo(TcpState.CLOSING);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 2, IRS + 2, 1023, 0));
        in(seg(ACK, IRS + 2, ISS + 2));
        assertThat(socket.state()).isEqualTo(TcpState.TIME_WAIT);
    }

    @Test
    void simultaneousCloseBetweenTwoSockets() {
        TcpSocket a = Poller.tcp(256, 256, InitialSequence.fixed(100));
        TcpSocket b = Poller.tcp(256, 256, InitialSequence.fixed(900));
        TcpWire wire = new TcpWire(a, b).open();
        a.close();
        b.close();
        wire.runUntil(() -> a.state() == TcpState.CLOSED && b.state() == TcpState.CLOSED, 30_000_000);
        assertThat(wire.log).contains("A> TCP src=40000 dst=80 fin ack seq=101 ack=901 win=256 len=0 ts=3,1",
                "B> TCP src=80 dst=40000 fin ack seq=901 ack=101 win=256 len=0 ts=3,2");
        assertThat(a.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(b.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
    }

    @Test
    void closeInSynReceivedSendsFinOnceEstablished() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0));
        dispatch();
        socket.close();
        assertThat(socket.state()).isEqualTo(TcpState.SYN_RECEIVED);
        in(seg(ACK, IRS + 1, ISS + 1));
        assertThat(socket.state()).isEqualTo(TcpState.FIN_WAIT_1);
        assertThat(dispatch()).containsExactly(ours("fin ack", ISS + 1, IRS + 1, 1024, 0));
    }

    @Test
    void closeInListenOrSynSentJustCloses() {
        socket.listen(LOCAL.port());
        socket.close();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        socket.connect(REMOTE, LOCAL);
        dispatch();
        socket.close();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(dispatch()).isEmpty();
    }

    @Test
    void timeWaitAcknowledgesARetransmittedFinAndRestartsItsTimer() {
        socket.timeWait(2_000_000);
        establishActive();
        socket.close();
        dispatch();
        in(seg(FIN | ACK, IRS + 1, ISS + 2));
        dispatch();
        now += 1_500_000;
        in(seg(FIN | ACK, IRS + 1, ISS + 2));
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 2, IRS + 2, 1023, 0));
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now + 2_000_000);
        now += 2_000_000;
        dispatch();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
    }

    @Test
    void resetInSynSentWithAcceptableAckRefusesTheConnection() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        assertThat(in(seg(RST, 0, ISS + 1))).isTrue(); // no ACK bit: ignored
        assertThat(socket.state()).isEqualTo(TcpState.SYN_SENT);
        in(seg(RST | ACK, 0, ISS + 1));
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.REFUSED);
        assertThat(socket.recv(new byte[1], 0, 1)).isEqualTo(-1);
        assertThat(in(seg(ACK, 1, 1))).isFalse();
    }

    @Test
    void synSentAnswersAnAckOfSomethingElseWithReset() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        in(seg(SYN | ACK, IRS, ISS + 7));
        assertThat(out.take()).containsExactly(ours("rst", ISS + 7, 0, 0, 0));
        assertThat(socket.state()).isEqualTo(TcpState.SYN_SENT);
        in(seg(RST | ACK, IRS, ISS + 7)); // unacceptable ACK on a RST: dropped, no answer
        assertThat(out.take()).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.SYN_SENT);
    }

    @Test
    void synReceivedAnswersABadAckWithReset() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0));
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 50));
        assertThat(out.take()).containsExactly(ours("rst", ISS + 50, 0, 0, 0));
        assertThat(socket.state()).isEqualTo(TcpState.SYN_RECEIVED);
    }

    @Test
    void resetInPassiveSynReceivedReturnsToListen() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0));
        dispatch();
        in(seg(RST, IRS + 1, 0));
        assertThat(socket.state()).isEqualTo(TcpState.LISTEN);
        assertThat(socket.remoteEndpoint()).isNull();
        assertThat(in(seg(SYN, 77, 0).srcPort(1234))).isTrue();
        assertThat(socket.state()).isEqualTo(TcpState.SYN_RECEIVED);
    }

    @Test
    void resetInActiveSynReceivedRefuses() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        in(seg(SYN, IRS, 0));
        in(seg(RST, IRS + 1, 0));
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.REFUSED);
    }

    @Test
    void resetAtRcvNxtClosesEverySynchronizedState() {
        for (TcpState target : new TcpState[] {TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2,
                TcpState.CLOSE_WAIT, TcpState.CLOSING, TcpState.LAST_ACK, TcpState.TIME_WAIT}) {
            socket = Poller.tcp(1024, 1024, InitialSequence.fixed(ISS));
            int rcvNxt = driveTo(target);
            assertThat(socket.state()).as("driven to").isEqualTo(target);
            send2(rcvNxt);
            assertThat(socket.state()).as("after RST in " + target).isEqualTo(TcpState.CLOSED);
            assertThat(socket.closeReason()).as("reason in " + target).isEqualTo(
                    target == TcpState.TIME_WAIT ? TcpCloseReason.GRACEFUL : TcpCloseReason.RESET_BY_PEER);
            assertThat(dispatch()).as("nothing answers a RST").isEmpty();
        }
    }

    private void send2(int rcvNxt) {
        in(seg(RST, rcvNxt, 0));
    }

    /** Drives a fresh socket into {@code target}; returns RCV.NXT there. */
    private int driveTo(TcpState target) {
        establishActive();
        switch (target) {
            case ESTABLISHED -> {
                return IRS + 1;
            }
            case FIN_WAIT_1 -> {
                socket.close();
                dispatch();
                return IRS + 1;
            }
            case FIN_WAIT_2 -> {
                socket.close();
                dispatch();
                in(seg(ACK, IRS + 1, ISS + 2));
                return IRS + 1;
            }
            case CLOSE_WAIT -> {
                in(seg(FIN | ACK, IRS + 1, ISS + 1));
                dispatch();
                return IRS + 2;
            }
            case CLOSING -> {
                socket.close();
                dispatch();
                in(seg(FIN | ACK, IRS + 1, ISS + 1));
                dispatch();
                return IRS + 2;
            }
            case LAST_ACK -> {
                in(seg(FIN | ACK, IRS + 1, ISS + 1));
                socket.close();
                dispatch();
                return IRS + 2;
            }
            case TIME_WAIT -> {
                socket.close();
                dispatch();
                in(seg(FIN | ACK, IRS + 1, ISS + 2));
                dispatch();
                return IRS + 2;
            }
            default -> throw new AssertionError(target);
        }
    }

    @Test
    void resetInsideTheWindowButNotAtRcvNxtGetsAChallengeAck() {
        establishActive();
        in(seg(RST, IRS + 100, 0));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
        in(seg(RST, IRS + 100_000, 0)); // outside the window: silently dropped
        assertThat(dispatch()).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void resetFlushesTheQueues() {
        establishActive();
        in(data(IRS + 1, ISS + 1, "unread"));
        send("unsent");
        in(seg(RST, IRS + 7, 0));
        assertThat(socket.recv(new byte[16], 0, 16)).isEqualTo(-1);
        assertThat(socket.sendQueue()).isZero();
    }

    @Test
    void synInASynchronizedStateGetsAChallengeAck() {
        establishActive();
        in(seg(SYN, IRS + 10, 0));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(dispatch()).containsExactly(ours("ack", ISS + 1, IRS + 1, 1024, 0));
    }

    @Test
    void abortSendsResetAndCloses() {
        establishActive();
        send("dropped");
        socket.abort();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.ABORTED);
        assertThat(Poller.pollAt(socket, now)).isEqualTo(now);
        out.refuse = 1;
        assertThat(dispatch()).isEmpty();
        assertThat(dispatch()).containsExactly(ours("rst", ISS + 1, 0, 1024, 0));
        assertThat(Poller.pollAt(socket, now)).isEqualTo(Long.MAX_VALUE);
        assertThat(dispatch()).isEmpty();
        assertThat(in(seg(ACK, IRS + 1, ISS + 1))).isFalse();
    }

    @Test
    void abortInSynSentSendsNothing() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        socket.abort();
        assertThat(dispatch()).isEmpty();
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.ABORTED);
    }

    @Test
    void connectionCountersStartAfreshWhileTheLifeCountersAddUp() {
        establishActive(); // SYN out, SYN-ACK in, ACK out
        socket.abort();
        dispatch(); // RST out
        assertThat(socket.counters().packetsOut()).isEqualTo(3);

        socket.listen(LOCAL.port());

        assertThat(socket.connectionCounters().packetsOut()).isZero();
        assertThat(socket.connectionCounters().packetsIn()).isZero();
        in(seg(SYN, IRS, 0).mss(1460));
        dispatch(); // SYN-ACK out
        assertThat(socket.connectionCounters().packetsIn()).isEqualTo(1);
        assertThat(socket.connectionCounters().packetsOut()).isEqualTo(1);
        assertThat(socket.counters().packetsIn()).isEqualTo(2);
        assertThat(socket.counters().packetsOut()).isEqualTo(4);
    }

    @Test
    void connectTakesItsIsnFromTheInterfacesGeneratorWhenTheSynFirstGoesOut() {
        socket = Poller.tcp(64, 64, (la, lp, ra, rp, at) -> la ^ lp ^ ra ^ rp ^ (int) at);
        socket.connect(REMOTE, LOCAL);
        now = 7;

        dispatch();

        assertThat(socket.initialSendSequence()).isEqualTo(LOCAL_ADDRESS ^ 80 ^ REMOTE_ADDRESS ^ 49500 ^ 7);
    }

    @Test
    void reopenAfterCloseStartsAFreshConnection() {
        establishActive();
        socket.abort();
        dispatch();
        socket.listen(LOCAL.port());
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.NONE);
        assertThat(socket.state()).isEqualTo(TcpState.LISTEN);
    }

    @Test
    void misuseIsReportedWithTheState() {
        assertThatThrownBy(() -> send("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("CLOSED");
        socket.listen(80);
        assertThatThrownBy(() -> socket.listen(81)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LISTEN");
        assertThatThrownBy(() -> socket.connect(REMOTE, LOCAL)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LISTEN");
        socket.close();
        assertThatThrownBy(() -> socket.listen(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.connect(REMOTE, new IpEndpoint(LOCAL.address(), 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.connect(new IpEndpoint(Ipv4Address.BROADCAST, 80), LOCAL))
                .isInstanceOf(IllegalArgumentException.class);
        establishActive();
        socket.close();
        assertThatThrownBy(() -> send("x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FIN_WAIT_1");
        assertThatThrownBy(() -> Poller.tcp(0, 1, InitialSequence.fixed(0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.retryLimit(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unspecifiedLocalAddressIsLearnedFromTheSynAck() {
        socket.connect(REMOTE, new IpEndpoint(Ipv4Address.UNSPECIFIED, LOCAL.port()));
        Poller.dispatch(socket, now, out);
        assertThat(out.sent.get(0).src()).isZero();
        out.take();
        in(seg(SYN | ACK, IRS, ISS + 1));
        assertThat(socket.localEndpoint()).isEqualTo(LOCAL);
        Poller.dispatch(socket, now, out);
        assertThat(out.sent.get(0).src()).isEqualTo(LOCAL_ADDRESS);
    }

    @Test
    void segmentsForOtherConnectionsAreNotTaken() {
        establishActive();
        Ipv4Repr otherHost = new Ipv4Repr().src(REMOTE_ADDRESS + 1).dst(LOCAL_ADDRESS);
        assertThat(Poller.processTcp(socket, now, otherHost, seg(ACK, IRS + 1, ISS + 1), out)).isFalse();
        assertThat(in(seg(ACK, IRS + 1, ISS + 1).srcPort(1))).isFalse();
        assertThat(in(seg(ACK, IRS + 1, ISS + 1).dstPort(1))).isFalse();
        assertThat(Poller.processTcp(Poller.tcp(8, 8, InitialSequence.fixed(0)), 0,
                new Ipv4Repr().src(REMOTE_ADDRESS).dst(LOCAL_ADDRESS), seg(SYN, 1, 0), out)).isFalse();
    }
}
