package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.frame;

import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.ChecksumMode;
import smol.phy.DeviceCapabilities;
import smol.wire.Malformed;

/** IPv4 and Ethernet in: what is for us, and every reason to drop the rest. */
class InterfaceIpv4Test {
    private static final long MAC_A = Fixtures.MAC_A.bits();
    private static final long MAC_B = Fixtures.MAC_B.bits();
    private static final int IP_A = Fixtures.IP_A.bits();
    private static final int IP_B = Fixtures.IP_B.bits();

    @Test
    void frameToAnotherMacIsNotForUs() {
        Rig rig = new Rig();

        // udp.pcap #2 goes to 02-00-00-00-00-01
        assertThat(rig.receive(frame("udp.pcap", 2))).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.NOT_FOR_US)).isEqualTo(1);
    }

    @Test
    void packetToAnotherIpAddressIsNotForUsEvenToOurMac() {
        Rig rig = new Rig();
        byte[] packet = frame("udp.pcap", 2);
        Frames.putMac(packet, 0, MAC_B);

        assertThat(rig.receive(packet)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.NOT_FOR_US)).isEqualTo(1);
    }

    @Test
    void multicastFrameIsNotForUs() {
        Rig rig = new Rig();
        byte[] packet = frame("icmp.pcap", 1);
        Frames.putMac(packet, 0, 0x01_00_5e_00_00_01L);

        assertThat(rig.receive(packet)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.NOT_FOR_US)).isEqualTo(1);
    }

    @Test
    void badHeaderChecksumIsDropped() {
        Rig rig = new Rig();
        byte[] packet = frame("icmp.pcap", 1);
        packet[14 + 10] ^= 0x55;

        assertThat(rig.receive(packet)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BAD_CHECKSUM)).isEqualTo(1);
    }

    @Test
    void headerChecksumIsNotVerifiedWhenTheDeviceDoesIt() {
        ChecksumCapabilities deviceChecksIpv4 = new ChecksumCapabilities(ChecksumMode.TX, ChecksumMode.BOTH,
                ChecksumMode.BOTH, ChecksumMode.BOTH);
        Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new RecordingDevice(DeviceCapabilities.ethernet(1500, deviceChecksIpv4)));
        byte[] packet = frame("icmp.pcap", 1);
        packet[14 + 10] ^= 0x55;

        assertThat(rig.receive(packet)).hasSize(1);
        assertThat(rig.stats().icmpEchoAnswered()).isEqualTo(1);
    }

    @Test
    void fragmentsAreDroppedNotReassembled() {
        Rig rig = new Rig();

        // icmp.pcap #9, #10, #11: a 3000-byte ping in three fragments
        assertThat(rig.receive(frame("icmp.pcap", 9), frame("icmp.pcap", 10), frame("icmp.pcap", 11))).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.FRAGMENT)).isEqualTo(3);
    }

    @Test
    void unknownProtocolIsDropped() {
        Rig rig = new Rig();
        byte[] gre = Frames.ipv4(MAC_B, MAC_A, IP_A, IP_B, 47, 1, 64, new byte[8]);

        assertThat(rig.receive(gre)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.UNKNOWN_PROTOCOL)).isEqualTo(1);
    }

    @Test
    void impossibleSourcesAreDropped() {
        Rig rig = new Rig();
        byte[] udp = Frames.udp(IP_A, IP_B, 1, 2, new byte[1]);
        byte[] fromBroadcast = Frames.ipv4(MAC_B, MAC_A, 0x0a6300ff, IP_B, 17, 1, 64, udp);
        byte[] fromMulticast = Frames.ipv4(MAC_B, MAC_A, 0xe0000001, IP_B, 17, 1, 64, udp);
        byte[] fromUs = Frames.ipv4(MAC_B, MAC_A, IP_B, IP_B, 17, 1, 64, udp);
        byte[] multicastMacSource = frame("icmp.pcap", 1);
        Frames.putMac(multicastMacSource, 6, 0x03_00_00_00_00_01L);

        assertThat(rig.receive(fromBroadcast, fromMulticast, fromUs, multicastMacSource)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BAD_SOURCE)).isEqualTo(4);
    }

    @Test
    void otherEtherTypesAreCounted() {
        Rig rig = new Rig();
        byte[] ipv6 = frame("icmp.pcap", 1);
        Fixtures.put16(ipv6, 12, 0x86dd);

        assertThat(rig.receive(ipv6)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.UNKNOWN_ETHERTYPE)).isEqualTo(1);
    }

    @Test
    void malformedOptionsAreDroppedWithTheirReason() {
        Rig rig = new Rig();
        byte[] packet = frame("icmp.pcap", 7);
        packet[14 + 20 + 2] = 1; // the record-route option (after a NOP) with length 1
        Fixtures.refreshIpv4Checksum(packet);

        assertThat(rig.receive(packet)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.MALFORMED)).isEqualTo(1);
        assertThat(rig.stats().malformed(Malformed.BAD_OPTION)).isEqualTo(1);
    }

    @Test
    void frameShorterThanItsIpv4TotalLengthIsTruncated() {
        Rig rig = new Rig();
        byte[] packet = java.util.Arrays.copyOf(frame("icmp.pcap", 1), 60);

        assertThat(rig.receive(packet)).isEmpty();
        assertThat(rig.stats().malformed(Malformed.TRUNCATED)).isEqualTo(1);
    }

    @Test
    void ethernetPaddingAfterThePacketIsIgnored() {
        Rig rig = new Rig();
        TestSockets.UdpSink sink = new TestSockets.UdpSink(5555);
        rig.add(sink);
        byte[] padded = java.util.Arrays.copyOf(frame("udp.pcap", 1), 60);

        rig.receive(padded);

        assertThat(sink.payloads).extracting(String::new).containsExactly("hello!");
    }

    @Test
    void everyFrameIsAcceptedOrDroppedExactlyOnce() {
        Rig rig = new Rig();
        rig.add(new TestSockets.UdpSink(5555));

        for (String file : new String[] {"arp.pcap", "icmp.pcap", "udp.pcap", "tcp.pcap"}) {
            for (byte[] f : Fixtures.frames(file)) {
                rig.receive(f);
            }
        }

        InterfaceStatistics s = rig.stats();
        assertThat(s.framesIn()).isEqualTo(3 + 16 + 6 + 15);
        assertThat(s.framesAccepted() + s.receivedDrops()).isEqualTo(s.framesIn());
    }
}
