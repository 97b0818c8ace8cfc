package smol.socket;

import smol.socket.driver.SendOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import smol.wire.Icmpv4Packet;
import smol.wire.Icmpv4Repr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;

class IcmpSocketTest {
    private static final int A = 0x0a630001; // 10.99.0.1
    private static final int B = 0x0a630002; // 10.99.0.2
    private static final int FAR = 0x0a630102; // 10.99.1.2, behind B
    private static final long T0 = 5_000_000L;

    // Captured between two network namespaces joined by a veth pair (offloads off), 10.99.0.1 and
    // 10.99.0.2, with `tcpdump -i IF -w f.pcap` on the 10.99.0.1 side and `tcpdump -xx -r f.pcap`
    // (smol.wire's Ipv4PacketTest); the Ethernet header cut off.
    // `ping -c1 -s 56 -p 61 10.99.0.2`: identifier 0x12d5, sequence 1, data a timestamp then 40 × 'a'.
    private static final String KERNEL_ECHO_DATA = "5e4b076b000000009a8a0d0000000000"
            + "61616161616161616161616161616161616161616161616161616161616161616161616161616161";
    private static final String KERNEL_ECHO_REQUEST_ICMP = "08003c4d12d50001" + KERNEL_ECHO_DATA;
    /** The kernel's echo reply to that request. */
    private static final String KERNEL_ECHO_REPLY = "45000054e973000040017c6d0a6300020a630001"
            + "0000444d12d50001" + KERNEL_ECHO_DATA;
    /** `echo hello | socat - UDP4-SENDTO:10.99.0.2:9,sourceport=40000` answered by port unreachable. */
    private static final String KERNEL_PORT_UNREACHABLE = "45c0003eed690000400177cd0a6300020a630001"
            + "030311e500000000" + "45000022888e400040119d740a6300010a630002" + "9c400009000e0ae468656c6c6f0a";
    /** `ping -c1 -t1 -s 16 10.99.1.2` answered by the router 10.99.0.2 with time exceeded. */
    private static final String KERNEL_TIME_EXCEEDED = "45c0004829b1000040013b7c0a6300020a630001"
            + "0b00f4ff00000000" + "4500002c1581400001014e880a6300010a630102"
            + "0800fb451c7e00015b4c076b000000007d83000000000000";

    private final Ipv4Repr ip = new Ipv4Repr();
    private final Icmpv4Repr icmp = new Icmpv4Repr();
    private final EchoReply reply = new EchoReply();

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** Parses an IPv4 packet carrying ICMP into the test's reprs, checksums verified. */
    private void parse(byte[] packet) {
        Ipv4Packet ipPacket = new Ipv4Packet().wrap(packet, 0, packet.length);
        assertThat(ip.parse(ipPacket, true)).isNull();
        Icmpv4Packet icmpPacket = new Icmpv4Packet().wrap(packet, ipPacket.payloadOffset(), ipPacket.payloadLength());
        assertThat(icmp.parse(icmpPacket, true)).isNull();
    }

    private static IcmpSocket boundSocket(int identifier) {
        IcmpSocket socket = new IcmpSocket(4, 4, 256);
        socket.bind(identifier);
        return socket;
    }

    /** An echo reply from {@code src} with TTL {@code ttl} carrying {@code dataLength} zero bytes. */
    private void echoReply(int src, int ttl, int id, int seq, int dataLength) {
        ip.src(src).dst(A).protocol(IpProtocol.ICMP).ttl(ttl).payloadLength(8 + dataLength);
        icmp.echoReply(id, seq, new byte[dataLength], 0, dataLength);
    }

    /**
     * A destination unreachable with {@code code} from {@code router} quoting the echo request
     * {@code id}/{@code seq} with {@code dataLength} bytes of data that 10.99.0.1 sent to {@code dst},
     * built with smol.wire and parsed back as the interface would.
     */
    private void unreachable(int router, int code, int dst, int id, int seq, int dataLength) {
        Ipv4Repr requestIp = new Ipv4Repr().src(A).dst(dst).protocol(IpProtocol.ICMP).ttl(64)
                .payloadLength(8 + dataLength);
        Icmpv4Repr request = new Icmpv4Repr().echoRequest(id, seq, new byte[dataLength], 0, dataLength);
        byte[] original = new byte[requestIp.bufferLength()];
        requestIp.emit(new Ipv4Packet().wrap(original, 0, original.length), true);
        request.emit(new Icmpv4Packet().wrap(original, 20, request.bufferLength()), true);

        Icmpv4Repr error = new Icmpv4Repr().destinationUnreachable(code, original, 0, original.length);
        Ipv4Repr errorIp = new Ipv4Repr().src(router).dst(A).protocol(IpProtocol.ICMP).ttl(63)
                .payloadLength(error.bufferLength());
        byte[] packet = new byte[errorIp.bufferLength()];
        errorIp.emit(new Ipv4Packet().wrap(packet, 0, packet.length), true);
        error.emit(new Icmpv4Packet().wrap(packet, 20, error.bufferLength()), true);
        parse(packet);
    }

    // --- binding

    @Test
    void bindToAnIdentifierOutOfRangeIsRefusedNamingIt() {
        IcmpSocket socket = new IcmpSocket(1, 1, 8);
        assertThatThrownBy(() -> socket.bind(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> socket.bind(65536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThat(socket.isBound()).isFalse();
        assertThat(socket.identifier()).isEqualTo(-1);
    }

    @Test
    void bindingTwiceIsRefusedNamingTheIdentifier() {
        IcmpSocket socket = boundSocket(0x1234);
        assertThatThrownBy(() -> socket.bind(7)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4660");
        assertThat(socket.identifier()).isEqualTo(0x1234);
    }

    @Test
    void sizesBelowOneAreRefused() {
        assertThatThrownBy(() -> new IcmpSocket(0, 1, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IcmpSocket(1, 0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IcmpSocket(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- sending

    @Test
    void sendEchoResultsSayWhyNothingWasQueued() {
        IcmpSocket unbound = new IcmpSocket(1, 2, 16);
        assertThat(unbound.sendEcho(B, 1, 8)).isEqualTo(SendResult.NOT_BOUND);

        IcmpSocket socket = new IcmpSocket(1, 2, 16);
        socket.bind(1);
        assertThat(socket.sendEcho(0, 1, 8)).isEqualTo(SendResult.BAD_DESTINATION);
        assertThat(socket.sendEcho(B, 1, 17)).isEqualTo(SendResult.PAYLOAD_TOO_LARGE);
        assertThat(socket.sendEcho(B, 1, new byte[17], 0, 17)).isEqualTo(SendResult.PAYLOAD_TOO_LARGE);
        assertThat(socket.sendEcho(B, 1, 10)).isEqualTo(SendResult.OK);
        assertThat(socket.sendEcho(B, 2, 7)).as("10 + 7 bytes in 16").isEqualTo(SendResult.BUFFER_FULL);
        assertThat(socket.sendEcho(B, 2, 6)).isEqualTo(SendResult.OK);
        assertThat(socket.canSend()).isFalse();
        assertThat(socket.sendEcho(B, 3, 0)).as("no slot").isEqualTo(SendResult.BUFFER_FULL);
    }

    @Test
    void echoDataLargerThanAnIpv4PacketCarriesIsTooLarge() {
        IcmpSocket socket = new IcmpSocket(1, 1, 70_000);
        socket.bind(1);
        assertThat(socket.sendEcho(B, 1, IcmpSocket.MAX_DATA + 1)).isEqualTo(SendResult.PAYLOAD_TOO_LARGE);
        assertThat(socket.sendEcho(B, 1, IcmpSocket.MAX_DATA)).isEqualTo(SendResult.OK);
    }

    @Test
    void sendEchoMisuseIsReported() {
        IcmpSocket socket = boundSocket(1);
        assertThatThrownBy(() -> socket.sendEcho(B, 65536, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
        assertThatThrownBy(() -> socket.sendEcho(B, -1, new byte[1], 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.sendEcho(B, 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> socket.sendEcho(B, 1, new byte[1], 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(Poller.pollAt(socket, T0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void dispatchSendsAnEchoRequestWithAByteCountingPattern() {
        IcmpSocket socket = boundSocket(0x1234);
        assertThat(socket.sendEcho(B, 7, 4)).isEqualTo(SendResult.OK);
        assertThat(Poller.pollAt(socket, T0)).isEqualTo(T0);
        SentPackets out = new SentPackets();
        Poller.dispatch(socket, T0, out);
        assertThat(out.icmp).containsExactly(new SentPackets.Icmp("0.0.0.0", "10.99.0.2", IpProtocol.ICMP, 12, 64,
                Icmpv4Repr.Kind.ECHO_REQUEST, 0x1234, 7, "00010203"));
        assertThat(Poller.pollAt(socket, T0)).isEqualTo(Long.MAX_VALUE);
        assertThat(socket.counters().packetsOut()).isEqualTo(1);
        assertThat(socket.counters().bytesOut()).isEqualTo(4);
    }

    @Test
    void echoRequestWithTheKernelsDataEmitsTheKernelsBytes() {
        IcmpSocket socket = boundSocket(0x12d5);
        byte[] data = hex(KERNEL_ECHO_DATA);
        socket.sendEcho(B, 1, data, 0, data.length);
        data[0] = 0; // the socket keeps its own copy
        byte[] emitted = new byte[64];
        Poller.dispatch(socket, T0, new SentPackets() {
            @Override
            public SendOutcome send(Ipv4Repr ipRepr, Icmpv4Repr icmpRepr) {
                icmpRepr.emit(new Icmpv4Packet().wrap(emitted, 0, icmpRepr.bufferLength()), true);
                return SendOutcome.SENT;
            }
        });
        assertThat(HexFormat.of().formatHex(emitted)).isEqualTo(KERNEL_ECHO_REQUEST_ICMP);
    }

    @Test
    void dispatchStopsWhenTheInterfaceCannotSendAndTimesFromTheActualSend() {
        IcmpSocket socket = boundSocket(9);
        socket.sendEcho(B, 1, 0);
        socket.sendEcho(B, 2, 0);
        SentPackets out = new SentPackets().acceptOnly(1);
        Poller.dispatch(socket, T0, out);
        assertThat(out.icmp).extracting(SentPackets.Icmp::seq).containsExactly(1);
        assertThat(Poller.pollAt(socket, T0)).isEqualTo(T0);

        out.acceptOnly(1);
        Poller.dispatch(socket, T0 + 300, out); // the second request leaves only now (say, after ARP)
        assertThat(out.icmp).extracting(SentPackets.Icmp::seq).containsExactly(1, 2);

        echoReply(B, 64, 9, 2, 0);
        Poller.processIcmp(socket, T0 + 1000, ip, icmp);
        assertThat(socket.recv(reply)).isEqualTo(1);
        assertThat(reply.rttMicros()).isEqualTo(700);
    }

    @Test
    void ttlOfRequestsCanBeChanged() {
        IcmpSocket socket = boundSocket(9);
        socket.ttl(1);
        socket.sendEcho(FAR, 1, 0);
        SentPackets out = new SentPackets();
        Poller.dispatch(socket, T0, out);
        assertThat(out.icmp.get(0).ttl()).isEqualTo(1);
        assertThatThrownBy(() -> socket.ttl(256)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
    }

    // --- receiving

    @Test
    void capturedReplyReportsSourceSequenceSizeTtlAndRoundTripTime() {
        IcmpSocket socket = boundSocket(0x12d5);
        byte[] data = hex(KERNEL_ECHO_DATA);
        socket.sendEcho(B, 1, data, 0, data.length);
        Poller.dispatch(socket, T0, new SentPackets());

        parse(hex(KERNEL_ECHO_REPLY));
        assertThat(Poller.processIcmp(socket, T0 + 850, ip, icmp)).isTrue();

        assertThat(socket.canRecv()).isTrue();
        assertThat(socket.recv(reply)).isEqualTo(1);
        assertThat(reply.isUnreachable()).isFalse();
        assertThat(reply.unreachableCode()).isEqualTo(-1);
        assertThat(reply.source()).isEqualTo(B);
        assertThat(reply.seq()).isEqualTo(1);
        assertThat(reply.size()).isEqualTo(56);
        assertThat(reply.ttl()).isEqualTo(64);
        assertThat(reply.rttMicros()).isEqualTo(850);
        assertThat(reply).hasToString("reply from 10.99.0.2 seq=1 size=56 ttl=64 rtt=850us");
        assertThat(socket.counters().packetsIn()).isEqualTo(1);
        assertThat(socket.counters().bytesIn()).isEqualTo(56);
        assertThat(socket.canRecv()).isFalse();
    }

    @Test
    void repliesComeOutInArrivalOrderEachWithItsOwnTiming() {
        IcmpSocket socket = boundSocket(3);
        SentPackets out = new SentPackets();
        socket.sendEcho(B, 1, 8);
        Poller.dispatch(socket, T0, out);
        socket.sendEcho(B, 2, 16);
        Poller.dispatch(socket, T0 + 1_000_000, out);

        echoReply(B, 61, 3, 2, 16);
        Poller.processIcmp(socket, T0 + 1_000_400, ip, icmp);
        echoReply(B, 62, 3, 1, 8);
        Poller.processIcmp(socket, T0 + 1_000_500, ip, icmp);

        socket.recv(reply);
        assertThat(reply).hasToString("reply from 10.99.0.2 seq=2 size=16 ttl=61 rtt=400us");
        socket.recv(reply);
        assertThat(reply).hasToString("reply from 10.99.0.2 seq=1 size=8 ttl=62 rtt=1000500us");
        assertThat(socket.recv(reply)).as("bound, nothing yet").isZero();
    }

    @Test
    void recvWithNothingWaitingLeavesTheResultUntouched() {
        IcmpSocket socket = boundSocket(3);
        echoReply(B, 64, 3, 1, 0);
        Poller.processIcmp(socket, T0, ip, icmp);
        socket.recv(reply);
        assertThat(socket.recv(reply)).as("bound, nothing yet").isZero();
        assertThat(reply.seq()).isEqualTo(1);
        assertThat(reply.source()).isEqualTo(B);
        socket.close();
        assertThat(socket.recv(reply)).as("closed: no more will come").isEqualTo(-1);
    }

    @Test
    void replyToARequestNeverSentHasNoRoundTripTime() {
        IcmpSocket socket = boundSocket(3);
        socket.sendEcho(B, 5, 0); // queued, not yet dispatched
        echoReply(B, 64, 3, 5, 0);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isTrue();
        socket.recv(reply);
        assertThat(reply.rttMicros()).isEqualTo(-1);
        assertThat(reply).hasToString("reply from 10.99.0.2 seq=5 size=0 ttl=64 rtt=?");
    }

    @Test
    void replyToARequestTooOldForTheTimingTableHasNoRoundTripTime() {
        IcmpSocket socket = boundSocket(3);
        SentPackets out = new SentPackets();
        socket.sendEcho(B, 1, 0);
        Poller.dispatch(socket, T0, out);
        socket.sendEcho(B, 1 + IcmpSocket.TIMING_SLOTS, 0); // same table entry
        Poller.dispatch(socket, T0 + 10, out);

        echoReply(B, 64, 3, 1, 0);
        Poller.processIcmp(socket, T0 + 20, ip, icmp);
        socket.recv(reply);
        assertThat(reply.rttMicros()).isEqualTo(-1);
        echoReply(B, 64, 3, 1 + IcmpSocket.TIMING_SLOTS, 0);
        Poller.processIcmp(socket, T0 + 20, ip, icmp);
        socket.recv(reply);
        assertThat(reply.rttMicros()).isEqualTo(10);
    }

    @Test
    void duplicateRepliesAreEachReportedWithATime() {
        IcmpSocket socket = boundSocket(3);
        socket.sendEcho(B, 1, 0);
        Poller.dispatch(socket, T0, new SentPackets());
        echoReply(B, 64, 3, 1, 0);
        Poller.processIcmp(socket, T0 + 5, ip, icmp);
        Poller.processIcmp(socket, T0 + 9, ip, icmp);
        socket.recv(reply);
        assertThat(reply.rttMicros()).isEqualTo(5);
        socket.recv(reply);
        assertThat(reply.rttMicros()).isEqualTo(9);
    }

    @Test
    void replyWithAnotherIdentifierIsNotTaken() {
        IcmpSocket socket = boundSocket(3);
        echoReply(B, 64, 4, 1, 8);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isFalse();
        assertThat(socket.canRecv()).isFalse();
        assertThat(socket.counters().packetsIn()).isZero();
    }

    @Test
    void echoRequestsAreNotTakenTheyAreTheInterfacesToAnswer() {
        IcmpSocket socket = boundSocket(3);
        ip.src(B).dst(A).protocol(IpProtocol.ICMP).ttl(64);
        icmp.echoRequest(3, 1, new byte[0], 0, 0);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isFalse();
    }

    @Test
    void unboundSocketTakesNothing() {
        IcmpSocket socket = new IcmpSocket(1, 1, 8);
        echoReply(B, 64, 0, 1, 0);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isFalse();
    }

    @Test
    void replyForAFullSocketIsDroppedAndCountedButStillTaken() {
        IcmpSocket socket = new IcmpSocket(2, 1, 8);
        socket.bind(3);
        echoReply(B, 64, 3, 1, 8);
        Poller.processIcmp(socket, T0, ip, icmp);
        Poller.processIcmp(socket, T0, ip, icmp);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isTrue();
        assertThat(socket.counters().drops(SocketDrop.RX_BUFFER_FULL)).isEqualTo(1);
        assertThat(socket.counters().packetsIn()).isEqualTo(2);
        socket.recv(reply);
        echoReply(B, 64, 3, 2, 8);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isTrue();
        socket.recv(reply);
        socket.recv(reply);
        assertThat(reply.seq()).as("room again after a recv").isEqualTo(2);
    }

    @Test
    void unreachableQuotingOurRequestIsReportedWithItsCode() {
        IcmpSocket socket = boundSocket(0x4242);
        socket.sendEcho(FAR, 17, 32);
        Poller.dispatch(socket, T0, new SentPackets());

        unreachable(B, Icmpv4Packet.HOST_UNREACHABLE, FAR, 0x4242, 17, 32);
        assertThat(Poller.processIcmp(socket, T0 + 3_000_000, ip, icmp)).isTrue();

        assertThat(socket.recv(reply)).isEqualTo(1);
        assertThat(reply.isUnreachable()).isTrue();
        assertThat(reply.unreachableCode()).isEqualTo(Icmpv4Packet.HOST_UNREACHABLE);
        assertThat(reply.source()).as("the router that reported it").isEqualTo(B);
        assertThat(reply.seq()).isEqualTo(17);
        assertThat(reply.size()).isEqualTo(32);
        assertThat(reply.ttl()).isEqualTo(63);
        assertThat(reply.rttMicros()).isEqualTo(3_000_000);
        assertThat(reply).hasToString("unreachable code=1 from 10.99.0.2 seq=17 size=32 ttl=63 rtt=3000000us");
        assertThat(socket.counters().packetsIn()).isEqualTo(1);
        assertThat(socket.counters().bytesIn()).isZero();
    }

    @Test
    void capturedFragmentationNeededQuotingOurRequestIsReportedUnreachable() {
        // `ping -c1 -M do -s 1200 10.99.1.2` through the router 10.99.0.2 whose next link has MTU 1000
        // (smol.wire's Icmpv4PacketTest): its answer quotes the first 548 bytes of the 1228-byte
        // request, identifier 0x1c84, sequence 1, whose data is a timestamp then bytes 0x10, 0x11, …
        byte[] request = new byte[1228];
        byte[] start = hex("450004cc00004000400120690a6300010a630102"
                + "0800aa971c8400015d4c076b00000000fc0e010000000000");
        System.arraycopy(start, 0, request, 0, start.length);
        for (int i = start.length; i < request.length; i++) {
            request[i] = (byte) (i - 28);
        }
        byte[] header = hex("45c0024029c00000400139750a6300020a630001" + "030473e1000003e8");
        byte[] packet = new byte[576];
        System.arraycopy(header, 0, packet, 0, header.length);
        System.arraycopy(request, 0, packet, header.length, packet.length - header.length);
        parse(packet);

        IcmpSocket socket = boundSocket(0x1c84);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isTrue();
        socket.recv(reply);
        assertThat(reply.unreachableCode()).isEqualTo(Icmpv4Packet.FRAGMENTATION_NEEDED);
        assertThat(reply.source()).isEqualTo(B);
        assertThat(reply.seq()).isEqualTo(1);
        assertThat(reply.size()).isEqualTo(1200);
        assertThat(reply.rttMicros()).as("not sent by this socket").isEqualTo(-1);
    }

    @Test
    void unreachableQuotingAnotherIdentifierIsNotTaken() {
        IcmpSocket socket = boundSocket(0x4242);
        unreachable(B, Icmpv4Packet.HOST_UNREACHABLE, FAR, 0x4243, 17, 32);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isFalse();
        assertThat(socket.canRecv()).isFalse();
    }

    @Test
    void capturedPortUnreachableQuotingUdpIsNotTaken() {
        IcmpSocket socket = boundSocket(0x9c40); // the quoted UDP source port, read as if it were an identifier
        parse(hex(KERNEL_PORT_UNREACHABLE));
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isFalse();
    }

    @Test
    void capturedTimeExceededIsNotTaken() {
        IcmpSocket socket = boundSocket(0x1c7e);
        parse(hex(KERNEL_TIME_EXCEEDED));
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isFalse();
    }

    @Test
    void unreachableQuotingTooLittleOfTheRequestIsNotTaken() {
        IcmpSocket socket = boundSocket(0x4242);
        // A hand-made repr (the parser would refuse it): the quoted header and only 4 bytes after it.
        byte[] quoted = new byte[24];
        new Ipv4Repr().src(A).dst(FAR).protocol(IpProtocol.ICMP).ttl(64).payloadLength(8)
                .emit(new Ipv4Packet().wrap(quoted, 0, 24), true);
        quoted[20] = Icmpv4Packet.ECHO_REQUEST;
        ip.src(B).dst(A).ttl(64);
        icmp.destinationUnreachable(Icmpv4Packet.HOST_UNREACHABLE, quoted, 0, 24);
        assertThat(Poller.processIcmp(socket, T0, ip, icmp)).isFalse();
    }

    @Test
    void closeUnbindsAndForgetsEverythingButCounters() {
        IcmpSocket socket = boundSocket(3);
        socket.sendEcho(B, 1, 0);
        Poller.dispatch(socket, T0, new SentPackets());
        socket.sendEcho(B, 2, 0);
        echoReply(B, 64, 3, 1, 0);
        Poller.processIcmp(socket, T0 + 1, ip, icmp);
        socket.close();
        assertThat(socket.isBound()).isFalse();
        assertThat(socket.canRecv()).isFalse();
        assertThat(Poller.pollAt(socket, T0)).isEqualTo(Long.MAX_VALUE);
        assertThat(socket.counters().packetsOut()).isEqualTo(1);

        socket.bind(3);
        Poller.processIcmp(socket, T0 + 2, ip, icmp);
        socket.recv(reply);
        assertThat(reply.rttMicros()).as("send times forgotten").isEqualTo(-1);
    }

    @Test
    void toStringShowsTheIdentifierAndQueues() {
        IcmpSocket socket = new IcmpSocket(2, 3, 8);
        assertThat(socket).hasToString("ICMP unbound rx=0/2 tx=0/3");
        socket.bind(4660);
        socket.sendEcho(B, 1, 0);
        assertThat(socket).hasToString("ICMP id=4660 rx=0/2 tx=1/3");
    }
}
