package smol.socket;

import smol.socket.driver.SendOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import smol.wire.IpEndpoint;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;
import smol.wire.UdpPacket;
import smol.wire.UdpRepr;

class UdpSocketTest {
    private static final int A = 0x0a630001; // 10.99.0.1
    private static final int B = 0x0a630002; // 10.99.0.2
    private static final long NOW = 1_000_000L;

    // Captured on a veth pair between two network namespaces (offloads off) with tcpdump, as in
    // smol.wire's UdpTest: `printf 'hello world\n' | socat - UDP:10.99.0.2:6969,sourceport=53` on
    // 10.99.0.1. IPv4 header, then UDP 10.99.0.1:53 -> 10.99.0.2:6969 with 12 bytes of payload.
    private static final String HELLO_PACKET = "45000028cfdb400040115621" + "0a6300010a630002"
            + "00351b3900143db7" + "68656c6c6f20776f726c640a";
    // The UDP part of the listener's answer, `reply\n`, 10.99.0.2:6969 -> 10.99.0.1:53.
    private static final String REPLY_DATAGRAM = "1b390035000e73bf" + "7265706c790a";

    private final Ipv4Repr ip = new Ipv4Repr();
    private final UdpRepr udp = new UdpRepr();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Points the test's reprs at a datagram from {@code src}:{@code srcPort} to {@code dst}:{@code dstPort}. */
    private void datagram(int src, int srcPort, int dst, int dstPort, byte[] payload) {
        ip.src(src).dst(dst).protocol(IpProtocol.UDP).ttl(64).payloadLength(8 + payload.length);
        udp.srcPort(srcPort).dstPort(dstPort).payload(payload, 0, payload.length);
    }

    private static UdpSocket boundSocket(int port) {
        UdpSocket socket = new UdpSocket(4, 64, 4, 64);
        socket.bind(port);
        return socket;
    }

    // --- binding

    @Test
    void bindToPortZeroOrBeyond65535IsRefusedNamingThePort() {
        UdpSocket socket = new UdpSocket(1, 8, 1, 8);
        assertThatThrownBy(() -> socket.bind(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..65535").hasMessageContaining(": 0");
        assertThatThrownBy(() -> socket.bind(65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> socket.bind(IpEndpoint.parse("10.99.0.2:0")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.bind((IpEndpoint) null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(socket.isBound()).isFalse();
        assertThat(socket.endpoint()).isNull();
    }

    @Test
    void bindingTwiceIsRefusedNamingTheFirstBinding() {
        UdpSocket socket = new UdpSocket(1, 8, 1, 8);
        socket.bind(IpEndpoint.parse("10.99.0.2:6969"));
        assertThatThrownBy(() -> socket.bind(7000)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("10.99.0.2:6969");
        assertThat(socket.endpoint()).isEqualTo(IpEndpoint.parse("10.99.0.2:6969"));
    }

    @Test
    void bindToAPortListensOnEveryAddress() {
        UdpSocket socket = boundSocket(6969);
        assertThat(socket.isBound()).isTrue();
        assertThat(socket.endpoint()).isEqualTo(IpEndpoint.parse("0.0.0.0:6969"));
        assertThat(socket.localAddress()).isZero();
        assertThat(socket.localPort()).isEqualTo(6969);
    }

    @Test
    void closeUnbindsAndForgetsQueuedDatagramsButKeepsCounters() {
        UdpSocket socket = boundSocket(6969);
        datagram(A, 53, B, 6969, ascii("x"));
        Poller.processUdp(socket, NOW, ip, udp);
        socket.send(A, 53, ascii("y"), 0, 1);
        socket.close();
        assertThat(socket.isBound()).isFalse();
        assertThat(socket.canRecv()).isFalse();
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(Long.MAX_VALUE);
        assertThat(socket.counters().packetsIn()).isEqualTo(1);
        socket.bind(7000);
        assertThat(socket.localPort()).isEqualTo(7000);
    }

    // --- sending

    @Test
    void sendBeforeBindIsNotBound() {
        UdpSocket socket = new UdpSocket(1, 8, 1, 8);
        assertThat(socket.send(A, 53, ascii("hi"), 0, 2)).isEqualTo(SendResult.NOT_BOUND);
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sendToTheUnspecifiedAddressOrPortZeroIsABadDestination() {
        UdpSocket socket = boundSocket(6969);
        assertThat(socket.send(0, 53, ascii("hi"), 0, 2)).isEqualTo(SendResult.BAD_DESTINATION);
        assertThat(socket.send(A, 0, ascii("hi"), 0, 2)).isEqualTo(SendResult.BAD_DESTINATION);
        assertThat(socket.send(IpEndpoint.parse("0.0.0.0:53"), ascii("hi"), 0, 2)).isEqualTo(SendResult.BAD_DESTINATION);
        assertThat(socket.canSend()).isTrue();
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void sendToAPortOutOfRangeIsMisuse() {
        UdpSocket socket = boundSocket(6969);
        assertThatThrownBy(() -> socket.send(A, 65536, ascii("hi"), 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> socket.send(A, 53, ascii("hi"), 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> socket.send(null, ascii("hi"), 0, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadLargerThanTheTransmitAreaIsTooLarge() {
        UdpSocket socket = boundSocket(6969); // 64 bytes of transmit payload area
        assertThat(socket.send(A, 53, new byte[65], 0, 65)).isEqualTo(SendResult.PAYLOAD_TOO_LARGE);
        assertThat(socket.send(A, 53, new byte[64], 0, 64)).isEqualTo(SendResult.OK);
    }

    @Test
    void payloadLargerThanAnIpv4DatagramCarriesIsTooLarge() {
        UdpSocket socket = new UdpSocket(1, 8, 1, 70_000);
        socket.bind(6969);
        byte[] big = new byte[UdpSocket.MAX_PAYLOAD + 1];
        assertThat(socket.send(A, 53, big, 0, big.length)).isEqualTo(SendResult.PAYLOAD_TOO_LARGE);
        assertThat(socket.send(A, 53, big, 0, UdpSocket.MAX_PAYLOAD)).isEqualTo(SendResult.OK);
    }

    @Test
    void sendIsBufferFullWhenTheSlotsAreTaken() {
        UdpSocket socket = new UdpSocket(1, 8, 2, 64);
        socket.bind(6969);
        assertThat(socket.send(A, 53, ascii("1"), 0, 1)).isEqualTo(SendResult.OK);
        assertThat(socket.send(A, 53, ascii("2"), 0, 1)).isEqualTo(SendResult.OK);
        assertThat(socket.canSend()).isFalse();
        assertThat(socket.send(A, 53, ascii("3"), 0, 1)).isEqualTo(SendResult.BUFFER_FULL);
    }

    @Test
    void sendIsBufferFullWhenThePayloadAreaHasNoRoom() {
        UdpSocket socket = new UdpSocket(1, 8, 8, 10);
        socket.bind(6969);
        assertThat(socket.send(A, 53, new byte[6], 0, 6)).isEqualTo(SendResult.OK);
        assertThat(socket.canSend()).as("slots remain").isTrue();
        assertThat(socket.send(A, 53, new byte[5], 0, 5)).isEqualTo(SendResult.BUFFER_FULL);
        assertThat(socket.send(A, 53, new byte[4], 0, 4)).isEqualTo(SendResult.OK);
    }

    @Test
    void dispatchSendsTheQueuedDatagramWithItsReprs() {
        UdpSocket socket = boundSocket(6969);
        assertThat(socket.send(IpEndpoint.parse("10.99.0.1:53"), ascii("reply\n"), 0, 6)).isEqualTo(SendResult.OK);
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(NOW);

        SentPackets out = new SentPackets();
        Poller.dispatch(socket, NOW, out);

        assertThat(out.udp).containsExactly(new SentPackets.Udp("0.0.0.0", "10.99.0.1", IpProtocol.UDP, 14, 64,
                6969, 53, "7265706c790a"));
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(Long.MAX_VALUE);
        assertThat(socket.counters().packetsOut()).isEqualTo(1);
        assertThat(socket.counters().bytesOut()).isEqualTo(6);
    }

    @Test
    void dispatchedDatagramEmitsTheBytesTheKernelSent() {
        UdpSocket socket = new UdpSocket(1, 8, 1, 64);
        socket.bind(IpEndpoint.parse("10.99.0.2:6969"));
        socket.send(A, 53, ascii("reply\n"), 0, 6);
        byte[] emitted = new byte[14];
        Poller.dispatch(socket, NOW, new SentPackets() {
            @Override
            public SendOutcome send(Ipv4Repr ipRepr, UdpRepr udpRepr) {
                assertThat(ipRepr.src()).isEqualTo(B);
                udpRepr.emit(new UdpPacket().wrap(emitted, 0, udpRepr.bufferLength()), ipRepr.src(), ipRepr.dst(), true);
                return SendOutcome.SENT;
            }
        });
        assertThat(HexFormat.of().formatHex(emitted)).isEqualTo(REPLY_DATAGRAM);
    }

    @Test
    void sendCopiesThePayloadSoTheCallerMayReuseItsArray() {
        UdpSocket socket = boundSocket(6969);
        byte[] buf = ascii("abc");
        socket.send(A, 53, buf, 0, 3);
        buf[0] = 'z';
        SentPackets out = new SentPackets();
        Poller.dispatch(socket, NOW, out);
        assertThat(out.udp.get(0).payload()).isEqualTo("616263");
    }

    @Test
    void dispatchStopsWhenTheInterfaceCannotSendAndRetriesOnTheNextPoll() {
        UdpSocket socket = boundSocket(6969);
        socket.send(A, 53, ascii("one"), 0, 3);
        socket.send(A, 54, ascii("two"), 0, 3);
        socket.send(A, 55, ascii(""), 0, 0);

        SentPackets out = new SentPackets().acceptOnly(1);
        Poller.dispatch(socket, NOW, out);
        assertThat(out.udp).extracting(SentPackets.Udp::dstPort).containsExactly(53);
        assertThat(out.refusals).as("asked once, then stopped").isEqualTo(1);
        assertThat(Poller.pollAt(socket, NOW)).isEqualTo(NOW);

        out.acceptOnly(0);
        Poller.dispatch(socket, NOW + 1, out);
        assertThat(out.udp).hasSize(1);
        assertThat(out.refusals).isEqualTo(2);

        out.acceptOnly(Integer.MAX_VALUE);
        Poller.dispatch(socket, NOW + 2, out);
        assertThat(out.udp).extracting(SentPackets.Udp::dstPort).containsExactly(53, 54, 55);
        assertThat(out.udp.get(1).payload()).isEqualTo("74776f");
        assertThat(out.udp.get(2).payload()).isEmpty();
        assertThat(out.udp.get(2).ipPayloadLength()).isEqualTo(8);
        assertThat(socket.counters().packetsOut()).isEqualTo(3);
        assertThat(socket.counters().bytesOut()).isEqualTo(6);
        assertThat(Poller.pollAt(socket, NOW + 2)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void ttlOfDatagramsSentCanBeChanged() {
        UdpSocket socket = boundSocket(6969);
        socket.ttl(1);
        socket.send(A, 53, ascii("x"), 0, 1);
        SentPackets out = new SentPackets();
        Poller.dispatch(socket, NOW, out);
        assertThat(out.udp.get(0).ttl()).isEqualTo(1);
        assertThatThrownBy(() -> socket.ttl(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
        assertThatThrownBy(() -> socket.ttl(256)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- receiving

    @Test
    void capturedDatagramToTheBoundPortIsReceivedWithItsSource() {
        byte[] packet = HexFormat.of().parseHex(HELLO_PACKET);
        Ipv4Packet ipPacket = new Ipv4Packet().wrap(packet, 0, packet.length);
        assertThat(ip.parse(ipPacket, true)).isNull();
        UdpPacket udpPacket = new UdpPacket().wrap(packet, ipPacket.payloadOffset(), ipPacket.payloadLength());
        assertThat(udp.parse(udpPacket, ip.src(), ip.dst(), true)).isNull();

        UdpSocket socket = boundSocket(6969);
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).isTrue();
        packet[packet.length - 1] = 0; // the socket copied the payload out of the frame

        UdpDatagram datagram = new UdpDatagram(32);
        assertThat(socket.recv(datagram)).isEqualTo(1);
        assertThat(datagram.length()).isEqualTo(12);
        assertThat(new String(datagram.buffer(), 0, 12, StandardCharsets.US_ASCII)).isEqualTo("hello world\n");
        assertThat(datagram.sourceAddress()).isEqualTo(A);
        assertThat(datagram.sourcePort()).isEqualTo(53);
        assertThat(datagram.source()).isEqualTo(IpEndpoint.parse("10.99.0.1:53"));
        assertThat(datagram.localAddress()).isEqualTo(B);
        assertThat(datagram.truncated()).isFalse();
        assertThat(socket.counters().packetsIn()).isEqualTo(1);
        assertThat(socket.counters().bytesIn()).isEqualTo(12);
    }

    @Test
    void recvTellsNothingYetFromNoMoreWillCome() {
        UdpSocket socket = boundSocket(6969);
        UdpDatagram datagram = new UdpDatagram(4);
        assertThat(socket.canRecv()).isFalse();
        assertThat(socket.recv(datagram)).as("bound, nothing yet").isZero();

        socket.close();

        assertThat(socket.recv(datagram)).as("closed: no more will come").isEqualTo(-1);
        assertThat(new UdpSocket(1, 8, 1, 8).recv(datagram)).as("never bound").isEqualTo(-1);
    }

    @Test
    void datagramsAreReceivedInArrivalOrder() {
        UdpSocket socket = boundSocket(6969);
        datagram(A, 1000, B, 6969, ascii("first"));
        Poller.processUdp(socket, NOW, ip, udp);
        datagram(B, 2000, B, 6969, ascii("second"));
        Poller.processUdp(socket, NOW, ip, udp);

        UdpDatagram datagram = new UdpDatagram(16);
        socket.recv(datagram);
        assertThat(datagram.source()).isEqualTo(IpEndpoint.parse("10.99.0.1:1000"));
        assertThat(datagram.length()).isEqualTo(5);
        socket.recv(datagram);
        assertThat(datagram.source()).isEqualTo(IpEndpoint.parse("10.99.0.2:2000"));
        assertThat(new String(datagram.buffer(), 0, datagram.length(), StandardCharsets.US_ASCII)).isEqualTo("second");
    }

    @Test
    void datagramLongerThanTheCallersArrayIsTruncatedAndSaysSo() {
        UdpSocket socket = boundSocket(6969);
        datagram(A, 1000, B, 6969, ascii("0123456789"));
        Poller.processUdp(socket, NOW, ip, udp);
        datagram(A, 1000, B, 6969, ascii("next"));
        Poller.processUdp(socket, NOW, ip, udp);

        UdpDatagram datagram = new UdpDatagram(4);
        assertThat(socket.recv(datagram)).isEqualTo(1);
        assertThat(datagram.buffer()).isEqualTo(ascii("0123"));
        assertThat(datagram.truncated()).isTrue();
        assertThat(datagram.length()).isEqualTo(4);
        assertThat(datagram.datagramLength()).isEqualTo(10);

        // The rest was discarded: the next recv returns the next datagram.
        socket.recv(datagram);
        assertThat(datagram.truncated()).isFalse();
        assertThat(datagram.buffer()).isEqualTo(ascii("next"));
    }

    @Test
    void zeroLengthDatagramIsReceivedAsZeroBytes() {
        UdpSocket socket = boundSocket(6969);
        ip.src(A).dst(B).ttl(64);
        UdpRepr empty = new UdpRepr().srcPort(1000).dstPort(6969); // never had a payload array
        assertThat(Poller.processUdp(socket, NOW, ip, empty)).isTrue();
        assertThat(socket.canRecv()).isTrue();
        UdpDatagram datagram = new UdpDatagram(4);
        assertThat(socket.recv(datagram)).as("a datagram, though empty").isEqualTo(1);
        assertThat(datagram.length()).isZero();
        assertThat(datagram.sourcePort()).isEqualTo(1000);
    }

    @Test
    void datagramToAnotherPortIsNotTaken() {
        UdpSocket socket = boundSocket(6969);
        datagram(A, 53, B, 6970, ascii("x"));
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).isFalse();
        assertThat(socket.canRecv()).isFalse();
        assertThat(socket.counters().packetsIn()).isZero();
    }

    @Test
    void socketBoundToAnAddressTakesOnlyDatagramsToThatAddress() {
        UdpSocket socket = new UdpSocket(4, 64, 1, 8);
        socket.bind(B, 6969);
        datagram(A, 53, 0x0a630003, 6969, ascii("x"));
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).as("to 10.99.0.3").isFalse();
        datagram(A, 53, 0xffffffff, 6969, ascii("x"));
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).as("to the broadcast address").isFalse();
        datagram(A, 53, B, 6969, ascii("x"));
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).as("to 10.99.0.2").isTrue();
        assertThat(socket.counters().packetsIn()).isEqualTo(1);
    }

    @Test
    void socketBoundToEveryAddressTakesDatagramsToAnyOfThem() {
        UdpSocket socket = boundSocket(6969);
        datagram(A, 53, B, 6969, ascii("x"));
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).isTrue();
        datagram(A, 53, 0x0a630003, 6969, ascii("x"));
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).isTrue();
        datagram(A, 53, 0xffffffff, 6969, ascii("x"));
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).isTrue();
        UdpDatagram datagram = new UdpDatagram(1);
        socket.recv(datagram);
        socket.recv(datagram);
        socket.recv(datagram);
        assertThat(datagram.localAddress()).isEqualTo(0xffffffff);
    }

    @Test
    void unboundSocketTakesNothing() {
        UdpSocket socket = new UdpSocket(1, 8, 1, 8);
        datagram(A, 53, B, 6969, ascii("x"));
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).isFalse();
        ip.dst(B);
        assertThat(Poller.processUdp(socket, NOW, ip, udp.dstPort(0))).isFalse();
    }

    @Test
    void datagramForAFullSocketIsDroppedAndCountedButStillTaken() {
        UdpSocket socket = new UdpSocket(2, 64, 1, 8);
        socket.bind(6969);
        datagram(A, 53, B, 6969, ascii("one"));
        Poller.processUdp(socket, NOW, ip, udp);
        Poller.processUdp(socket, NOW, ip, udp);
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).as("for us: no port unreachable").isTrue();
        assertThat(socket.counters().drops(SocketDrop.RX_BUFFER_FULL)).isEqualTo(1);
        assertThat(socket.counters().packetsIn()).isEqualTo(2);
        assertThat(socket.counters().bytesIn()).isEqualTo(6);
    }

    @Test
    void datagramForAFullPayloadAreaIsDroppedAndCountedButStillTaken() {
        UdpSocket socket = new UdpSocket(8, 10, 1, 8);
        socket.bind(6969);
        datagram(A, 53, B, 6969, new byte[8]);
        Poller.processUdp(socket, NOW, ip, udp);
        datagram(A, 53, B, 6969, new byte[3]);
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).isTrue();
        assertThat(socket.counters().drops(SocketDrop.RX_BUFFER_FULL)).isEqualTo(1);
    }

    @Test
    void datagramLargerThanTheReceiveAreaIsDroppedAsTooLarge() {
        UdpSocket socket = new UdpSocket(8, 10, 1, 8);
        socket.bind(6969);
        datagram(A, 53, B, 6969, new byte[11]);
        assertThat(Poller.processUdp(socket, NOW, ip, udp)).isTrue();
        assertThat(socket.counters().drops(SocketDrop.PAYLOAD_TOO_LARGE)).isEqualTo(1);
        assertThat(socket.counters().drops(SocketDrop.RX_BUFFER_FULL)).isZero();
        assertThat(socket.canRecv()).isFalse();
    }

    @Test
    void echoServerAnswersTheSenderOfTheDatagram() {
        // The allocation-free path an echo server takes: recv, then send back to the source.
        UdpSocket socket = boundSocket(7);
        datagram(A, 40000, B, 7, ascii("ping"));
        Poller.processUdp(socket, NOW, ip, udp);
        UdpDatagram datagram = new UdpDatagram(64);
        socket.recv(datagram);
        assertThat(socket.send(datagram.sourceAddress(), datagram.sourcePort(), datagram.buffer(), 0, datagram.length()))
                .isEqualTo(SendResult.OK);
        SentPackets out = new SentPackets();
        Poller.dispatch(socket, NOW, out);
        assertThat(out.udp).containsExactly(new SentPackets.Udp("0.0.0.0", "10.99.0.1", IpProtocol.UDP, 12, 64,
                7, 40000, "70696e67"));
    }

    @Test
    void toStringShowsTheBindingAndQueues() {
        UdpSocket socket = new UdpSocket(2, 8, 3, 8);
        assertThat(socket).hasToString("UDP unbound rx=0/2 tx=0/3");
        socket.bind(Ipv4Address.parse("10.99.0.2").bits(), 6969);
        socket.send(A, 53, ascii("x"), 0, 1);
        assertThat(socket).hasToString("UDP 10.99.0.2:6969 rx=0/2 tx=1/3");
    }

    @Test
    void theSetsTotalsKeepWhatASocketCountedAfterItLeavesTheSet() {
        SocketSet set = new SocketSet(2);
        UdpSocket first = boundSocket(6969);
        SocketHandle handle = set.add(first);
        datagram(A, 53, B, 6969, ascii("hello"));
        Poller.processUdp(first, NOW, ip, udp);
        UdpSocket second = new UdpSocket(4, 64, 4, 64);
        second.bind(7000);
        set.add(second);
        datagram(A, 53, B, 7000, ascii("hi"));
        Poller.processUdp(second, NOW, ip, udp);

        assertThat(set.totals().packetsIn()).isEqualTo(2);
        assertThat(set.totals().bytesIn()).isEqualTo(7);

        set.remove(handle);

        assertThat(set.totals().packetsIn()).as("the removed socket's count stays").isEqualTo(2);
        assertThat(set.totals().bytesIn()).isEqualTo(7);
    }
}
