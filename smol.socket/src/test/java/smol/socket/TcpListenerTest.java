package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import smol.socket.driver.Delivery;
import smol.socket.driver.InitialSequence;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.TcpFlags;
import smol.wire.TcpRepr;

/**
 * A listener with a backlog, driven as an interface drives its set ({@link SetPoller}), against
 * clients scripted segment by segment on a virtual clock: handshakes completed while the application
 * is busy, a full backlog that drops SYNs unanswered, accept in completion order, and closing.
 */
class TcpListenerTest {
    private static final int LOCAL = Ipv4Address.of(192, 168, 69, 1).bits();
    private static final int REMOTE = Ipv4Address.of(192, 168, 69, 100).bits();
    private static final int PORT = 80;
    private static final int ISS = 1000; // ours, for every connection
    private static final int IRS = 5000; // every client's
    private static final int SYN = TcpFlags.SYN;
    private static final int ACK = TcpFlags.ACK;
    private static final int FIN = TcpFlags.FIN;
    private static final int RST = TcpFlags.RST;

    private final SocketSet set = new SocketSet(8);
    private final SetPoller stack = new SetPoller(set, InitialSequence.fixed(ISS));

    private static TcpRepr fromClient(int clientPort, int flags, int seq, int ack) {
        return new TcpRepr().srcPort(clientPort).dstPort(PORT).flags(flags).seq(seq).ack(ack).window(4096);
    }

    private Delivery in(TcpRepr tcp) {
        return stack.in(REMOTE, LOCAL, tcp);
    }

    private Delivery syn(int clientPort) {
        return in(fromClient(clientPort, SYN, IRS, 0).mss(1460));
    }

    private void ack(int clientPort) {
        in(fromClient(clientPort, ACK, IRS + 1, ISS + 1));
    }

    private Delivery reset(int clientPort) {
        return in(fromClient(clientPort, RST, IRS + 1, 0));
    }

    /** SYN, our SYN-ACK, the client's ACK. */
    private void handshake(int clientPort) {
        syn(clientPort);
        stack.poll();
        ack(clientPort);
    }

    /** Polls, and returns what went out since the last call. */
    private List<TcpRecorder.Sent> sent() {
        stack.poll();
        return stack.out.takeSegments();
    }

    private static List<String> described(List<TcpRecorder.Sent> segments) {
        List<String> text = new ArrayList<>();
        for (TcpRecorder.Sent s : segments) {
            text.add(TcpFlags.words(s.flags()) + " to " + s.tcp().dstPort() + " seq=" + s.seq());
        }
        return text;
    }

    private TcpSocket socket(SocketHandle handle) {
        return set.get(handle, TcpSocket.class);
    }

    @Test
    void aListenerWithBacklogTwoCompletesTwoHandshakesWhileTheApplicationDoesNotAccept() {
        TcpListener listener = set.listen(PORT, 2, 1024, 1024);

        syn(50001);
        syn(50002);
        assertThat(listener.halfOpen()).isEqualTo(2);
        assertThat(described(sent())).containsExactly("syn ack to 50001 seq=1000", "syn ack to 50002 seq=1000");
        ack(50001);
        ack(50002);

        assertThat(listener.pending()).isEqualTo(2);
        assertThat(listener.halfOpen()).isZero();
        assertThat(sent()).isEmpty();
        assertThat(stack.unclaimed).isZero();
    }

    @Test
    void aSynForAFullBacklogIsDroppedUnansweredAndCounted() {
        TcpListener listener = set.listen(PORT, 2, 1024, 1024);
        handshake(50001);
        handshake(50002);
        sent();

        assertThat(syn(50003)).isEqualTo(Delivery.DROPPED);

        assertThat(sent()).as("neither a SYN-ACK nor an RST").isEmpty();
        assertThat(stack.dropped).isEqualTo(1);
        assertThat(stack.unclaimed).isZero();
        assertThat(listener.synsDropped()).isEqualTo(1);
        assertThat(listener.pending()).isEqualTo(2);
    }

    @Test
    void aBacklogFullOfHalfOpenConnectionsDropsFurtherSynsToo() {
        TcpListener listener = set.listen(PORT, 2, 1024, 1024);
        syn(50001);
        syn(50002);
        sent();

        assertThat(syn(50003)).isEqualTo(Delivery.DROPPED);

        assertThat(sent()).isEmpty();
        assertThat(listener.synsDropped()).isEqualTo(1);
        assertThat(listener.halfOpen()).isEqualTo(2);
    }

    @Test
    void aFullListenerDropsOnlyItsOwnConnectionRequests() {
        set.listen(PORT, 1, 1024, 1024);
        handshake(50001);

        assertThat(stack.in(REMOTE, LOCAL, new TcpRepr().srcPort(50002).dstPort(81).flags(SYN).seq(IRS).window(4096)))
                .as("a SYN for another port").isEqualTo(Delivery.DECLINED);
        assertThat(in(fromClient(50002, ACK, IRS + 1, ISS + 1))).as("an ACK of no connection")
                .isEqualTo(Delivery.DECLINED);
        assertThat(in(fromClient(50002, SYN | ACK, IRS, ISS + 1))).as("a SYN-ACK").isEqualTo(Delivery.DECLINED);

        assertThat(stack.unclaimed).as("each answered with RST by the interface").isEqualTo(3);
        assertThat(stack.dropped).isZero();
    }

    @Test
    void theConnectionStandingInForAFullListenerStillTakesItsOwnSegments() {
        TcpListener listener = set.listen(PORT, 1, 1024, 1024);
        syn(50001);
        sent();

        // the client's SYN again (our SYN-ACK was lost): the half-open connection answers it
        assertThat(syn(50001)).isEqualTo(Delivery.TAKEN);
        assertThat(described(sent())).containsExactly("syn ack to 50001 seq=1000");
        ack(50001);

        assertThat(listener.pending()).isEqualTo(1);
        assertThat(listener.synsDropped()).isZero();
    }

    @Test
    void acceptHandsOverTheConnectionsInTheOrderTheirHandshakesCompleted() {
        TcpListener listener = set.listen(PORT, 3, 1024, 1024);
        syn(50001);
        syn(50002);
        syn(50003);
        stack.poll();
        ack(50002);
        ack(50003);
        ack(50001);

        SocketHandle first = listener.accept();
        SocketHandle second = listener.accept();
        SocketHandle third = listener.accept();

        assertThat(socket(first).remoteEndpoint().port()).isEqualTo(50002);
        assertThat(socket(second).remoteEndpoint().port()).isEqualTo(50003);
        assertThat(socket(third).remoteEndpoint().port()).isEqualTo(50001);
        assertThat(listener.accept()).as("none left").isNull();
        assertThat(socket(first).state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(listener.isOpen()).isTrue();
        assertThat(set.size()).as("three accepted, three listening").isEqualTo(6);
    }

    @Test
    void afterAnAcceptTheListenerTakesTheRetransmittedSynOfTheClientItDropped() {
        TcpListener listener = set.listen(PORT, 2, 1024, 1024);
        handshake(50001);
        handshake(50002);
        sent();
        assertThat(syn(50003)).isEqualTo(Delivery.DROPPED);

        SocketHandle accepted = listener.accept();
        stack.now += 1_000_000; // the client's SYN timer
        assertThat(syn(50003)).isEqualTo(Delivery.TAKEN);

        assertThat(described(sent())).containsExactly("syn ack to 50003 seq=1000");
        ack(50003);
        assertThat(socket(accepted).remoteEndpoint().port()).isEqualTo(50001);
        assertThat(socket(listener.accept()).remoteEndpoint().port()).isEqualTo(50002);
        assertThat(socket(listener.accept()).remoteEndpoint().port()).isEqualTo(50003);
    }

    @Test
    void dataAndFinThatArriveBeforeAcceptAreAllReadableAfterIt() {
        TcpListener listener = set.listen(PORT, 1, 1024, 1024);
        handshake(50001);
        byte[] hello = "hello, ".getBytes(StandardCharsets.US_ASCII);
        byte[] world = "world".getBytes(StandardCharsets.US_ASCII);
        in(fromClient(50001, ACK | TcpFlags.PSH, IRS + 1, ISS + 1).payload(hello, 0, hello.length));
        in(fromClient(50001, ACK | TcpFlags.PSH | FIN, IRS + 1 + hello.length, ISS + 1).payload(world, 0, world.length));
        List<TcpRecorder.Sent> acks = sent();
        assertThat(acks).last().extracting(s -> s.tcp().ack()).isEqualTo(IRS + 1 + hello.length + world.length + 1);

        TcpSocket connection = socket(listener.accept());

        assertThat(connection.state()).isEqualTo(TcpState.CLOSE_WAIT);
        byte[] buf = new byte[64];
        int n = connection.recv(buf, 0, buf.length);
        assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        assertThat(connection.recv(buf, 0, buf.length)).as("then the end of the stream").isEqualTo(-1);
        // and the connection is the application's to finish: its answer and FIN go out
        byte[] reply = "bye".getBytes(StandardCharsets.US_ASCII);
        assertThat(connection.send(reply, 0, reply.length)).isEqualTo(3);
        connection.close();
        assertThat(described(sent())).containsExactly("fin psh ack to 50001 seq=1001");
        assertThat(connection.state()).isEqualTo(TcpState.LAST_ACK);
    }

    @Test
    void aHalfOpenConnectionResetByItsPeerListensAgain() {
        TcpListener listener = set.listen(PORT, 1, 1024, 1024);
        syn(50001);
        sent();
        assertThat(syn(50002)).isEqualTo(Delivery.DROPPED);

        reset(50001);

        assertThat(listener.halfOpen()).isZero();
        assertThat(syn(50002)).isEqualTo(Delivery.TAKEN);
        assertThat(described(sent())).containsExactly("syn ack to 50002 seq=1000");
        assertThat(set.size()).isEqualTo(1);
    }

    @Test
    void aConnectionResetBeforeAcceptListensAgainAndIsNeverHandedOver() {
        TcpListener listener = set.listen(PORT, 1, 1024, 1024);
        handshake(50001);
        assertThat(listener.pending()).isEqualTo(1);

        reset(50001);

        assertThat(listener.pending()).isZero();
        assertThat(listener.accept()).isNull();
        assertThat(syn(50002)).isEqualTo(Delivery.TAKEN);
    }

    @Test
    void aConnectionResetWhileOthersWaitLeavesTheOrderOfTheRest() {
        TcpListener listener = set.listen(PORT, 3, 1024, 1024);
        handshake(50001);
        handshake(50002);
        handshake(50003);

        reset(50002);

        assertThat(listener.pending()).isEqualTo(2);
        assertThat(socket(listener.accept()).remoteEndpoint().port()).isEqualTo(50001);
        assertThat(socket(listener.accept()).remoteEndpoint().port()).isEqualTo(50003);
        assertThat(listener.accept()).isNull();
    }

    @Test
    void aHalfOpenConnectionWhosePeerVanishedListensAgainAfterTheRetryLimit() {
        TcpListener listener = set.listen(PORT, 1, 1024, 1024).retryLimit(2);
        syn(50001);

        stack.runTo(60_000_000);

        assertThat(described(stack.out.takeSegments())).as("the SYN-ACK and its two retransmissions")
                .containsExactly("syn ack to 50001 seq=1000", "syn ack to 50001 seq=1000", "syn ack to 50001 seq=1000");
        assertThat(listener.halfOpen()).isZero();
        assertThat(syn(50002)).isEqualTo(Delivery.TAKEN);
    }

    @Test
    void closingTheListenerAbortsWhatWasNotAcceptedAndFreesTheReserve() {
        UdpSocket other = new UdpSocket(1, 64, 1, 64);
        set.add(other);
        TcpListener listener = set.listen(PORT, 3, 1024, 1024);
        handshake(50001);
        SocketHandle accepted = listener.accept();
        handshake(50002); // waits for accept
        syn(50003); // half-open
        sent();
        assertThat(set.size()).isEqualTo(5);

        listener.close();

        assertThat(set.size()).as("the listening socket left at once").isEqualTo(4);
        assertThat(described(sent())).as("RFC 9293 §3.10.5: <SEQ=SND.NXT><CTL=RST>")
                .containsExactly("rst to 50002 seq=1001", "rst to 50003 seq=1001");
        assertThat(set.size()).as("the aborted ones left once their RST went out").isEqualTo(2);
        assertThat(socket(accepted).state()).as("the accepted connection is untouched").isEqualTo(TcpState.ESTABLISHED);
        assertThat(listener.isOpen()).isFalse();
        assertThat(listener.pending()).isZero();
        assertThat(listener.halfOpen()).isZero();
        assertThat(syn(50004)).as("nobody listens").isEqualTo(Delivery.DECLINED);
        assertThat(set.listen(PORT, 6, 1024, 1024).backlog()).as("the freed slots serve again").isEqualTo(6);
    }

    @Test
    void aViewsListenerHandsOverConnectionsOfTheViewsOwnerAndClosingTheViewEndsThemAll() {
        SocketSetView app = set.view("com.example.app");
        SocketHandle others = set.view("com.example.other").add(new UdpSocket(1, 64, 1, 64));
        TcpListener listener = app.listen(PORT, 2, 1024, 1024);
        handshake(50001);
        SocketHandle accepted = listener.accept();
        handshake(50002); // waits for accept
        sent();

        assertThat(listener.owner()).isEqualTo("com.example.app");
        assertThat(set.owner(accepted)).as("the accepted connection is the owner's").isEqualTo("com.example.app");
        assertThat(app.get(accepted, TcpSocket.class).state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(app.handles()).as("the accepted one and the backlog").hasSize(3).contains(accepted);

        app.close();

        assertThat(listener.isOpen()).isFalse();
        assertThat(described(sent())).as("the accepted and the waiting connection are reset")
                .containsExactlyInAnyOrder("rst to 50001 seq=1001", "rst to 50002 seq=1001");
        assertThat(set.contains(accepted)).isFalse();
        assertThat(set.size()).as("only the other owner's socket is left").isEqualTo(1);
        assertThat(set.contains(others)).isTrue();
        assertThat(syn(50003)).as("nobody listens").isEqualTo(Delivery.DECLINED);
    }

    @Test
    void anAbortedConnectionWaitsInItsSlotUntilItsResetCanGo() {
        TcpListener listener = set.listen(PORT, 1, 1024, 1024);
        handshake(50001);
        sent();
        stack.out.refuse = -1; // the device takes nothing

        listener.close();
        stack.poll();

        assertThat(set.size()).isEqualTo(1);
        stack.out.refuse = 0;
        assertThat(described(sent())).containsExactly("rst to 50001 seq=1001");
        assertThat(set.size()).isZero();
    }

    @Test
    void aStaleHandleOfARemovedReservedSocketFailsClearly() {
        TcpListener listener = set.listen(PORT, 2, 1024, 1024);
        SocketHandle reserved = listener.reserved(0);
        listener.close();
        UdpSocket newcomer = new UdpSocket(1, 64, 1, 64);

        SocketHandle fresh = set.add(newcomer);

        assertThat(fresh.slot()).as("the slot is reused").isEqualTo(reserved.slot());
        assertThat(set.contains(reserved)).isFalse();
        assertThatThrownBy(() -> set.get(reserved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stale");
        assertThat(set.get(fresh)).isSameAs(newcomer);
    }

    @Test
    void theSetRefusesToRemoveASocketOfTheReserve() {
        TcpListener listener = set.listen(PORT, 2, 1024, 1024);

        assertThatThrownBy(() -> set.remove(listener.reserved(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serves the backlog of TCP listener 0.0.0.0:80")
                .hasMessageContaining("closing the listener removes it");
        assertThat(set.size()).isEqualTo(2);
    }

    @Test
    void aListenerWithBacklogNOccupiesNSlots() {
        set.add(new UdpSocket(1, 64, 1, 64));

        set.listen(PORT, 4, 1024, 1024);

        assertThat(set.size()).isEqualTo(5);
        assertThatThrownBy(() -> set.listen(8080, 4, 1024, 1024)).isInstanceOf(IllegalStateException.class)
                .hasMessage("socket set has room for 3 more sockets, not for a backlog of 4: capacity 8, 5 in use");
        assertThat(set.size()).as("nothing reserved by the refusal").isEqualTo(5);
        set.listen(8080, 3, 1024, 1024);
        assertThatThrownBy(() -> set.add(new UdpSocket(1, 64, 1, 64))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("full");
    }

    @Test
    void acceptWithoutAFreeSlotForTheReplacementFailsAndTheConnectionWaits() {
        SocketSet small = new SocketSet(3);
        SetPoller smallStack = new SetPoller(small, InitialSequence.fixed(ISS));
        TcpListener listener = small.listen(PORT, 2, 1024, 1024);
        for (int port : new int[] {50001, 50002}) {
            smallStack.in(REMOTE, LOCAL, fromClient(port, SYN, IRS, 0));
            smallStack.poll();
            smallStack.in(REMOTE, LOCAL, fromClient(port, ACK, IRS + 1, ISS + 1));
        }
        SocketHandle first = listener.accept();

        assertThatThrownBy(listener::accept).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("socket set is full: capacity 3")
                .hasMessageContaining("a connection waits on 0.0.0.0:80");

        assertThat(listener.pending()).isEqualTo(1);
        small.get(first, TcpSocket.class).abort();
        small.remove(first);
        SocketHandle second = listener.accept();
        assertThat(small.get(second, TcpSocket.class).remoteEndpoint().port()).isEqualTo(50002);
    }

    @Test
    void aSecondListenerOnAnOverlappingEndpointIsRefused() {
        TcpListener first = set.listen(PORT, 1, 1024, 1024);

        assertThatThrownBy(() -> set.listen(new IpEndpoint(Ipv4Address.of(LOCAL), PORT), 1, 1024, 1024))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen on 192.168.69.1:80: TCP listener 0.0.0.0:80");
        set.listen(PORT + 1, 1, 1024, 1024);
        first.close();
        set.listen(new IpEndpoint(Ipv4Address.of(LOCAL), PORT), 1, 1024, 1024);
    }

    @Test
    void aListenerOnOneAddressTakesNoSynForAnother() {
        set.listen(new IpEndpoint(Ipv4Address.of(LOCAL), PORT), 1, 1024, 1024);

        Delivery delivery = stack.in(REMOTE, LOCAL + 1, fromClient(50001, SYN, IRS, 0));

        assertThat(delivery).isEqualTo(Delivery.DECLINED);
        assertThat(syn(50001)).isEqualTo(Delivery.TAKEN);
        // and, full now, it still leaves the other address's SYNs to the interface's RST
        assertThat(stack.in(REMOTE, LOCAL + 1, fromClient(50002, SYN, IRS, 0))).isEqualTo(Delivery.DECLINED);
    }

    @Test
    void misuseIsReportedClearly() {
        assertThatThrownBy(() -> set.listen(0, 1, 1024, 1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> set.listen(PORT, 0, 1024, 1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backlog must be at least 1: 0");
        assertThatThrownBy(() -> set.listen(PORT, 1, 0, 1024)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ring capacities");
        TcpListener listener = set.listen(PORT, 1, 1024, 1024);
        assertThatThrownBy(() -> listener.retryLimit(-1)).isInstanceOf(IllegalArgumentException.class);
        listener.close();
        listener.close(); // again: nothing
        assertThatThrownBy(listener::accept).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThat(set.size()).isZero();
    }

    @Test
    void aSynFloodNeitherGrowsTheSetNorReplacesItsSockets() {
        TcpListener listener = set.listen(PORT, 4, 1024, 1024);
        Socket[] before = new Socket[set.capacity()];
        for (int i = 0; i < set.capacity(); i++) {
            before[i] = set.slot(i);
        }

        for (int port = 1024; port < 2024; port++) {
            syn(port);
        }
        stack.poll();

        assertThat(listener.halfOpen()).isEqualTo(4);
        assertThat(listener.synsDropped()).isEqualTo(996);
        assertThat(stack.dropped).isEqualTo(996);
        assertThat(stack.unclaimed).isZero();
        assertThat(set.size()).isEqualTo(4);
        for (int i = 0; i < set.capacity(); i++) {
            assertThat(set.slot(i)).as("slot %d", i).isSameAs(before[i]);
        }
        assertThat(stack.out.takeSegments()).as("one SYN-ACK per reserved socket").hasSize(4);
    }

    @Test
    void describesItself() {
        TcpListener listener = set.listen(PORT, 3, 1024, 1024);
        handshake(50001);
        syn(50002);

        assertThat(listener).hasToString("TCP listener 0.0.0.0:80 backlog 3: 1 half-open, 1 to accept, 0 SYNs dropped");
        listener.close();
        assertThat(listener).hasToString("TCP listener 0.0.0.0:80 closed, 0 SYNs dropped");
    }
}
