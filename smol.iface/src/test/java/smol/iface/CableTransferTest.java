package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.TwoStacks.HOP_MICROS;
import static smol.iface.TwoStacks.START_MICROS;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.EchoReply;
import smol.socket.IcmpSocket;
import smol.socket.SendResult;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.IpEndpoint;

/**
 * Two whole stacks joined by a {@link smol.phy.Cable} on a virtual clock ({@link TwoStacks}): ARP, the
 * TCP handshake, 1 MiB each way and both ways at once through small and large socket buffers, every
 * order of closing, UDP and ICMP echo between the stacks. The ISNs come from a keyed generator with a
 * fixed seed, so each run is the same.
 */
class CableTransferTest {
    private static final int MIB = 1 << 20;
    private static final int SERVER_PORT = 7777;
    private static final int CLIENT_PORT = 40000;
    private static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, SERVER_PORT);
    private static final IpEndpoint CLIENT = new IpEndpoint(Fixtures.IP_A, CLIENT_PORT);
    /** A bound on the virtual time of any phase below; far above what each takes. */
    private static final long PHASE_LIMIT_MICROS = 600_000_000L;

    private final TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE));
    private TcpSocket client;
    private TcpSocket server;
    private TwoStacks.StateLog clientLog;
    private TwoStacks.StateLog serverLog;

    /** Creates both sockets with rings of {@code bufferBytes}, the server listening and the client connecting. */
    private void open(int bufferBytes) {
        server = new TcpSocket(bufferBytes, bufferBytes);
        client = new TcpSocket(bufferBytes, bufferBytes);
        stacks.open(client, CLIENT, server, SERVER);
        clientLog = stacks.track(client);
        serverLog = stacks.track(server);
    }

    private void establish(int bufferBytes) {
        open(bufferBytes);
        stacks.runUntilOrFail(() -> client.state() == TcpState.ESTABLISHED && server.state() == TcpState.ESTABLISHED,
                5_000_000, "established");
    }

    @Test
    void arpResolvesTheNeighbourOnceBeforeTheSynGoesOut() {
        open(4096);

        stacks.runUntilOrFail(() -> server.state() == TcpState.ESTABLISHED, 5_000_000, "established");

        // round 0: A's SYN waits for B's MAC, the request goes out; 1: B answers (and learns A from the
        // request); 2: A learns B and sends the SYN; 3: B's SYN-ACK; 4: A's ACK; 5: B is established
        assertThat(stacks.a.statistics().arpRequestsSent()).isEqualTo(1);
        assertThat(stacks.a.statistics().drops(IfaceDrop.NEIGHBOUR_UNRESOLVED)).isEqualTo(1);
        assertThat(stacks.b.statistics().arpRequestsAnswered()).isEqualTo(1);
        assertThat(stacks.b.statistics().arpRequestsSent()).isZero();
        assertThat(stacks.a.arpCache().lookup(Fixtures.IP_B.bits(), stacks.now)).isEqualTo(Fixtures.MAC_B.bits());
        assertThat(stacks.b.arpCache().lookup(Fixtures.IP_A.bits(), stacks.now)).isEqualTo(Fixtures.MAC_A.bits());
        assertThat(clientLog.enteredAt(TcpState.ESTABLISHED)).isEqualTo(START_MICROS + 4 * HOP_MICROS);
        assertThat(serverLog.enteredAt(TcpState.SYN_RECEIVED)).isEqualTo(START_MICROS + 3 * HOP_MICROS);
        assertThat(serverLog.enteredAt(TcpState.ESTABLISHED)).isEqualTo(START_MICROS + 5 * HOP_MICROS);
    }

    @Test
    void handshakeAgreesOnMss1460AndAdvertisesTheFreeReceiveSpace() {
        establish(4096);

        assertThat(clientLog.states()).containsExactly(TcpState.SYN_SENT, TcpState.ESTABLISHED);
        assertThat(serverLog.states()).containsExactly(TcpState.LISTEN, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED);
        assertThat(client.mss()).isEqualTo(1460);
        assertThat(server.mss()).isEqualTo(1460);
        assertThat(client.sendWindow()).isEqualTo(4096);
        assertThat(server.sendWindow()).isEqualTo(4096);
        assertThat(client.localEndpoint()).isEqualTo(CLIENT);
        assertThat(server.remoteEndpoint()).isEqualTo(CLIENT);
        assertThat(client.counters().retransmissions() + server.counters().retransmissions()).isZero();
        // RFC 7323 §3.2: each SYN carried the timestamps option, so both ends use it
        assertThat(client.timestamps()).isTrue();
        assertThat(server.timestamps()).isTrue();
    }

    @Test
    void fullSegmentsWithTheTimestampsOptionFillTheMtuExactly() {
        establish(64 * 1024);
        int[] largest = {0};
        int[] fullFrames = {0};
        stacks.a.addObserver((direction, buf, off, len, now) -> {
            byte[] frame = Arrays.copyOfRange(buf, off, off + len);
            if (direction == FrameDirection.OUT && TcpSegment.isTcp(frame)) {
                largest[0] = Math.max(largest[0], len);
                // the checksums are left to the device here, so read the lengths rather than parse
                int ipHeader = (frame[14] & 0x0f) * 4;
                int tcpHeader = ((frame[14 + ipHeader + 12] & 0xff) >>> 4) * 4;
                if (Fixtures.u16(frame, 16) - ipHeader - tcpHeader == 1448 && tcpHeader == 32) {
                    fullFrames[0]++;
                }
            }
        });
        PatternStream.Reader reader = new PatternStream.Reader(server, 4, false);
        stacks.application(reader).application(new PatternStream.Writer(client, 4, 64 * 1024, false));

        stacks.runUntilOrFail(() -> reader.received == 64 * 1024, PHASE_LIMIT_MICROS, "received");

        // RFC 6691 §2: the MSS of 1460 counts data and options; 1448 data + 12 option bytes + 20 TCP
        // + 20 IPv4 = the 1500-byte MTU, in a 1514-byte Ethernet frame (TCP header 32 bytes)
        assertThat(largest[0]).isEqualTo(1514);
        assertThat(fullFrames[0]).isEqualTo(64 * 1024 / 1448);
    }

    enum Direction { CLIENT_TO_SERVER, SERVER_TO_CLIENT, BOTH }

    static Stream<Arguments> transfers() {
        return Stream.of(Direction.values())
                .flatMap(d -> Stream.of(Arguments.of(d, 64), Arguments.of(d, 64 * 1024)));
    }

    @ParameterizedTest(name = "{0} through {1}-byte buffers")
    @MethodSource("transfers")
    void mebibyteArrivesByteExactAndBothEndsCloseGracefully(Direction direction, int bufferBytes) {
        establish(bufferBytes);
        boolean clientSends = direction != Direction.SERVER_TO_CLIENT;
        boolean serverSends = direction != Direction.CLIENT_TO_SERVER;
        // a sender closes after its last byte; a receiver that sends nothing closes at the end of the stream
        PatternStream.Reader serverReader = new PatternStream.Reader(server, 1, !serverSends);
        PatternStream.Reader clientReader = new PatternStream.Reader(client, 2, !clientSends);
        stacks.application(serverReader).application(clientReader);
        if (clientSends) {
            stacks.application(new PatternStream.Writer(client, 1, MIB, true));
        }
        if (serverSends) {
            stacks.application(new PatternStream.Writer(server, 2, MIB, true));
        }

        stacks.runUntilOrFail(() -> !client.isOpen() && !server.isOpen(), PHASE_LIMIT_MICROS, "closed");

        assertThat(serverReader.received).isEqualTo(clientSends ? MIB : 0);
        assertThat(clientReader.received).isEqualTo(serverSends ? MIB : 0);
        assertThat(serverReader.firstMismatch).as("first wrong byte at the server").isEqualTo(-1);
        assertThat(clientReader.firstMismatch).as("first wrong byte at the client").isEqualTo(-1);
        assertThat(serverReader.endOfStream).isTrue();
        assertThat(clientReader.endOfStream).isTrue();
        // the segments are as large as the smaller of the peer's window (the buffer) and the MSS allow
        long segmentsEachWay = MIB / Math.min(bufferBytes, 1460);
        if (clientSends) {
            assertThat(stacks.a.statistics().framesOut()).isGreaterThanOrEqualTo(segmentsEachWay);
        }
        if (serverSends) {
            assertThat(stacks.b.statistics().framesOut()).isGreaterThanOrEqualTo(segmentsEachWay);
        }
        // a clean cable: nothing lost, nothing resent, nothing refused
        assertThat(client.counters().retransmissions() + server.counters().retransmissions()).isZero();
        assertThat(stacks.a.statistics().drops(IfaceDrop.DEVICE_BUSY) + stacks.b.statistics().drops(IfaceDrop.DEVICE_BUSY))
                .isZero();
        assertThat(stacks.a.statistics().rstsSent() + stacks.b.statistics().rstsSent()).isZero();
        assertGracefulEnd();
    }

    /**
     * Both connections ended gracefully: each socket is CLOSED or, as an active closer, in TIME-WAIT,
     * which ends exactly its TIME-WAIT duration after it began.
     */
    private void assertGracefulEnd() {
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(server.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(client.state() == TcpState.TIME_WAIT || server.state() == TcpState.TIME_WAIT)
                .as("one end is the active closer").isTrue();
        for (TwoStacks.StateLog log : new TwoStacks.StateLog[] {clientLog, serverLog}) {
            TcpSocket socket = log == clientLog ? client : server;
            if (socket.state() == TcpState.TIME_WAIT) {
                long closesAt = log.enteredAt(TcpState.TIME_WAIT) + socket.timeWait();
                stacks.runTo(closesAt - 1);
                assertThat(socket.state()).as("%s %s at %d", log.states(), log.times(), stacks.now)
                        .isEqualTo(TcpState.TIME_WAIT);
                stacks.runTo(closesAt);
                assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
                assertThat(log.enteredAt(TcpState.CLOSED)).isEqualTo(closesAt);
                assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
            } else {
                assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
            }
        }
    }

    @Test
    void clientClosingFirstWaitsInTimeWaitWhileTheServerClosesOnTheLastAck() {
        establish(4096);
        stacks.application(new PatternStream.Reader(server, 0, true));

        client.close();
        stacks.runUntilOrFail(() -> server.state() == TcpState.CLOSED, 5_000_000, "server closed");

        assertThat(clientLog.states()).containsExactly(TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1,
                TcpState.FIN_WAIT_2, TcpState.TIME_WAIT);
        assertThat(serverLog.states()).containsExactly(TcpState.LISTEN, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED,
                TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.CLOSED);
        assertGracefulEnd();
        assertThat(clientLog.states()).endsWith(TcpState.TIME_WAIT, TcpState.CLOSED);
    }

    @Test
    void serverClosingFirstWaitsInTimeWaitWhileTheClientClosesOnTheLastAck() {
        establish(4096);
        stacks.application(new PatternStream.Reader(client, 0, true));

        server.close();
        stacks.runUntilOrFail(() -> client.state() == TcpState.CLOSED, 5_000_000, "client closed");

        assertThat(serverLog.states()).containsExactly(TcpState.LISTEN, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED,
                TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TcpState.TIME_WAIT);
        assertThat(clientLog.states()).containsExactly(TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT,
                TcpState.LAST_ACK, TcpState.CLOSED);
        assertGracefulEnd();
        assertThat(serverLog.states()).endsWith(TcpState.TIME_WAIT, TcpState.CLOSED);
    }

    @Test
    void simultaneousCloseCrossesFinsAndBothEndsPassThroughClosingAndTimeWait() {
        establish(4096);

        client.close();
        server.close();
        stacks.runUntilOrFail(() -> client.state() == TcpState.TIME_WAIT && server.state() == TcpState.TIME_WAIT,
                5_000_000, "both in TIME-WAIT");

        // RFC 793 §3.5 figure 14: each FIN arrives before the ACK of the other, so both go through CLOSING
        assertThat(clientLog.states()).containsExactly(TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1,
                TcpState.CLOSING, TcpState.TIME_WAIT);
        assertThat(serverLog.states()).containsExactly(TcpState.LISTEN, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED,
                TcpState.FIN_WAIT_1, TcpState.CLOSING, TcpState.TIME_WAIT);
        long clientClosesAt = clientLog.enteredAt(TcpState.TIME_WAIT) + client.timeWait();
        long serverClosesAt = serverLog.enteredAt(TcpState.TIME_WAIT) + server.timeWait();
        stacks.runTo(Math.max(clientClosesAt, serverClosesAt));
        assertThat(clientLog.enteredAt(TcpState.CLOSED)).isEqualTo(clientClosesAt);
        assertThat(serverLog.enteredAt(TcpState.CLOSED)).isEqualTo(serverClosesAt);
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(server.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
    }

    @Test
    void udpRequestGetsItsReplyAcrossTheCable() {
        UdpSocket requester = new UdpSocket(4, 1024, 4, 1024);
        UdpSocket responder = new UdpSocket(4, 1024, 4, 1024);
        requester.bind(5000);
        responder.bind(7000);
        stacks.socketsA.add(requester);
        stacks.socketsB.add(responder);
        byte[] request = "yo dawg".getBytes(StandardCharsets.US_ASCII);
        byte[] reply = "yo dawg, I heard you like datagrams".getBytes(StandardCharsets.US_ASCII);

        assertThat(requester.send(new IpEndpoint(Fixtures.IP_B, 7000), request, 0, request.length)).isEqualTo(SendResult.OK);
        stacks.runUntilOrFail(responder::canRecv, 5_000_000, "request received");
        UdpDatagram got = new UdpDatagram(100);
        assertThat(responder.recv(got)).isEqualTo(1);
        assertThat(new String(got.buffer(), 0, got.length(), StandardCharsets.US_ASCII)).isEqualTo("yo dawg");
        assertThat(got.source()).isEqualTo(new IpEndpoint(Fixtures.IP_A, 5000));
        assertThat(responder.send(got.source(), reply, 0, reply.length)).isEqualTo(SendResult.OK);
        stacks.runUntilOrFail(requester::canRecv, 5_000_000, "reply received");

        UdpDatagram answer = new UdpDatagram(100);
        assertThat(requester.recv(answer)).isEqualTo(1);
        assertThat(new String(answer.buffer(), 0, answer.length(), StandardCharsets.US_ASCII))
                .isEqualTo("yo dawg, I heard you like datagrams");
        assertThat(answer.source()).isEqualTo(new IpEndpoint(Fixtures.IP_B, 7000));
        assertThat(answer.truncated()).isFalse();
        // the request waited for ARP; the reply found A's MAC learned from that ARP request
        assertThat(stacks.a.statistics().arpRequestsSent()).isEqualTo(1);
        assertThat(stacks.b.statistics().arpRequestsSent()).isZero();
        assertThat(stacks.a.statistics().portUnreachablesSent() + stacks.b.statistics().portUnreachablesSent()).isZero();
    }

    @Test
    void echoRequestsAreAnsweredByThePeerWithTheRoundTripOfTwoHops() {
        IcmpSocket ping = new IcmpSocket(4, 4, 1024);
        ping.bind(0x1234);
        stacks.socketsA.add(ping);
        EchoReply reply = new EchoReply();

        for (int seq = 1; seq <= 3; seq++) {
            assertThat(ping.sendEcho(Fixtures.IP_B.bits(), seq, 56)).isEqualTo(SendResult.OK);
            stacks.runUntilOrFail(ping::canRecv, 5_000_000, "echo reply " + seq);
            assertThat(ping.recv(reply)).isEqualTo(1);

            assertThat(reply.isUnreachable()).isFalse();
            assertThat(reply.source()).isEqualTo(Fixtures.IP_B.bits());
            assertThat(reply.seq()).isEqualTo(seq);
            assertThat(reply.size()).isEqualTo(56);
            assertThat(reply.ttl()).isEqualTo(Interface.DEFAULT_TTL);
            // sent in one round, answered in the next, received in the one after: two hops of the
            // virtual clock (the first request's wait for ARP is not part of its round trip)
            assertThat(reply.rttMicros()).isEqualTo(2 * HOP_MICROS);
        }
        assertThat(stacks.b.statistics().icmpEchoAnswered()).isEqualTo(3);
        assertThat(stacks.a.statistics().arpRequestsSent()).isEqualTo(1);
    }
}
