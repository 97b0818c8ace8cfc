package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.frame;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.socket.driver.InitialSequence;
import smol.wire.EtherType;
import smol.wire.IpEndpoint;
import smol.wire.TcpFlags;

/**
 * Packet in, packet out through one {@link Interface} with a real {@link TcpSocket}, fed the Linux
 * kernel's own TCP frames (smol.wire's {@code tcp.pcap}: a {@code socat} client at 10.99.0.1:40000
 * talking to an echo at 10.99.0.2:7777). Our socket plays the echo server, with the kernel server's
 * ISN, so that every frame of the kernel client fits our connection unchanged; our answers are checked
 * field by field against the kernel server's answers in the same capture (they differ only where we
 * offer fewer options: no window scale, SACK or timestamps, so our window is the plain free space).
 */
class InterfaceTcpFramesTest {
    private static final int RX_BUFFER = 8192;
    private static final long MAC_A = Fixtures.MAC_A.bits();
    private static final long MAC_B = Fixtures.MAC_B.bits();
    private static final int IP_A = Fixtures.IP_A.bits();
    private static final int IP_B = Fixtures.IP_B.bits();

    // tcp.pcap: #1 the kernel client's SYN, #2 the kernel server's SYN-ACK, #3 ACK, #4 six bytes, #5 their
    // ACK, #6 the six bytes echoed, #7 ACK, #8 five bytes, #9 echoed, #10 ACK, #11 the client's FIN,
    // #12 the server's FIN, #13 the last ACK
    private final TcpSegment kernelSyn = TcpSegment.of(frame("tcp.pcap", 1));
    private final TcpSegment kernelSynAck = TcpSegment.of(frame("tcp.pcap", 2));
    // the interface's ISN generator answers with the kernel server's ISN
    private final Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B)
            .initialSequence(InitialSequence.fixed(kernelSynAck.tcp.seq())).build(), new RecordingDevice());
    private final TcpSocket socket = new TcpSocket(RX_BUFFER, 4096);

    @BeforeEach
    void listenAndLearnTheClientsMac() {
        rig.add(socket);
        socket.listen(new IpEndpoint(Fixtures.IP_B, 7777));
        // arp.pcap #1: the kernel asks for 10.99.0.2; the interface answers and learns 10.99.0.1's MAC,
        // as the kernel had before the TCP capture (our SYN-ACK needs it)
        List<byte[]> out = rig.receive(frame("arp.pcap", 1));
        assertThat(out).singleElement().satisfies(reply -> assertThat(Fixtures.u16(reply, 12)).isEqualTo(EtherType.ARP));
    }

    @Test
    void synToTheListenerIsAnsweredWithSynAckCarryingMss1460AndTheFreeReceiveSpace() {
        List<byte[]> out = rig.receive(frame("tcp.pcap", 1));

        TcpSegment synAck = TcpSegment.of(single(out));
        assertThat(synAck.ethernet.destination()).isEqualTo(MAC_A);
        assertThat(synAck.ethernet.source()).isEqualTo(MAC_B);
        assertThat(synAck.ip.src()).isEqualTo(IP_B);
        assertThat(synAck.ip.dst()).isEqualTo(IP_A);
        assertThat(synAck.ip.ttl()).isEqualTo(64);
        assertThat(synAck.tcp.srcPort()).isEqualTo(7777);
        assertThat(synAck.tcp.dstPort()).isEqualTo(40000);
        assertThat(synAck.tcp.flags()).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
        assertThat(synAck.tcp.seq()).isEqualTo(kernelSynAck.tcp.seq());
        // RFC 9293 §3.10.7.2: <SEQ=ISS><ACK=RCV.NXT>, RCV.NXT = SEG.SEQ + 1
        assertThat(synAck.tcp.ack()).isEqualTo(kernelSyn.tcp.seq() + 1).isEqualTo(kernelSynAck.tcp.ack());
        // RFC 9293 §3.7.1: MSS = MTU 1500 - 20 (IPv4) - 20 (TCP), as the kernel's
        assertThat(synAck.tcp.mss()).isEqualTo(1460).isEqualTo(kernelSynAck.tcp.mss());
        assertThat(synAck.tcp.window()).isEqualTo(RX_BUFFER);
        assertThat(synAck.tcp.windowScale()).isEqualTo(-1);
        assertThat(synAck.tcp.sackPermitted()).isFalse();
        // RFC 7323 §3.2: the kernel's SYN offered timestamps, so the SYN-ACK carries them: TSval our
        // clock in milliseconds, TSecr the SYN's TSval (§4.3); laid out as TcpRepr emits them, MSS then
        // NOP, NOP, TSopt (RFC 7323 Appendix A), 36 header bytes
        assertThat(kernelSyn.tcp.hasTimestamps()).isTrue();
        assertThat(synAck.tcp.hasTimestamps()).isTrue();
        assertThat(synAck.tcp.tsVal()).isEqualTo((int) (rig.now / 1_000));
        assertThat(synAck.tcp.tsEcr()).isEqualTo(kernelSyn.tcp.tsVal());
        byte[] frame = single(out);
        assertThat(Fixtures.hex(Arrays.copyOfRange(frame, 14 + 20 + 20, frame.length))).isEqualTo(
                "020405b4" + "0101080a" + String.format("%08x%08x", synAck.tcp.tsVal(), synAck.tcp.tsEcr()));
        assertThat(frame.length).isEqualTo(14 + 20 + 36);
        assertThat(synAck.payload).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.SYN_RECEIVED);
        assertThat(socket.remoteEndpoint()).isEqualTo(new IpEndpoint(Fixtures.IP_A, 40000));
    }

    @Test
    void retransmittedSynIsAnsweredWithTheSameSynAck() {
        TcpSegment first = TcpSegment.of(single(rig.receive(frame("tcp.pcap", 1))));
        rig.now += 1_000;

        TcpSegment again = TcpSegment.of(single(rig.receive(frame("tcp.pcap", 1))));

        // the same SYN-ACK but for its TSval, 1 ms later (RFC 7323 §5.4 clock)
        assertThat(again.tcp.tsVal()).isEqualTo(first.tcp.tsVal() + 1);
        assertThat(again.tcp.timestamps(first.tcp.tsVal(), first.tcp.tsEcr()).toString()).isEqualTo(first.tcp.toString());
        assertThat(socket.state()).isEqualTo(TcpState.SYN_RECEIVED);
    }

    @Test
    void kernelsAckOfOurSynEstablishesTheConnection() {
        rig.receive(frame("tcp.pcap", 1));

        assertThat(rig.receive(frame("tcp.pcap", 3))).isEmpty();

        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
        // we offered no window scale, so by RFC 7323 §2.2 the kernel's window field is taken as it is
        assertThat(socket.sendWindow()).isEqualTo(TcpSegment.of(frame("tcp.pcap", 3)).tcp.window());
        assertThat(socket.mss()).isEqualTo(1460);
        assertThat(rig.poll()).as("nothing due").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void kernelsDataIsDeliveredAcknowledgedAndEchoedAsTheKernelEchoedIt() {
        establish();

        // each exchange: the client's data, the server's segment acknowledging it, the server's echo,
        // the client's ACK of the echo (the kernel sent the second echo with the ACK, #9)
        for (int[] exchange : new int[][] {{4, 5, 6, 7}, {8, 9, 9, 10}}) {
            TcpSegment data = TcpSegment.of(frame("tcp.pcap", exchange[0]));
            TcpSegment kernelAck = TcpSegment.of(frame("tcp.pcap", exchange[1]));
            TcpSegment kernelEcho = TcpSegment.of(frame("tcp.pcap", exchange[2]));

            TcpSegment ack = TcpSegment.of(single(rig.receive(frame("tcp.pcap", exchange[0]))));
            assertThat(ack.tcp.flags()).isEqualTo(TcpFlags.ACK);
            assertThat(ack.tcp.ack()).isEqualTo(data.tcp.seq() + data.payload.length).isEqualTo(kernelAck.tcp.ack());
            assertThat(ack.tcp.seq()).isEqualTo(kernelEcho.tcp.seq());
            // RFC 1122 §4.2.3.3: reads of a few bytes do not move the right edge of the window we
            // offered in the SYN-ACK (it moves by min(half the ring, the MSS) or not at all)
            int rightEdge = kernelSyn.tcp.seq() + 1 + RX_BUFFER;
            assertThat(ack.tcp.ack() + ack.tcp.window()).as("the right edge of our window").isEqualTo(rightEdge);
            // RFC 7323 §4.3: the data starts at our last ACK, so its TSval becomes TS.Recent and is echoed
            assertThat(ack.tcp.tsEcr()).isEqualTo(data.tcp.tsVal());
            byte[] received = new byte[64];
            int n = socket.recv(received, 0, received.length);
            assertThat(Arrays.copyOf(received, n)).isEqualTo(data.payload);

            assertThat(socket.send(received, 0, n)).isEqualTo(n);
            TcpSegment echo = TcpSegment.of(single(rig.receive()));
            assertThat(echo.tcp.flags()).isEqualTo(kernelEcho.tcp.flags()).isEqualTo(TcpFlags.PSH | TcpFlags.ACK);
            assertThat(echo.tcp.seq()).isEqualTo(kernelEcho.tcp.seq());
            assertThat(echo.tcp.ack()).isEqualTo(kernelEcho.tcp.ack());
            assertThat(echo.payload).isEqualTo(kernelEcho.payload);
            assertThat(echo.tcp.tsEcr()).isEqualTo(data.tcp.tsVal());
            assertThat(echo.tcp.ack() + echo.tcp.window()).isEqualTo(rightEdge);

            // the kernel's ACK of the echo empties our send queue
            assertThat(rig.receive(frame("tcp.pcap", exchange[3]))).isEmpty();
            assertThat(socket.sendQueue()).isZero();
        }
        assertThat(socket.counters().retransmissions()).isZero();
    }

    @Test
    void kernelsFinIsAcknowledgedAndOurFinClosesOnItsLastAck() {
        establish();
        exchangeTheData();
        TcpSegment kernelFin = TcpSegment.of(frame("tcp.pcap", 11));
        TcpSegment kernelServerFin = TcpSegment.of(frame("tcp.pcap", 12));

        TcpSegment ack = TcpSegment.of(single(rig.receive(frame("tcp.pcap", 11))));

        // RFC 9293 §3.10.7.4 eighth: the FIN takes a sequence number; CLOSE-WAIT; the stream ends
        assertThat(ack.tcp.flags()).isEqualTo(TcpFlags.ACK);
        assertThat(ack.tcp.ack()).isEqualTo(kernelFin.tcp.seq() + 1).isEqualTo(kernelServerFin.tcp.ack());
        assertThat(socket.state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(socket.recv(new byte[16], 0, 16)).isEqualTo(-1);

        socket.close();
        TcpSegment fin = TcpSegment.of(single(rig.receive()));
        assertThat(fin.tcp.flags()).isEqualTo(kernelServerFin.tcp.flags()).isEqualTo(TcpFlags.FIN | TcpFlags.ACK);
        assertThat(fin.tcp.seq()).isEqualTo(kernelServerFin.tcp.seq());
        assertThat(fin.tcp.ack()).isEqualTo(kernelServerFin.tcp.ack());
        assertThat(socket.state()).isEqualTo(TcpState.LAST_ACK);

        assertThat(rig.receive(frame("tcp.pcap", 13))).isEmpty();
        assertThat(socket.state()).isEqualTo(TcpState.CLOSED);
        assertThat(socket.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(rig.poll()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void synAckIsRetransmittedAfterOneThenTwoThenFourSecondsAndTheListenerReturnsAfterTheRetryLimit() {
        socket.retryLimit(3);
        long start = rig.now;
        byte[] first = single(rig.receive(frame("tcp.pcap", 1)));
        assertThat(rig.poll()).isEqualTo(start + 1_000_000);

        long at = start;
        for (long backoff : new long[] {1_000_000, 2_000_000, 4_000_000}) {
            at += backoff;
            rig.now = at - 1;
            assertThat(rig.receive()).as("nothing before %d us", backoff).isEmpty();
            rig.now = at;
            byte[] again = single(rig.receive());
            // RFC 6298 §5.4 and §5.5: the same SYN-ACK, the timer doubled; only the IPv4 identification
            // (and so its header checksum) and the TSval (and so the TCP checksum) differ
            assertThat(TcpSegment.of(again).tcp.tsVal()).isEqualTo((int) (at / 1_000));
            assertThat(Fixtures.hex(withoutTsVal(Fixtures.withIdentificationAndFlags(again, 0, 0))))
                    .isEqualTo(Fixtures.hex(withoutTsVal(Fixtures.withIdentificationAndFlags(first, 0, 0))));
            assertThat(rig.poll()).isEqualTo(at + 2 * backoff);
        }
        assertThat(socket.counters().retransmissions()).isEqualTo(3);

        rig.now = at + 8_000_000;
        assertThat(rig.receive()).isEmpty();
        // RFC 9293 §3.10.7.4: a passive open that fails goes back to LISTEN, ready for the next SYN
        assertThat(socket.state()).isEqualTo(TcpState.LISTEN);
        assertThat(rig.poll()).isEqualTo(Long.MAX_VALUE);
        TcpSegment synAck = TcpSegment.of(single(rig.receive(frame("tcp.pcap", 1))));
        assertThat(synAck.tcp.flags()).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
    }

    /** A copy of our SYN-ACK frame (MSS, NOP, NOP, TSopt) with TSval and the TCP checksum zeroed. */
    private static byte[] withoutTsVal(byte[] frame) {
        byte[] copy = frame.clone();
        int tcp = 14 + 20;
        Arrays.fill(copy, tcp + 16, tcp + 18, (byte) 0);
        Arrays.fill(copy, tcp + 28, tcp + 32, (byte) 0);
        return copy;
    }

    private void establish() {
        rig.receive(frame("tcp.pcap", 1));
        rig.receive(frame("tcp.pcap", 3));
        assertThat(socket.state()).isEqualTo(TcpState.ESTABLISHED);
    }

    /** Frames #4 to #10: both chunks delivered, echoed and acknowledged. */
    private void exchangeTheData() {
        byte[] buf = new byte[64];
        for (int[] exchange : new int[][] {{4, 7}, {8, 10}}) {
            rig.receive(frame("tcp.pcap", exchange[0]));
            int n = socket.recv(buf, 0, buf.length);
            socket.send(buf, 0, n);
            rig.receive();
            rig.receive(frame("tcp.pcap", exchange[1]));
        }
        assertThat(socket.sendQueue()).isZero();
    }

    private static byte[] single(List<byte[]> frames) {
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }
}
