package smol.benchmarks;

import java.net.Inet4Address;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pcap4j.packet.ArpPacket.ArpHeader;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.TcpPacket.TcpHeader;
import smol.wire.ArpPacket;
import smol.wire.ArpRepr;
import smol.wire.EtherType;
import smol.wire.EthernetFrame;
import smol.wire.EthernetRepr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;
import smol.wire.TcpFlags;
import smol.wire.TcpPacket;
import smol.wire.TcpRepr;

/**
 * The wire layer's per-frame cost: parse a full-size Ethernet/IPv4/TCP frame and an ARP frame with every
 * checksum verified, and emit a TCP segment with its checksums; pcap4j parsing the same frames is the
 * reference. Run with {@code -prof gc}: the target for smol is 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WireBenchmark {
    static final long MAC_A = 0x02_00_00_00_00_01L;
    static final long MAC_B = 0x02_00_00_00_00_02L;
    static final int IP_A = 0x0a_63_00_01;
    static final int IP_B = 0x0a_63_00_02;
    /** A full Ethernet frame: 14 + 20 + 32 (TCP with timestamps) + 1448 payload = 1514 bytes. */
    static final int PAYLOAD = 1448;

    final byte[] tcpFrame = new byte[1514];
    final byte[] arpFrame = new byte[60];
    final byte[] out = new byte[1514];
    final byte[] payload = new byte[PAYLOAD];

    final EthernetFrame ethernetFrame = new EthernetFrame();
    final EthernetRepr ethernet = new EthernetRepr();
    final Ipv4Packet ipv4Packet = new Ipv4Packet();
    final Ipv4Repr ipv4 = new Ipv4Repr();
    final TcpPacket tcpPacket = new TcpPacket();
    final TcpRepr tcp = new TcpRepr();
    final ArpPacket arpPacket = new ArpPacket();
    final ArpRepr arp = new ArpRepr();

    final TcpRepr outTcp = new TcpRepr();
    final Ipv4Repr outIpv4 = new Ipv4Repr();
    final EthernetRepr outEthernet = new EthernetRepr();
    int seq;

    /** Builds the frames and checks that both parsers accept them and agree on what they hold. */
    @Setup
    public void setUp() throws Exception {
        for (int i = 0; i < PAYLOAD; i++) {
            payload[i] = (byte) (i * 7);
        }
        outEthernet.source(MAC_A).destination(MAC_B).etherType(EtherType.IPV4);
        outTcp.srcPort(40000).dstPort(6969).seq(1_000_000).ack(2_000_000).flags(TcpFlags.ACK | TcpFlags.PSH)
                .window(501).timestamps(123456, 654321).payload(payload, 0, PAYLOAD);
        outIpv4.src(IP_A).dst(IP_B).protocol(IpProtocol.TCP).ttl(64).dontFragment(true)
                .payloadLength(outTcp.bufferLength());
        int n = emitTcpFrame(tcpFrame);
        if (n != tcpFrame.length) {
            throw new IllegalStateException("frame is " + n + " bytes, not 1514");
        }
        new ArpRepr().request(MAC_A, IP_A, IP_B).emit(arpPacket.wrap(arpFrame, 14, 28));
        new EthernetRepr().source(MAC_A).destination(-1L).etherType(EtherType.ARP)
                .emit(ethernetFrame.wrap(arpFrame, 0, 60));

        // Both parsers must accept the frames and agree on what they hold.
        if (parseTcpFrame() != 40000 + 6969 + PAYLOAD || parseArpFrame() != ArpPacket.REQUEST) {
            throw new IllegalStateException("smol does not parse the benchmark frames");
        }
        if (pcap4jParseTcpFrame() != 40000 + 6969 + PAYLOAD || pcap4jParseArpFrame() != 1) {
            throw new IllegalStateException("pcap4j does not parse the benchmark frames");
        }
    }

    /** Writes Ethernet + IPv4 + TCP into {@code frame} with all checksums; returns the frame length. */
    int emitTcpFrame(byte[] frame) {
        int ipLength = 20 + outTcp.bufferLength();
        outEthernet.emit(ethernetFrame.wrap(frame, 0, 14 + ipLength));
        outIpv4.emit(ipv4Packet.wrap(frame, 14, ipLength), true);
        outTcp.emit(tcpPacket.wrap(frame, 14 + 20, outTcp.bufferLength()), IP_A, IP_B, true);
        return 14 + ipLength;
    }

    /** smol: Ethernet, IPv4 (header checksum verified) and TCP (checksum verified) reprs from the 1514-byte frame. */
    @Benchmark
    public int parseTcpFrame() {
        EthernetFrame f = ethernetFrame.wrap(tcpFrame, 0, tcpFrame.length);
        if (ethernet.parse(f) != null) {
            return -1;
        }
        Ipv4Packet ip = ipv4Packet.wrap(tcpFrame, f.payloadOffset(), f.payloadLength());
        if (ipv4.parse(ip, true) != null) {
            return -2;
        }
        if (tcp.parse(tcpPacket.wrap(tcpFrame, ip.payloadOffset(), ip.payloadLength()), ipv4.src(), ipv4.dst(), true) != null) {
            return -3;
        }
        return tcp.srcPort() + tcp.dstPort() + tcp.payloadLength();
    }

    /** smol: Ethernet and ARP reprs from a 60-byte ARP request. */
    @Benchmark
    public int parseArpFrame() {
        EthernetFrame f = ethernetFrame.wrap(arpFrame, 0, arpFrame.length);
        if (ethernet.parse(f) != null) {
            return -1;
        }
        if (arp.parse(arpPacket.wrap(arpFrame, f.payloadOffset(), f.payloadLength())) != null) {
            return -2;
        }
        return arp.operation();
    }

    /** smol: emits a full-size Ethernet/IPv4/TCP frame with both checksums (the payload is copied in). */
    @Benchmark
    public int emitTcpSegment() {
        outTcp.seq(seq += PAYLOAD);
        return emitTcpFrame(out);
    }

    /** pcap4j: parses the same 1514-byte frame and verifies the IPv4 and TCP checksums. */
    @Benchmark
    public int pcap4jParseTcpFrame() throws IllegalRawDataException {
        EthernetPacket frame = EthernetPacket.newPacket(tcpFrame, 0, tcpFrame.length);
        IpV4Packet ip = frame.get(IpV4Packet.class);
        org.pcap4j.packet.TcpPacket segment = frame.get(org.pcap4j.packet.TcpPacket.class);
        if (ip == null || segment == null || !ip.getHeader().hasValidChecksum(false)) {
            return -1;
        }
        Inet4Address src = ip.getHeader().getSrcAddr();
        Inet4Address dst = ip.getHeader().getDstAddr();
        if (!segment.hasValidChecksum(src, dst, false)) {
            return -2;
        }
        TcpHeader h = segment.getHeader();
        return h.getSrcPort().valueAsInt() + h.getDstPort().valueAsInt() + segment.getPayload().length();
    }

    /** pcap4j: parses the same ARP frame. */
    @Benchmark
    public int pcap4jParseArpFrame() throws IllegalRawDataException {
        EthernetPacket frame = EthernetPacket.newPacket(arpFrame, 0, arpFrame.length);
        org.pcap4j.packet.ArpPacket a = frame.get(org.pcap4j.packet.ArpPacket.class);
        if (a == null) {
            return -1;
        }
        ArpHeader h = a.getHeader();
        return h.getOperation().value();
    }

    /** Runs the wire benchmarks from an IDE or {@code java -cp benchmarks.jar smol.benchmarks.WireBenchmark}. */
    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(new String[] {WireBenchmark.class.getSimpleName(), "-prof", "gc"});
    }
}
