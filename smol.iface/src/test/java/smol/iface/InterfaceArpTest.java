package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.iface.Fixtures.frame;
import static smol.iface.Fixtures.hex;
import static smol.socket.driver.SendOutcome.NEIGHBOUR_PENDING;
import static smol.socket.driver.SendOutcome.SENT;

import java.util.List;
import org.junit.jupiter.api.Test;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

class InterfaceArpTest {
    // arp.pcap #1: the kernel on 10.99.0.1 asks who has 10.99.0.2; #2: the kernel on 10.99.0.2 answers.
    private static final byte[] KERNEL_REQUEST = frame("arp.pcap", 1);
    private static final byte[] KERNEL_REPLY = frame("arp.pcap", 2);
    private static final int IP_A = Fixtures.IP_A.bits();

    /** An ARP packet in a frame from {@code srcMac} to {@code dstMac}. */
    static byte[] arp(String dstMac, String srcMac, int op, String senderMac, String senderIp, String targetMac,
            String targetIp) {
        return hex(dstMac + srcMac + "0806" + "0001 0800 06 04" + String.format("%04x", op) + senderMac
                + ipHex(senderIp) + targetMac + ipHex(targetIp));
    }

    static String ipHex(String ip) {
        return String.format("%08x", Ipv4Address.parse(ip).bits());
    }

    @Test
    void requestForOurAddressIsAnsweredWithTheKernelsExactReply() {
        Rig rig = new Rig();

        List<byte[]> out = rig.receive(KERNEL_REQUEST);

        assertThat(out).hasSize(1);
        assertThat(hex(out.get(0))).isEqualTo(hex(KERNEL_REPLY));
        assertThat(rig.stats().arpRequestsAnswered()).isEqualTo(1);
        assertThat(rig.stats().framesAccepted()).isEqualTo(1);
    }

    @Test
    void requestLearnsTheAskerAsRfc826Says() {
        Rig rig = new Rig();

        rig.receive(KERNEL_REQUEST);

        assertThat(rig.iface.arpCache().lookup(IP_A, rig.now)).isEqualTo(Fixtures.MAC_A.bits());
    }

    @Test
    void applicationsReadTheTableAsCopiesOfItsLiveEntries() {
        Rig rig = new Rig();
        assertThat(rig.iface.arpTable()).isEmpty();

        rig.receive(KERNEL_REQUEST);

        assertThat(rig.iface.arpTable()).containsExactly(new ArpEntry(Fixtures.IP_A, Fixtures.MAC_A,
                rig.now + ArpCache.DEFAULT_LIFETIME_MICROS));
        assertThatThrownBy(() -> rig.iface.arpTable().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requestForAnotherAddressIsIgnoredAndNotLearned() {
        Rig rig = new Rig();
        byte[] forOther = arp("ffffffffffff", "020000000001", 1, "020000000001", "10.99.0.1", "000000000000",
                "10.99.0.3");

        List<byte[]> out = rig.receive(forOther);

        assertThat(out).isEmpty();
        assertThat(rig.iface.arpCache().lookup(IP_A, rig.now)).isEqualTo(ArpCache.NO_ENTRY);
        assertThat(rig.stats().drops(IfaceDrop.NOT_FOR_US)).isEqualTo(1);
    }

    @Test
    void replyToUsIsLearned() {
        Rig rig = new Rig();
        byte[] reply = arp("020000000002", "020000000001", 2, "020000000001", "10.99.0.1", "020000000002",
                "10.99.0.2");

        List<byte[]> out = rig.receive(reply);

        assertThat(out).isEmpty();
        assertThat(rig.iface.arpCache().lookup(IP_A, rig.now)).isEqualTo(Fixtures.MAC_A.bits());
        assertThat(rig.stats().framesAccepted()).isEqualTo(1);
    }

    @Test
    void gratuitousArpUpdatesAKnownNeighbourButDoesNotAddAStranger() {
        Rig rig = new Rig();
        // arp.pcap #3: arping -U from 10.99.0.1, sender = target = 10.99.0.1, to broadcast
        byte[] gratuitous = frame("arp.pcap", 3);

        rig.receive(gratuitous);
        assertThat(rig.iface.arpCache().lookup(IP_A, rig.now)).isEqualTo(ArpCache.NO_ENTRY);
        assertThat(rig.stats().drops(IfaceDrop.NOT_FOR_US)).isEqualTo(1);

        rig.receive(KERNEL_REQUEST);
        byte[] moved = arp("ffffffffffff", "020000000009", 1, "020000000009", "10.99.0.1", "000000000000",
                "10.99.0.1");
        rig.now += 1_000;
        rig.receive(moved);

        assertThat(rig.iface.arpCache().lookup(IP_A, rig.now)).isEqualTo(0x02_00_00_00_00_09L);
        assertThat(rig.stats().framesAccepted()).isEqualTo(2);
    }

    @Test
    void learnedEntryExpiresAfterSixtySeconds() {
        Rig rig = new Rig();
        rig.receive(KERNEL_REQUEST);
        long learned = rig.now;

        assertThat(rig.iface.arpCache().lookup(IP_A, learned + ArpCache.DEFAULT_LIFETIME_MICROS - 1))
                .isEqualTo(Fixtures.MAC_A.bits());
        assertThat(rig.iface.arpCache().lookup(IP_A, learned + ArpCache.DEFAULT_LIFETIME_MICROS))
                .isEqualTo(ArpCache.NO_ENTRY);
    }

    @Test
    void ipTrafficFromTheCachedMacKeepsTheEntryAlive() {
        Rig rig = new Rig();
        rig.receive(KERNEL_REQUEST);
        long learned = rig.now;
        // icmp.pcap #1: the kernel on 10.99.0.1 (MAC 02-00-00-00-00-01) pings 10.99.0.2
        rig.now = learned + 50_000_000;
        rig.receive(frame("icmp.pcap", 1));

        assertThat(rig.iface.arpCache().lookup(IP_A, learned + ArpCache.DEFAULT_LIFETIME_MICROS + 10_000_000))
                .isEqualTo(Fixtures.MAC_A.bits());
    }

    @Test
    void ipTrafficNeverChangesACachedMac() {
        Rig rig = new Rig();
        rig.receive(KERNEL_REQUEST);
        byte[] fromElsewhere = frame("icmp.pcap", 1);
        smol.wire.Bytes.putU48(fromElsewhere, 6, 0x02_00_00_00_00_09L);
        rig.now += 1_000;
        rig.receive(fromElsewhere);

        assertThat(rig.iface.arpCache().lookup(IP_A, rig.now)).isEqualTo(Fixtures.MAC_A.bits());
    }

    @Test
    void sendAfterTheEntryExpiredAsksAgain() {
        Rig rig = new Rig();
        rig.receive(KERNEL_REQUEST);
        smol.wire.UdpRepr udp = new smol.wire.UdpRepr().srcPort(1).dstPort(2).payload(new byte[1], 0, 1);

        rig.now += ArpCache.DEFAULT_LIFETIME_MICROS - 1;
        rig.iface.poll(rig.now);
        assertThat(rig.iface.ipSender().send(new smol.wire.Ipv4Repr().dst(IP_A), udp))
                .isEqualTo(smol.socket.driver.SendOutcome.SENT);
        rig.now += 1;
        rig.iface.poll(rig.now);
        assertThat(rig.iface.ipSender().send(new smol.wire.Ipv4Repr().dst(IP_A), udp))
                .isEqualTo(smol.socket.driver.SendOutcome.NEIGHBOUR_PENDING);

        List<byte[]> out = rig.device.takeTransmitted();
        assertThat(out).hasSize(2);
        assertThat(hex(out.get(1))).isEqualTo(hex(arp("ffffffffffff", "020000000002", 1, "020000000002",
                "10.99.0.2", "000000000000", "10.99.0.1")));
    }

    @Test
    void requestPaddedToTheEthernetMinimumIsAnswered() {
        Rig rig = new Rig();

        List<byte[]> out = rig.receive(java.util.Arrays.copyOf(KERNEL_REQUEST, 60));

        assertThat(out).extracting(Fixtures::hex).containsExactly(hex(KERNEL_REPLY));
    }

    @Test
    void senderClaimingOurAddressIsNotLearnedNorAnswered() {
        Rig rig = new Rig();
        byte[] conflict = arp("ffffffffffff", "020000000001", 1, "020000000001", "10.99.0.2", "000000000000",
                "10.99.0.2");

        assertThat(rig.receive(conflict)).isEmpty();
        assertThat(rig.stats().drops(IfaceDrop.BAD_SOURCE)).isEqualTo(1);
    }

    @Test
    void requestFromOutsideOurSubnetsIsAnsweredButNotLearned() {
        Rig rig = new Rig();
        byte[] request = arp("ffffffffffff", "020000000007", 1, "020000000007", "192.168.1.7", "000000000000",
                "10.99.0.2");

        List<byte[]> out = rig.receive(request);

        assertThat(out).hasSize(1);
        assertThat(hex(out.get(0))).isEqualTo(hex(arp("020000000007", "020000000002", 2, "020000000002",
                "10.99.0.2", "020000000007", "192.168.1.7")));
        assertThat(rig.iface.arpCache().size(rig.now)).isZero();
    }

    @Test
    void ourRequestsForOneAddressAreRateLimitedToOnePerSecond() {
        Rig rig = new Rig();
        TestSockets.UdpSender sender = new TestSockets.UdpSender().to(IP_A, 4444, 5555, new byte[] {1, 2, 3});
        rig.add(sender);
        byte[] expectedRequest = arp("ffffffffffff", "020000000002", 1, "020000000002", "10.99.0.2",
                "000000000000", "10.99.0.1");

        long deadline = rig.poll();
        assertThat(rig.device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(hex(expectedRequest));
        assertThat(sender.results).containsExactly(NEIGHBOUR_PENDING);
        // held back until the request's silence ends, instead of spinning
        assertThat(deadline).isEqualTo(rig.now + 1_000_000);

        rig.now += 999_999;
        rig.poll();
        assertThat(rig.device.takeTransmitted()).isEmpty();
        assertThat(sender.dispatches).isEqualTo(1);

        rig.now += 1;
        rig.poll();
        assertThat(rig.device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(hex(expectedRequest));
        assertThat(sender.results).containsExactly(NEIGHBOUR_PENDING, NEIGHBOUR_PENDING);
        assertThat(rig.stats().arpRequestsSent()).isEqualTo(2);
        assertThat(rig.stats().drops(IfaceDrop.NEIGHBOUR_UNRESOLVED)).isEqualTo(2);
    }

    @Test
    void aHeldBackSocketSendsAsSoonAsTheReplyArrives() {
        Rig rig = new Rig();
        TestSockets.UdpSender sender = new TestSockets.UdpSender().to(IP_A, 5555, 4444, "hello!".getBytes());
        rig.add(sender);
        rig.poll();
        rig.device.takeTransmitted();

        rig.now += 300;
        List<byte[]> out = rig.receive(
                arp("020000000002", "020000000001", 2, "020000000001", "10.99.0.1", "020000000002", "10.99.0.2"));

        assertThat(sender.results).containsExactly(NEIGHBOUR_PENDING, SENT);
        assertThat(out).hasSize(1);
        // udp.pcap #2 is the kernel's datagram 10.99.0.2:5555 -> 10.99.0.1:4444 "hello!"; ours is the same
        // frame but for the identification (our first packet: 0) and Don't Fragment (we leave it clear)
        assertThat(hex(out.get(0))).isEqualTo(hex(Fixtures.withIdentificationAndFlags(frame("udp.pcap", 2), 0, 0)));
    }

    @Test
    void attachingAnnouncesEveryAddressWithAGratuitousArp() {
        InterfaceConfig config = Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B)
                .address(Ipv4Cidr.parse("192.168.7.1/24")).build();
        Interface iface = new Interface(config, new smol.socket.SocketSet(1));
        RecordingDevice device = new RecordingDevice();

        iface.attach(device);
        long deadline = iface.poll(0);

        // RFC 5227 §3 announcement: a request, sender IP = target IP, target MAC zero, to broadcast
        assertThat(device.takeTransmitted()).extracting(Fixtures::hex).containsExactly(
                hex(arp("ffffffffffff", "020000000002", 1, "020000000002", "10.99.0.2", "000000000000",
                        "10.99.0.2")),
                hex(arp("ffffffffffff", "020000000002", 1, "020000000002", "192.168.7.1", "000000000000",
                        "192.168.7.1")));
        assertThat(iface.statistics().arpAnnouncementsSent()).isEqualTo(2);
        assertThat(deadline).isEqualTo(Long.MAX_VALUE);

        iface.poll(1);
        assertThat(device.takeTransmitted()).isEmpty();
    }

    @Test
    void announcementRefusedByABusyDeviceIsRetriedOnTheNextPoll() {
        Interface iface = new Interface(
                Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new smol.socket.SocketSet(1));
        RecordingDevice device = new RecordingDevice();
        device.refuseTransmit(true);
        iface.attach(device);

        assertThat(iface.poll(0)).isZero();
        assertThat(iface.statistics().drops(IfaceDrop.DEVICE_BUSY)).isEqualTo(1);

        device.refuseTransmit(false);
        assertThat(iface.poll(10)).isEqualTo(Long.MAX_VALUE);
        assertThat(device.takeTransmitted()).hasSize(1);
    }

    @Test
    void reattachingAnnouncesAgainAndForgetsNeighbours() {
        Rig rig = new Rig();
        rig.receive(KERNEL_REQUEST);
        rig.iface.detach();
        RecordingDevice other = new RecordingDevice();

        rig.iface.attach(other);
        rig.iface.poll(rig.now);

        assertThat(other.takeTransmitted()).hasSize(1);
        assertThat(rig.iface.arpCache().lookup(IP_A, rig.now)).isEqualTo(ArpCache.NO_ENTRY);
        assertThat(EthernetAddress.of(rig.iface.mac().bits())).isEqualTo(Fixtures.MAC_B);
    }

    @Test
    void requestForASecondAddressIsAnsweredFromThatAddress() {
        Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B)
                .address(Ipv4Cidr.parse("192.168.7.1/24")).build(), new RecordingDevice());
        byte[] request = arp("ffffffffffff", "020000000009", 1, "020000000009", "192.168.7.9", "000000000000",
                "192.168.7.1");

        List<byte[]> out = rig.receive(request);

        assertThat(out).extracting(Fixtures::hex).containsExactly(hex(arp("020000000009", "020000000002", 2,
                "020000000002", "192.168.7.1", "020000000009", "192.168.7.9")));
        assertThat(rig.iface.arpCache().lookup(Ipv4Address.parse("192.168.7.9").bits(), rig.now))
                .isEqualTo(0x02_00_00_00_00_09L);
    }
}
