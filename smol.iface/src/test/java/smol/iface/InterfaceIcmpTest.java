package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.frame;
import static smol.iface.Fixtures.hex;

import java.util.List;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;

class InterfaceIcmpTest {
    private static final long MAC_A = Fixtures.MAC_A.bits();
    private static final long MAC_B = Fixtures.MAC_B.bits();
    private static final int IP_A = Fixtures.IP_A.bits();
    private static final int IP_B = Fixtures.IP_B.bits();

    /** An interface as host A of the captures (10.99.0.1, 02-00-00-00-00-01), for the kernel's answers. */
    static Rig hostA() {
        return new Rig(Fixtures.builder().mac(Fixtures.MAC_A).address(smol.wire.Ipv4Cidr.parse("10.99.0.1/24"))
                .build(), new RecordingDevice());
    }

    @Test
    void echoRequestIsAnsweredWithTheSameIdentifierSequenceAndData() {
        Rig rig = new Rig();

        // icmp.pcap #1: ping from 10.99.0.1, 56 bytes of data; #2: the kernel's reply
        List<byte[]> out = rig.receive(frame("icmp.pcap", 1));

        // The kernel's reply but for the identification (ours counts from 0) and the same flags (none)
        assertThat(out).extracting(Fixtures::hex)
                .containsExactly(hex(Fixtures.withIdentificationAndFlags(frame("icmp.pcap", 2), 0, 0)));
        assertThat(rig.stats().icmpEchoAnswered()).isEqualTo(1);
    }

    @Test
    void consecutiveRepliesNumberTheirIdentification() {
        Rig rig = new Rig();

        List<byte[]> out = rig.receive(frame("icmp.pcap", 1), frame("icmp.pcap", 3), frame("icmp.pcap", 5));

        assertThat(out).extracting(Fixtures::hex).containsExactly(
                hex(Fixtures.withIdentificationAndFlags(frame("icmp.pcap", 2), 0, 0)),
                hex(Fixtures.withIdentificationAndFlags(frame("icmp.pcap", 4), 1, 0)),
                hex(Fixtures.withIdentificationAndFlags(frame("icmp.pcap", 6), 2, 0)));
    }

    @Test
    void echoRequestWithRecordRouteOptionIsAnsweredWithoutOptions() {
        Rig rig = new Rig();
        // icmp.pcap #7: ping -R, IHL 15 (40 bytes of record-route option); #8: the kernel's reply, whose
        // ICMP message (after its own 60-byte header) is the one we must send, under a 20-byte header
        byte[] kernelReply = frame("icmp.pcap", 8);
        byte[] icmp = Frames.slice(kernelReply, 14 + 60, kernelReply.length);

        List<byte[]> out = rig.receive(frame("icmp.pcap", 7));

        assertThat(out).extracting(Fixtures::hex).containsExactly(hex(Frames.ipv4(MAC_A, MAC_B, IP_B, IP_A, 1, 0, 64, icmp)));
    }

    @Test
    void echoReplyLeavesChecksumsToADeviceThatFillsThem() {
        Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new RecordingDevice(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE)));

        byte[] reply = rig.receive(frame("icmp.pcap", 1)).get(0);

        assertThat(Fixtures.u16(reply, 14 + 10)).isZero(); // IPv4 header checksum
        assertThat(Fixtures.u16(reply, 34 + 2)).isZero(); // ICMP checksum
    }

    @Test
    void broadcastEchoRequestIsNotAnswered() {
        Rig rig = new Rig();
        byte[] request = frame("icmp.pcap", 1);
        Frames.put32(request, 14 + 16, 0x0a6300ff); // to 10.99.0.255, the subnet's broadcast
        Fixtures.refreshIpv4Checksum(request);

        assertThat(rig.receive(request)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BROADCAST)).isEqualTo(1);
    }

    @Test
    void echoReplyIsOfferedToTheSockets() {
        Rig rig = hostA();
        TestSockets.IcmpSink sink = new TestSockets.IcmpSink();
        rig.add(sink);

        assertThat(rig.receive(frame("icmp.pcap", 2))).isEmpty();

        assertThat(sink.messages).containsExactly("ECHO_REPLY code=0 id=11326 len=56");
        assertThat(rig.stats().framesAccepted()).isEqualTo(1);
    }

    @Test
    void destinationUnreachableIsOfferedToTheSockets() {
        Rig rig = hostA();
        TestSockets.IcmpSink sink = new TestSockets.IcmpSink();
        rig.add(sink);

        // icmp.pcap #16: the kernel's port unreachable for a datagram to 10.99.0.2:33333
        rig.receive(frame("icmp.pcap", 16));

        assertThat(sink.messages).containsExactly("DESTINATION_UNREACHABLE code=3 id=0 len=44");
    }

    @Test
    void icmpMessageNoSocketTakesIsCountedAsADrop() {
        Rig rig = hostA();

        assertThat(rig.receive(frame("icmp.pcap", 2))).isEmpty();

        assertThat(rig.stats().drops(IfaceDrop.NO_SOCKET)).isEqualTo(1);
    }

    @Test
    void badIcmpChecksumIsDropped() {
        Rig rig = new Rig();
        byte[] request = frame("icmp.pcap", 1);
        request[40] ^= 0x55;

        assertThat(rig.receive(request)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BAD_CHECKSUM)).isEqualTo(1);
    }
}
