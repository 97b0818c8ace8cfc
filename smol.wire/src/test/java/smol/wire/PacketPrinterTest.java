package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PacketPrinterTest {
    static final long MAC_A = 0x02_00_00_00_00_01L;
    static final long MAC_B = 0x02_00_00_00_00_02L;
    static final int IP_A = 0x0a_63_00_01;
    static final int IP_B = 0x0a_63_00_02;

    /** Builds Ethernet + IPv4 + TCP with all checksums filled. */
    static byte[] tcpFrame(TcpRepr tcp) {
        Ipv4Repr ip = new Ipv4Repr().src(IP_A).dst(IP_B).protocol(IpProtocol.TCP).ttl(64).identification(7)
                .dontFragment(true).payloadLength(tcp.bufferLength());
        byte[] frame = new byte[14 + 20 + tcp.bufferLength()];
        new EthernetRepr().source(MAC_A).destination(MAC_B).etherType(EtherType.IPV4)
                .emit(new EthernetFrame().wrap(frame, 0, frame.length));
        ip.emit(new Ipv4Packet().wrap(frame, 14, 20 + tcp.bufferLength()), true);
        tcp.emit(new TcpPacket().wrap(frame, 34, tcp.bufferLength()), IP_A, IP_B, true);
        return frame;
    }

    static byte[] synFrame() {
        return tcpFrame(new TcpRepr().srcPort(40000).dstPort(6969).seq((int) 3981643245L).flags(TcpFlags.SYN)
                .window(64240).mss(1460).sackPermitted(true).timestamps(5, 0).windowScale(7));
    }

    static byte[] udpFrame(byte[] payload) {
        UdpRepr udp = new UdpRepr().srcPort(53).dstPort(6969).payload(payload, 0, payload.length);
        byte[] frame = new byte[14 + 20 + udp.bufferLength()];
        new EthernetRepr().source(MAC_A).destination(MAC_B).etherType(EtherType.IPV4)
                .emit(new EthernetFrame().wrap(frame, 0, frame.length));
        new Ipv4Repr().src(IP_A).dst(IP_B).protocol(IpProtocol.UDP).ttl(64).payloadLength(udp.bufferLength())
                .emit(new Ipv4Packet().wrap(frame, 14, 20 + udp.bufferLength()), true);
        udp.emit(new UdpPacket().wrap(frame, 34, udp.bufferLength()), IP_A, IP_B, true);
        return frame;
    }

    static String print(byte[] frame) {
        return PacketPrinter.print(frame, 0, frame.length);
    }

    @Test
    void tcpSynListsEveryLayerIndented() {
        assertThat(print(synFrame())).isEqualTo("""
                EthernetII src=02-00-00-00-00-01 dst=02-00-00-00-00-02 type=ipv4
                  IPv4 src=10.99.0.1 dst=10.99.0.2 proto=tcp ttl=64 id=7 len=40 df
                    TCP src=40000 dst=6969 syn seq=3981643245 ack=0 win=64240 len=0 mss=1460 sack-permitted wscale=7 ts=5,0
                """);
    }

    @Test
    void udpDatagramShowsPortsAndPayloadLength() {
        assertThat(print(udpFrame("yo dawg".getBytes()))).endsWith("    UDP src=53 dst=6969 len=7\n");
    }

    @Test
    void arpRequestShowsOperationAndBothAddressPairs() {
        byte[] frame = new byte[60];
        new EthernetRepr().source(MAC_A).destination(-1L).etherType(EtherType.ARP)
                .emit(new EthernetFrame().wrap(frame, 0, 60));
        new ArpRepr().request(MAC_A, IP_A, IP_B).emit(new ArpPacket().wrap(frame, 14, 28));
        assertThat(print(frame)).isEqualTo("""
                EthernetII src=02-00-00-00-00-01 dst=ff-ff-ff-ff-ff-ff type=arp
                  ARP request src=02-00-00-00-00-01/10.99.0.1 tgt=00-00-00-00-00-00/10.99.0.2
                """);
    }

    @Test
    void badTcpChecksumIsNamedWithTheFieldsThatCouldBeRead() {
        byte[] frame = synFrame();
        frame[frame.length - 1] ^= 0x01; // the last option byte: the checksum no longer verifies
        assertThat(print(frame)).contains("    TCP (bad checksum) src=40000 dst=6969 syn seq=3981643245 ack=0 win=64240\n");
    }

    @Test
    void badIpv4HeaderChecksumStopsTheListingAtIpv4() {
        byte[] frame = synFrame();
        frame[14 + 10] ^= 0x10;
        String listing = print(frame);
        assertThat(listing).contains("  IPv4 (bad checksum) src=10.99.0.1 dst=10.99.0.2 proto=tcp ttl=64\n");
        assertThat(listing).doesNotContain("TCP");
    }

    @Test
    void wrongIpVersionIsReported() {
        byte[] frame = synFrame();
        frame[14] = 0x65;
        assertThat(print(frame)).contains("  IPv4 (bad version) version=6 ");
    }

    @Test
    void truncatedTransportHeaderIsReported() {
        byte[] frame = synFrame();
        // IPv4 says 40 bytes follow; only 10 are there.
        assertThat(PacketPrinter.print(frame, 0, 14 + 30)).contains("  IPv4 (truncated) src=10.99.0.1");
        Bytes.putU16(frame, 14 + 2, 30);
        new Ipv4Packet().wrap(frame, 14, 30).fillChecksum();
        assertThat(PacketPrinter.print(frame, 0, 14 + 30)).endsWith("    TCP (truncated)\n");
    }

    @Test
    void runtFrameIsAParenthesisedReasonAtColumnZero() {
        assertThat(PacketPrinter.print(new byte[10], 0, 10)).isEqualTo("(too short for Ethernet: 10 bytes)\n");
    }

    @Test
    void vlanTaggedAndIeee8023FramesAreUnsupportedNotMisparsed() {
        byte[] frame = synFrame();
        Bytes.putU16(frame, 12, EtherType.VLAN);
        assertThat(print(frame)).startsWith("EthernetII (unsupported 802.1q tag) src=02-00-00-00-00-01")
                .doesNotContain("IPv4");
        Bytes.putU16(frame, 12, 46);
        assertThat(print(frame)).startsWith("EthernetII (unsupported 802.3 length field)").contains("length=46")
                .doesNotContain("IPv4");
    }

    @Test
    void fragmentsAreRecognisedAndNotDecodedFurther() {
        byte[] frame = udpFrame(new byte[100]);
        Ipv4Packet ip = new Ipv4Packet().wrap(frame, 14, frame.length - 14);
        ip.setMoreFragments(true);
        ip.fillChecksum();
        assertThat(print(frame)).contains(" mf\n").endsWith("    UDP src=53 dst=6969 len=100 (first fragment)\n");
        ip.setFragmentOffset(1480);
        ip.fillChecksum();
        assertThat(print(frame)).contains(" mf offset=1480\n").endsWith("    (fragment, not reassembled) len=108\n");
    }

    @Test
    void portUnreachableListsTheQuotedDatagram() {
        byte[] offending = udpFrame("hello".getBytes());
        Icmpv4Repr icmp = new Icmpv4Repr().destinationUnreachable(Icmpv4Packet.PORT_UNREACHABLE, offending, 14,
                offending.length - 14);
        byte[] frame = new byte[14 + 20 + icmp.bufferLength()];
        new EthernetRepr().source(MAC_B).destination(MAC_A).etherType(EtherType.IPV4)
                .emit(new EthernetFrame().wrap(frame, 0, frame.length));
        new Ipv4Repr().src(IP_B).dst(IP_A).protocol(IpProtocol.ICMP).ttl(64).payloadLength(icmp.bufferLength())
                .emit(new Ipv4Packet().wrap(frame, 14, 20 + icmp.bufferLength()), true);
        icmp.emit(new Icmpv4Packet().wrap(frame, 34, icmp.bufferLength()), true);
        assertThat(print(frame)).endsWith("""
                    ICMPv4 destination unreachable (port unreachable)
                      IPv4 src=10.99.0.1 dst=10.99.0.2 proto=udp ttl=64 (quoted)
                        UDP src=53 dst=6969 len=5 (quoted)
                """);
    }

    @Property
    void anyBytesGiveAListingThatStartsAtColumnZero(@ForAll @Size(max = 200) byte[] bytes) {
        assertListingIsWellFormed(bytes, 0, bytes.length);
    }

    @Property
    void mutatedFramesNeverBreakThePrinter(@ForAll @IntRange(max = 200) int position, @ForAll byte value,
            @ForAll @IntRange(max = 200) int cut) {
        for (byte[] frame : new byte[][] {synFrame(), udpFrame("yo dawg".getBytes())}) {
            frame[position % frame.length] = value;
            assertListingIsWellFormed(frame, 0, Math.min(cut, frame.length));
        }
    }

    static void assertListingIsWellFormed(byte[] bytes, int off, int len) {
        String listing = PacketPrinter.print(bytes, off, len);
        assertThat(listing).doesNotContain("printer error").endsWith("\n");
        String[] lines = listing.split("\n");
        assertThat(lines[0]).matches("(EthernetII|\\().*");
        for (int i = 1; i < lines.length; i++) {
            assertThat(lines[i]).startsWith("  ");
        }
    }
}
