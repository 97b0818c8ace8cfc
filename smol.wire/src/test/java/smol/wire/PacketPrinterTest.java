package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

    /** A segment with data whose options are all there: MSS, SACK-permitted, timestamps and window scale. */
    static byte[] dataSegmentWithEveryOption() {
        byte[] data = "hello\n".getBytes();
        return tcpFrame(new TcpRepr().srcPort(40000).dstPort(6969).seq((int) 3981643245L).ack(1234567)
                .flags(TcpFlags.SYN | TcpFlags.ACK | TcpFlags.PSH).window(64240).mss(1460).sackPermitted(true)
                .timestamps(5, 9).windowScale(7).payload(data, 0, data.length));
    }

    /**
     * Returns {@code frame} with its TCP or UDP checksum as Linux hands the frame to a card that
     * computes it (checksum offload): the sum of the pseudo-header only, which does not verify.
     */
    static byte[] offloaded(byte[] frame) {
        Ipv4Packet ip = new Ipv4Packet().wrap(frame, 14, frame.length - 14);
        int checksumAt = ip.payloadOffset() + (ip.protocol() == IpProtocol.TCP ? 16 : 6);
        Bytes.putU16(frame, checksumAt,
                Checksum.fold(Checksum.pseudoHeaderIpv4(ip.src(), ip.dst(), ip.protocol(), ip.payloadLength())));
        return frame;
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
    void badTcpChecksumIsNamedAndEveryFieldFollows() {
        byte[] frame = synFrame();
        frame[frame.length - 1] ^= 0x01; // the last option byte (wscale 7 becomes 6): the checksum no longer verifies
        assertThat(print(frame)).endsWith("    TCP (bad checksum) src=40000 dst=6969 syn seq=3981643245 ack=0 win=64240"
                + " len=0 mss=1460 sack-permitted wscale=6 ts=5,0\n");
    }

    @Test
    void tcpChecksumLeftToTheCardIsBadInAFileAndEveryFieldFollows() {
        assertThat(print(offloaded(dataSegmentWithEveryOption()))).isEqualTo("""
                EthernetII src=02-00-00-00-00-01 dst=02-00-00-00-00-02 type=ipv4
                  IPv4 src=10.99.0.1 dst=10.99.0.2 proto=tcp ttl=64 id=7 len=46 df
                    TCP (bad checksum) src=40000 dst=6969 syn psh ack seq=3981643245 ack=1234567 win=64240 \
                len=6 mss=1460 sack-permitted wscale=7 ts=5,9
                """);
    }

    @Test
    void tcpChecksumSaidToBeOffloadedIsMarkedSoAndEveryFieldFollows() {
        byte[] frame = offloaded(dataSegmentWithEveryOption());
        assertThat(PacketPrinter.print(frame, 0, frame.length, true)).endsWith("    TCP (checksum offloaded) src=40000"
                + " dst=6969 syn psh ack seq=3981643245 ack=1234567 win=64240 len=6 mss=1460 sack-permitted wscale=7"
                + " ts=5,9\n");
    }

    @Test
    void rightChecksumSaidToBeOffloadedIsNotMarked() {
        for (byte[] frame : new byte[][] {dataSegmentWithEveryOption(), udpFrame("yo dawg".getBytes())}) {
            String listing = PacketPrinter.print(frame, 0, frame.length, true);
            assertThat(listing).isEqualTo(print(frame)).doesNotContain("(");
        }
    }

    @Test
    void badUdpChecksumIsNamedAndEveryFieldFollows() {
        byte[] frame = offloaded(udpFrame("yo dawg".getBytes()));
        assertThat(print(frame)).endsWith("    UDP (bad checksum) src=53 dst=6969 len=7\n");
        assertThat(PacketPrinter.print(frame, 0, frame.length, true))
                .endsWith("    UDP (checksum offloaded) src=53 dst=6969 len=7\n");
    }

    @Test
    void udpWithoutChecksumIsNotMarked() {
        byte[] frame = udpFrame("yo dawg".getBytes());
        Bytes.putU16(frame, 34 + 6, 0); // RFC 768: zero means the sender computed none
        assertThat(print(frame)).endsWith("    UDP src=53 dst=6969 len=7\n");
        assertThat(PacketPrinter.print(frame, 0, frame.length, true)).isEqualTo(print(frame));
    }

    @Test
    void badIpv4HeaderChecksumIsNamedAndTheLayersBelowAreListed() {
        byte[] frame = synFrame();
        frame[14 + 10] ^= 0x10;
        String listing = print(frame);
        assertThat(listing).contains("  IPv4 (bad checksum) src=10.99.0.1 dst=10.99.0.2 proto=tcp ttl=64 id=7 len=40 df\n");
        assertThat(listing).endsWith("    TCP src=40000 dst=6969 syn seq=3981643245 ack=0 win=64240 len=0 mss=1460"
                + " sack-permitted wscale=7 ts=5,0\n");
        // The IPv4 header checksum is never left to the card: offloaded or not, it is bad.
        assertThat(PacketPrinter.print(frame, 0, frame.length, true)).isEqualTo(listing);
    }

    @Test
    void badIcmpChecksumIsNamedAndEveryFieldFollows() {
        byte[] data = "ping".getBytes();
        Icmpv4Repr echo = new Icmpv4Repr().echoRequest(0x1234, 7, data, 0, data.length);
        byte[] frame = new byte[14 + 20 + echo.bufferLength()];
        new EthernetRepr().source(MAC_A).destination(MAC_B).etherType(EtherType.IPV4)
                .emit(new EthernetFrame().wrap(frame, 0, frame.length));
        new Ipv4Repr().src(IP_A).dst(IP_B).protocol(IpProtocol.ICMP).ttl(64).payloadLength(echo.bufferLength())
                .emit(new Ipv4Packet().wrap(frame, 14, 20 + echo.bufferLength()), true);
        echo.emit(new Icmpv4Packet().wrap(frame, 34, echo.bufferLength()), true);
        frame[34 + 2] ^= 0x55;
        assertThat(print(frame)).endsWith("    ICMPv4 (bad checksum) echo request id=4660 seq=7 len=4\n");
        // Only TCP and UDP checksums are left to the card.
        assertThat(PacketPrinter.print(frame, 0, frame.length, true)).isEqualTo(print(frame));
    }

    @Test
    void badTcpOptionIsMalformedAndSaysSo() {
        byte[] frame = synFrame();
        frame[34 + 21] = 0; // the MSS option's length byte
        new TcpPacket().wrap(frame, 34, frame.length - 34).fillChecksum(IP_A, IP_B);
        assertThat(print(frame)).endsWith("    TCP (bad option) src=40000 dst=6969 syn seq=3981643245 ack=0 win=64240"
                + " len=0\n");
    }

    @Test
    void loopbackCaptureListsEveryFieldOfEveryTcpSegmentThoughNoChecksumVerifies() throws IOException {
        // tcp-lo.pcap (fixtures/capture-lo.sh): lo leaves every TCP checksum to a card it does not have.
        List<String> lines = tcpLines(false);
        assertThat(lines).hasSize(10).allSatisfy(line -> assertThat(line)
                .matches("    TCP \\(bad checksum\\) src=(40000 dst=7000|7000 dst=40000) .* win=\\d+ len=\\d+ .*ts=\\d+,\\d+"));
        assertThat(lines.get(0)).contains(" syn seq=").contains(" ack=0 win=65495 len=0 mss=65495 sack-permitted wscale=10 ts=");
        assertThat(lines.get(1)).contains(" syn ack seq=").contains(" mss=65495 sack-permitted wscale=10 ts=");
        assertThat(lines.stream().filter(line -> line.contains(" len=6 "))).hasSize(2);
        assertThat(lines.stream().filter(line -> line.contains(" fin "))).hasSize(2);
    }

    @Test
    void loopbackCaptureSaidToBeOffloadedMarksEveryTcpSegmentSo() throws IOException {
        List<String> offloaded = tcpLines(true);
        List<String> bad = tcpLines(false);
        assertThat(offloaded).hasSize(bad.size()).allMatch(line -> line.startsWith("    TCP (checksum offloaded) src="));
        for (int i = 0; i < bad.size(); i++) {
            assertThat(offloaded.get(i).replace("(checksum offloaded)", "(bad checksum)")).isEqualTo(bad.get(i));
        }
    }

    /** Returns the TCP line of each frame of tcp-lo.pcap, listed with {@code checksumOffloaded}. */
    static List<String> tcpLines(boolean checksumOffloaded) throws IOException {
        List<String> lines = new ArrayList<>();
        for (PcapngReaderTest.Frame f : PcapngReaderTest.readAll(PcapFixturesTest.fixture("tcp-lo.pcap"))) {
            PacketPrinter.print(f.bytes(), 0, f.capturedLength(), checksumOffloaded).lines()
                    .filter(line -> line.trim().startsWith("TCP")).forEach(lines::add);
        }
        return lines;
    }

    @Property
    void offloadedChangesOnlyTheTransportChecksumMarker(@ForAll @IntRange(max = 200) int position, @ForAll byte value) {
        for (byte[] frame : new byte[][] {dataSegmentWithEveryOption(), udpFrame("yo dawg".getBytes())}) {
            frame[position % frame.length] = value;
            String offloaded = PacketPrinter.print(frame, 0, frame.length, true);
            assertThat(offloaded.replace("(checksum offloaded)", "(bad checksum)")).isEqualTo(print(frame));
            assertListingIsWellFormed(frame, 0, frame.length);
        }
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
