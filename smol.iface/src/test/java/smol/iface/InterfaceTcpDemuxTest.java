package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.frame;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;
import smol.wire.IpProtocol;
import smol.wire.TcpFlags;

/**
 * Which socket a TCP segment goes to (RFC 9293 §3.10.7): the one whose 4-tuple matches exactly, in
 * whatever slot, and a listener only when none does. Frames are the Linux kernel's (smol.wire's
 * {@code tcp.pcap}: a client at 10.99.0.1:40000, the server at 10.99.0.2:7777).
 */
class InterfaceTcpDemuxTest {
    private static final int OTHER_ISN = 0x1234_5678;
    private static final long MAC_A = Fixtures.MAC_A.bits();
    private static final long MAC_B = Fixtures.MAC_B.bits();
    private static final int IP_A = Fixtures.IP_A.bits();
    private static final int IP_B = Fixtures.IP_B.bits();

    private final TcpSegment kernelSyn = TcpSegment.of(frame("tcp.pcap", 1));
    private final TcpSegment kernelSynAck = TcpSegment.of(frame("tcp.pcap", 2));
    // the first connection takes the kernel server's ISN, so that the kernel's own frames fit it; every
    // later one another, so that a SYN-ACK tells which connection answered
    private final int[] connections = new int[1];
    private final Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B)
            .initialSequence((la, lp, ra, rp, now) -> connections[0]++ == 0 ? kernelSynAck.tcp.seq() : OTHER_ISN)
            .build(), new RecordingDevice());
    // slot 0 and slot 1
    private final TcpSocket lower = new TcpSocket(4096, 4096);
    private final TcpSocket upper = new TcpSocket(4096, 4096);

    @BeforeEach
    void twoSocketsAndTheClientsMac() {
        rig.add(lower).add(upper);
        rig.receive(frame("arp.pcap", 1)); // the interface learns 10.99.0.1's MAC
    }

    @Test
    void aRetransmittedSynGoesToItsConnectionNotToAListenerInALowerSlot() {
        upper.listen(new IpEndpoint(Fixtures.IP_B, 7777));
        TcpSegment first = TcpSegment.of(single(rig.receive(frame("tcp.pcap", 1))));
        assertThat(upper.state()).isEqualTo(TcpState.SYN_RECEIVED);
        lower.listen(new IpEndpoint(Fixtures.IP_B, 7777)); // the application opens a second listener

        rig.now += 500_000; // before the SYN-ACK's own timer, so that only the SYN can make it resend
        TcpSegment again = TcpSegment.of(single(rig.receive(frame("tcp.pcap", 1))));

        assertThat(again.tcp.seq()).as("the connection's own SYN-ACK").isEqualTo(first.tcp.seq());
        assertThat(again.tcp.flags()).isEqualTo(TcpFlags.SYN | TcpFlags.ACK);
        assertThat(lower.state()).isEqualTo(TcpState.LISTEN);
        // and the client's ACK completes the handshake (Linux dropped the connection here before)
        assertThat(rig.receive(frame("tcp.pcap", 3))).isEmpty();
        assertThat(upper.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(lower.state()).isEqualTo(TcpState.LISTEN);
    }

    @Test
    void aListenerStillTakesASynThatNoConnectionClaims() {
        lower.listen(new IpEndpoint(Fixtures.IP_B, 7777));

        TcpSegment synAck = TcpSegment.of(single(rig.receive(frame("tcp.pcap", 1))));

        assertThat(lower.state()).isEqualTo(TcpState.SYN_RECEIVED);
        assertThat(synAck.tcp.seq()).isEqualTo(lower.initialSendSequence());
    }

    /** The upper socket serves the kernel's connection to its end, closing second: it ends in TIME-WAIT. */
    private void upperInTimeWait() {
        upper.listen(new IpEndpoint(Fixtures.IP_B, 7777));
        rig.receive(frame("tcp.pcap", 1));
        rig.receive(frame("tcp.pcap", 3));
        int clientSeq = kernelSyn.tcp.seq() + 1;
        int ourSeq = kernelSynAck.tcp.seq() + 1;
        upper.close();
        rig.receive(); // our FIN
        rig.receive(tcpFromClient(clientSeq, ourSeq + 1, TcpFlags.FIN | TcpFlags.ACK));
        assertThat(upper.state()).isEqualTo(TcpState.TIME_WAIT);
    }

    private static byte[] tcpFromClient(int seq, int ack, int flags) {
        return Frames.ipv4(MAC_B, MAC_A, IP_A, IP_B, IpProtocol.TCP, 1, 64,
                Frames.tcp(IP_A, IP_B, 40000, 7777, seq, ack, flags, 64240));
    }

    @Test
    void aNewSynForATimeWaitTupleGoesToAListener() {
        upperInTimeWait();
        lower.listen(new IpEndpoint(Fixtures.IP_B, 7777));

        // RFC 6191: a SYN beyond the old connection's RCV.NXT opens a new connection
        int newSeq = kernelSyn.tcp.seq() + 1_000_000;
        TcpSegment synAck = TcpSegment.of(single(rig.receive(tcpFromClient(newSeq, 0, TcpFlags.SYN))));

        assertThat(synAck.tcp.seq()).as("the listener's SYN-ACK").isEqualTo(OTHER_ISN);
        assertThat(synAck.tcp.ack()).isEqualTo(newSeq + 1);
        assertThat(lower.state()).isEqualTo(TcpState.SYN_RECEIVED);
        assertThat(upper.state()).isEqualTo(TcpState.CLOSED);
        assertThat(upper.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
    }

    @Test
    void aNewSynForATimeWaitTupleWithNobodyListeningIsRefused() {
        upperInTimeWait();
        int newSeq = kernelSyn.tcp.seq() + 1_000_000;

        TcpSegment reset = TcpSegment.of(single(rig.receive(tcpFromClient(newSeq, 0, TcpFlags.SYN))));

        assertThat(reset.tcp.flags()).isEqualTo(TcpFlags.RST | TcpFlags.ACK);
        assertThat(reset.tcp.ack()).isEqualTo(newSeq + 1);
        assertThat(upper.state()).isEqualTo(TcpState.CLOSED);
    }

    @Test
    void anOldSynForATimeWaitTupleGetsAnAckEvenWithAListener() {
        upperInTimeWait();
        lower.listen(new IpEndpoint(Fixtures.IP_B, 7777));

        TcpSegment ack = TcpSegment.of(single(rig.receive(tcpFromClient(kernelSyn.tcp.seq(), 0, TcpFlags.SYN))));

        assertThat(ack.tcp.flags()).isEqualTo(TcpFlags.ACK);
        assertThat(ack.tcp.seq()).isEqualTo(kernelSynAck.tcp.seq() + 2);
        assertThat(upper.state()).isEqualTo(TcpState.TIME_WAIT);
        assertThat(lower.state()).isEqualTo(TcpState.LISTEN);
    }

    private static byte[] single(List<byte[]> frames) {
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }
}
