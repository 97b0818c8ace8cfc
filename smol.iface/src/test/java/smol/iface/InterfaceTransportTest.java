package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.frame;
import static smol.iface.Fixtures.hex;

import java.util.List;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.ChecksumMode;
import smol.phy.DeviceCapabilities;
import smol.phy.ReceivedChecksum;
import smol.socket.driver.Delivery;
import smol.socket.driver.PollContext;
import smol.wire.TcpFlags;

/** UDP and TCP in: delivery to sockets, port unreachable and reset for what no socket takes. */
class InterfaceTransportTest {
    private static final long MAC_A = Fixtures.MAC_A.bits();
    private static final long MAC_B = Fixtures.MAC_B.bits();
    private static final int IP_A = Fixtures.IP_A.bits();
    private static final int IP_B = Fixtures.IP_B.bits();

    @Test
    void datagramGoesToTheSocketOfItsPort() {
        Rig rig = new Rig();
        TestSockets.UdpSink other = new TestSockets.UdpSink(9);
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5555);
        rig.add(other).add(sink);

        // udp.pcap #1: 10.99.0.1:4444 -> 10.99.0.2:5555 "hello!"
        assertThat(rig.receive(frame("udp.pcap", 1))).isEmpty();

        assertThat(sink.payloads).extracting(String::new).containsExactly("hello!");
        assertThat(sink.sources).containsExactly("10.99.0.1:4444");
        assertThat(other.payloads).isEmpty();
        assertThat(rig.stats().framesAccepted()).isEqualTo(1);
    }

    @Test
    void datagramToAClosedPortIsAnsweredWithPortUnreachableQuotingHeaderAndEightBytes() {
        Rig rig = new Rig();
        // icmp.pcap #15: 16 bytes from 10.99.0.1:44444 to the closed port 10.99.0.2:33333
        byte[] datagram = frame("icmp.pcap", 15);

        List<byte[]> out = rig.receive(datagram);

        byte[] quoted = Frames.slice(datagram, 14, 14 + 20 + 8);
        byte[] icmp = Frames.icmp(3, 3, new byte[4], quoted);
        assertThat(out).extracting(Fixtures::hex).containsExactly(hex(Frames.ipv4(MAC_A, MAC_B, IP_B, IP_A, 1, 0, 64, icmp)));
        assertThat(rig.stats().portUnreachablesSent()).isEqualTo(1);
        assertThat(rig.stats().drops(IfaceDrop.NO_SOCKET)).isEqualTo(1);
    }

    @Test
    void datagramToABroadcastIsNeverAnsweredWithPortUnreachable() {
        Rig rig = new Rig();
        byte[] directed = Frames.ipv4(0xffff_ffff_ffffL, MAC_A, IP_A, 0x0a6300ff, 17, 1, 64,
                Frames.udp(IP_A, 0x0a6300ff, 4444, 33333, "x".getBytes()));
        byte[] limited = Frames.ipv4(0xffff_ffff_ffffL, MAC_A, IP_A, -1, 17, 2, 64,
                Frames.udp(IP_A, -1, 4444, 33333, "x".getBytes()));
        byte[] linkBroadcast = Frames.ipv4(0xffff_ffff_ffffL, MAC_A, IP_A, IP_B, 17, 3, 64,
                Frames.udp(IP_A, IP_B, 4444, 33333, "x".getBytes()));

        assertThat(rig.receive(directed, limited, linkBroadcast)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.NO_SOCKET)).isEqualTo(3);
        assertThat(rig.stats().portUnreachablesSent()).isZero();
    }

    @Test
    void broadcastDatagramsReachTheSockets() {
        Rig rig = new Rig();
        TestSockets.UdpSink sink = new TestSockets.UdpSink(67);
        rig.add(sink);

        rig.receive(
                Frames.ipv4(0xffff_ffff_ffffL, MAC_A, IP_A, 0x0a6300ff, 17, 1, 64,
                        Frames.udp(IP_A, 0x0a6300ff, 68, 67, "directed".getBytes())),
                Frames.ipv4(0xffff_ffff_ffffL, MAC_A, 0, -1, 17, 2, 64,
                        Frames.udp(0, -1, 68, 67, "limited".getBytes())));

        assertThat(sink.payloads).extracting(String::new).containsExactly("directed", "limited");
    }

    @Test
    void badUdpChecksumIsDroppedBeforeTheSocketsSeeIt() {
        Rig rig = new Rig();
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5555);
        rig.add(sink);
        byte[] datagram = frame("udp.pcap", 1);
        datagram[40] ^= 0x55; // UDP checksum

        assertThat(rig.receive(datagram)).isEmpty();
        assertThat(sink.payloads).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void udpChecksumIsNotVerifiedWhenTheDeviceDoesIt() {
        ChecksumCapabilities noUdp = new ChecksumCapabilities(ChecksumMode.BOTH, ChecksumMode.BOTH,
                ChecksumMode.TX, ChecksumMode.BOTH);
        Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new RecordingDevice(DeviceCapabilities.ethernet(1500, noUdp)));
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5555);
        rig.add(sink);
        byte[] datagram = frame("udp.pcap", 1);
        datagram[40] ^= 0x55;

        rig.receive(datagram);

        assertThat(sink.payloads).hasSize(1);
    }

    @Test
    void synToAClosedPortIsAnsweredWithRstAck() {
        Rig rig = new Rig();

        // tcp.pcap #14: SYN from 10.99.0.1:40001 to the closed 10.99.0.2:7778; #15: the kernel's RST+ACK
        List<byte[]> out = rig.receive(frame("tcp.pcap", 14));

        // seq 0, ack = SEG.SEQ + 1 (the SYN), window 0; the kernel's but for identification and DF
        assertThat(out).extracting(Fixtures::hex)
                .containsExactly(hex(Fixtures.withIdentificationAndFlags(frame("tcp.pcap", 15), 0, 0)));
        assertThat(rig.stats().rstsSent()).isEqualTo(1);
    }

    @Test
    void segmentWithAckToNoSocketIsAnsweredWithRstCarryingItsAckAsSequence() {
        Rig rig = new Rig();
        // tcp.pcap #3: ACK from 10.99.0.1:40000 to 10.99.0.2:7777, seq d0237422, ack e2b73c83
        byte[] ack = frame("tcp.pcap", 3);

        List<byte[]> out = rig.receive(ack);

        byte[] rst = Frames.tcp(IP_B, IP_A, 7777, 40000, 0xe2b73c83, 0, TcpFlags.RST, 0);
        assertThat(out).extracting(Fixtures::hex).containsExactly(hex(Frames.ipv4(MAC_A, MAC_B, IP_B, IP_A, 6, 0, 64, rst)));
    }

    @Test
    void segmentWithoutAckIsResetWithAckCoveringDataAndFin() {
        Rig rig = new Rig();
        byte[] finWithData = Frames.concat(
                Frames.slice(Frames.tcp(IP_A, IP_B, 40000, 7777, 1000, 0, TcpFlags.FIN | TcpFlags.PSH, 512), 0, 20),
                "abc".getBytes());
        new smol.wire.TcpPacket().wrap(finWithData, 0, finWithData.length).fillChecksum(IP_A, IP_B);

        List<byte[]> out = rig.receive(Frames.ipv4(MAC_B, MAC_A, IP_A, IP_B, 6, 9, 64, finWithData));

        // ack = SEG.SEQ + SEG.LEN, the FIN counting one
        byte[] rst = Frames.tcp(IP_B, IP_A, 7777, 40000, 0, 1000 + 3 + 1, TcpFlags.RST | TcpFlags.ACK, 0);
        assertThat(out).extracting(Fixtures::hex).containsExactly(hex(Frames.ipv4(MAC_A, MAC_B, IP_B, IP_A, 6, 0, 64, rst)));
    }

    @Test
    void resetToNoSocketIsNeverAnswered() {
        Rig rig = InterfaceIcmpTest.hostA();

        // tcp.pcap #15: the kernel's RST+ACK to 10.99.0.1:40001
        assertThat(rig.receive(frame("tcp.pcap", 15))).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.NO_SOCKET)).isEqualTo(1);
        assertThat(rig.stats().rstsSent()).isZero();
    }

    @Test
    void segmentGoesToTheSocketThatTakesIt() {
        Rig rig = new Rig();
        TestSockets.TcpSink sink = new TestSockets.TcpSink(7777);
        rig.add(sink);

        assertThat(rig.receive(frame("tcp.pcap", 1))).isEmpty();

        assertThat(sink.flags).containsExactly(TcpFlags.SYN);
    }

    @Test
    void tcpToABroadcastIsDroppedWithoutReset() {
        Rig rig = new Rig();
        byte[] syn = Frames.tcp(IP_A, 0x0a6300ff, 40000, 7777, 1, 0, TcpFlags.SYN, 512);

        assertThat(rig.receive(Frames.ipv4(0xffff_ffff_ffffL, MAC_A, IP_A, 0x0a6300ff, 6, 1, 64, syn))).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BROADCAST)).isEqualTo(1);
    }

    @Test
    void badTcpChecksumIsDroppedWithoutReset() {
        Rig rig = new Rig();
        byte[] syn = frame("tcp.pcap", 14);
        syn[14 + 20 + 16] ^= 0x55;

        assertThat(rig.receive(syn)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void aFrameWhoseChecksumTheDeviceSaysIsNotReadyOrVerifiedIsTakenAsItIs() {
        Rig rig = new Rig();
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5555);
        rig.add(sink);
        byte[] datagram = frame("udp.pcap", 1);
        datagram[40] ^= 0x55; // what a packet socket sees of a datagram its host sends with offload
        byte[] syn = frame("tcp.pcap", 14);
        syn[14 + 20 + 16] ^= 0x55;

        rig.device.inject(datagram, ReceivedChecksum.NOT_READY).inject(syn, ReceivedChecksum.VERIFIED)
                .inject(datagram, ReceivedChecksum.UNKNOWN);
        List<byte[]> out = rig.receive();

        assertThat(sink.payloads).as("the offloaded datagram is delivered; the unknown one is checked").hasSize(1);
        assertThat(out).as("the SYN with a verified checksum reaches TCP: nobody listens, so a RST").hasSize(1);
        assertThat(rig.stats().drops(IfaceDrop.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void anAnswerASocketCallsForGoesOutAtOnceBeforeTheNextFrameIsProcessed() {
        Rig rig = new Rig();
        rig.receive(frame("arp.pcap", 1)); // learn 10.99.0.1
        smol.wire.TcpRepr rst = new smol.wire.TcpRepr();
        TestSockets.TestSocket answering = new TestSockets.TestSocket() {
            private int peer;

            @Override
            public Delivery processTcp(PollContext context, smol.wire.Ipv4Repr ip, smol.wire.TcpRepr tcp) {
                peer = ip.src();
                rst.clear().srcPort(tcp.dstPort()).dstPort(tcp.srcPort()).seq(tcp.ack()).flags(TcpFlags.RST);
                return Delivery.TAKEN_ANSWER_NOW;
            }

            @Override
            public void dispatch(PollContext context) {
                if (peer != 0) {
                    context.sender().send(new smol.wire.Ipv4Repr().dst(peer), rst);
                    peer = 0;
                }
            }

            @Override
            public long pollAt(long nowMicros) {
                return peer != 0 ? nowMicros : Long.MAX_VALUE;
            }
        };
        rig.add(answering);

        // the segment, then an ARP request in the same poll: the answer leaves before the ARP reply
        List<byte[]> out = rig.receive(frame("tcp.pcap", 3), frame("arp.pcap", 1));

        byte[] expected = Frames.tcp(IP_B, IP_A, 7777, 40000, 0xe2b73c83, 0, TcpFlags.RST, 0);
        assertThat(out).hasSize(2);
        assertThat(hex(out.get(0))).isEqualTo(hex(Frames.ipv4(MAC_A, MAC_B, IP_B, IP_A, 6, 0, 64, expected)));
        assertThat(Fixtures.u16(out.get(1), 12)).as("then the ARP reply").isEqualTo(0x0806);
        assertThat(rig.stats().rstsSent()).isZero(); // the socket's, not the interface's
    }
}
