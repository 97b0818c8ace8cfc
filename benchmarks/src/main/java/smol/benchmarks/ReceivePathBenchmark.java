package smol.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceStatistics;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.SocketSet;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.socket.driver.InitialSequence;
import smol.wire.ArpPacket;
import smol.wire.ArpRepr;
import smol.wire.Bytes;
import smol.wire.EtherType;
import smol.wire.EthernetAddress;
import smol.wire.EthernetFrame;
import smol.wire.EthernetRepr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Cidr;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;
import smol.wire.TcpFlags;
import smol.wire.TcpPacket;
import smol.wire.TcpRepr;
import smol.wire.UdpPacket;
import smol.wire.UdpRepr;

/**
 * The stack's per-packet receive path: one {@link Interface#poll} that takes one full-size (1514-byte)
 * frame from a device and delivers it to a socket, and the application reading the payload back.
 * <ul>
 *   <li>{@link #tcpSegment}: an Ethernet/IPv4/TCP data segment (1460 bytes of payload) in sequence for
 *       an ESTABLISHED {@link TcpSocket}; the poll also sends the ACK it calls for (no delayed ACK).</li>
 *   <li>{@link #udpDatagram}: an Ethernet/IPv4/UDP datagram (1472 bytes of payload) to a bound
 *       {@link UdpSocket}.</li>
 * </ul>
 * With {@code checksums=ALL} the stack verifies every checksum (and fills the ACK's), as on a real link;
 * with {@code NONE} it skips them, as on an in-memory device. Run with {@code -prof gc}: the target is
 * 0 B/op. After each iteration the run fails if a frame was dropped, so that a figure never measures a
 * shorter path than it claims.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReceivePathBenchmark {
    static final long MAC_PEER = 0x02_00_00_00_00_01L;
    static final long MAC_US = 0x02_00_00_00_00_02L;
    static final int IP_PEER = 0x0a_63_00_01;
    static final int IP_US = 0x0a_63_00_02;
    static final int PEER_PORT = 40000;
    static final int OUR_PORT = 6969;
    static final int FRAME = 1514;
    static final int TCP_PAYLOAD = FRAME - 14 - 20 - 20;
    static final int UDP_PAYLOAD = FRAME - 14 - 20 - 8;
    /** The poll's time: constant, so that no timer (ARP entry, retransmission) expires during a run. */
    static final long NOW = 1_000_000;

    /** An interface with one ESTABLISHED TCP connection and the next in-sequence segment ready. */
    @State(Scope.Thread)
    public static class TcpPath {
        @Param({"ALL", "NONE"})
        public String checksums;

        FrameFeeder device;
        Interface iface;
        TcpSocket socket;
        final byte[] segment = new byte[FRAME];
        final byte[] readBuffer = new byte[65536];
        int nextSeq;
        long segments;

        /** Builds the interface, its socket and the frame fed to it. */
        @Setup
        public void setUp() {
            device = new FrameFeeder(DeviceCapabilities.ethernet(1500, checksumCapabilities(checksums)));
            SocketSet sockets = new SocketSet(1);
            socket = new TcpSocket(65536, 65536);
            sockets.add(socket);
            iface = newInterface(sockets, device);
            socket.listen(OUR_PORT);

            // RFC 793 three-way handshake, the peer active: SYN, our SYN-ACK, ACK.
            int peerIss = 1_000_000;
            TcpRepr tcp = new TcpRepr().srcPort(PEER_PORT).dstPort(OUR_PORT).seq(peerIss).flags(TcpFlags.SYN)
                    .window(65535).mss(1460);
            byte[] frame = new byte[FRAME];
            device.feed(frame, tcpFrame(frame, tcp));
            iface.poll(NOW);
            TcpRepr synAck = new TcpRepr();
            byte[] out = device.lastTransmitted();
            if (synAck.parse(new TcpPacket().wrap(out, 34, device.lastTransmittedLength() - 34), IP_US, IP_PEER,
                    false) != null || synAck.flags() != (TcpFlags.SYN | TcpFlags.ACK)) {
                throw new IllegalStateException("no SYN-ACK to the benchmark's SYN");
            }
            int ourIss = synAck.seq();
            tcp.clear().srcPort(PEER_PORT).dstPort(OUR_PORT).seq(peerIss + 1).ack(ourIss + 1).flags(TcpFlags.ACK)
                    .window(65535);
            device.feed(frame, tcpFrame(frame, tcp));
            iface.poll(NOW);
            if (socket.state() != TcpState.ESTABLISHED) {
                throw new IllegalStateException("handshake did not complete: " + socket);
            }

            byte[] payload = new byte[TCP_PAYLOAD];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 7);
            }
            nextSeq = peerIss + 1;
            tcp.flags(TcpFlags.ACK | TcpFlags.PSH).payload(payload, 0, payload.length);
            if (tcpFrame(segment, tcp) != FRAME) {
                throw new IllegalStateException("the data segment is not " + FRAME + " bytes");
            }
        }

        /** Writes Ethernet, IPv4 and {@code tcp} from the peer to us into {@code frame}; returns its length. */
        static int tcpFrame(byte[] frame, TcpRepr tcp) {
            int length = tcp.bufferLength();
            int at = ipv4Header(frame, IpProtocol.TCP, length);
            tcp.emit(new TcpPacket().wrap(frame, at, length), IP_PEER, IP_US, true);
            return at + length;
        }

        /** Fails the iteration when a frame was dropped or data went missing: the numbers would measure nothing. */
        @TearDown(Level.Iteration)
        public void check() {
            long expected = segments * TCP_PAYLOAD;
            if (socket.state() != TcpState.ESTABLISHED || socket.counters().bytesIn() < expected) {
                throw new IllegalStateException("segments were lost: " + socket + " " + iface.statistics());
            }
            requireNoDrops(iface.statistics());
        }
    }

    /** An interface with a bound UDP socket and a datagram for it. */
    @State(Scope.Thread)
    public static class UdpPath {
        @Param({"ALL", "NONE"})
        public String checksums;

        FrameFeeder device;
        Interface iface;
        UdpSocket socket;
        final byte[] datagram = new byte[FRAME];
        final UdpDatagram datagramRead = new UdpDatagram(2048);

        /** Builds the interface, its socket and the frame fed to it. */
        @Setup
        public void setUp() {
            device = new FrameFeeder(DeviceCapabilities.ethernet(1500, checksumCapabilities(checksums)));
            SocketSet sockets = new SocketSet(1);
            socket = new UdpSocket(4, 4 * 2048, 1, 64);
            socket.bind(OUR_PORT);
            sockets.add(socket);
            iface = newInterface(sockets, device);
            byte[] payload = new byte[UDP_PAYLOAD];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 7);
            }
            UdpRepr udp = new UdpRepr().srcPort(PEER_PORT).dstPort(OUR_PORT).payload(payload, 0, payload.length);
            int length = udp.bufferLength();
            int at = ipv4Header(datagram, IpProtocol.UDP, length);
            udp.emit(new UdpPacket().wrap(datagram, at, length), IP_PEER, IP_US, true);
            if (at + length != FRAME) {
                throw new IllegalStateException("the datagram frame is not " + FRAME + " bytes");
            }
        }

        /** Fails the iteration when a frame was dropped or data went missing: the numbers would measure nothing. */
        @TearDown(Level.Iteration)
        public void check() {
            requireNoDrops(iface.statistics());
        }
    }

    /**
     * One TCP data segment in: poll (parse, checksums, the socket's reassembly into its ring, the ACK
     * out), the payload read back, and the next segment's sequence number patched in (with an
     * incremental checksum update, RFC 1624, so that the frame is not re-emitted). Returns the bytes read.
     */
    @Benchmark
    public int tcpSegment(TcpPath s) {
        s.device.feed(s.segment, FRAME);
        s.iface.poll(NOW);
        int n = s.socket.recv(s.readBuffer, 0, s.readBuffer.length);
        s.nextSeq += TCP_PAYLOAD;
        replaceSeq(s.segment, s.nextSeq);
        s.segments++;
        return n;
    }

    /** One UDP datagram in: poll (parse, checksums, the socket's queue) and the datagram read back. */
    @Benchmark
    public int udpDatagram(UdpPath s) {
        s.device.feed(s.datagram, FRAME);
        s.iface.poll(NOW);
        s.socket.recv(s.datagramRead);
        return s.datagramRead.length();
    }

    static ChecksumCapabilities checksumCapabilities(String name) {
        return switch (name) {
            case "ALL" -> ChecksumCapabilities.ALL;
            case "NONE" -> ChecksumCapabilities.NONE;
            default -> throw new IllegalArgumentException("checksums must be ALL or NONE: " + name);
        };
    }

    /** An interface at 10.99.0.2/24 on {@code device} that has learned the peer's MAC from its ARP request. */
    static Interface newInterface(SocketSet sockets, FrameFeeder device) {
        Interface iface = new Interface(InterfaceConfig.builder().mac(EthernetAddress.of(MAC_US))
                .address(Ipv4Cidr.parse("10.99.0.2/24")).initialSequence(InitialSequence.keyed(1, 2)).build(), sockets);
        iface.attach(device);
        iface.poll(NOW); // the gratuitous ARP
        byte[] arp = new byte[60];
        new EthernetRepr().source(MAC_PEER).destination(0xffff_ffff_ffffL).etherType(EtherType.ARP)
                .emit(new EthernetFrame().wrap(arp, 0, arp.length));
        new ArpRepr().request(MAC_PEER, IP_PEER, IP_US).emit(new ArpPacket().wrap(arp, 14, ArpPacket.ETHERNET_IPV4_LEN));
        device.feed(arp, arp.length);
        iface.poll(NOW);
        if (iface.arpTable().stream().noneMatch(e -> e.address().bits() == IP_PEER && e.mac().bits() == MAC_PEER)) {
            throw new IllegalStateException("the interface did not learn the peer from its ARP request");
        }
        return iface;
    }

    /** Writes the Ethernet and IPv4 headers from the peer to us; returns where the payload goes. */
    static int ipv4Header(byte[] frame, int protocol, int payloadLength) {
        int ipLength = 20 + payloadLength;
        new EthernetRepr().source(MAC_PEER).destination(MAC_US).etherType(EtherType.IPV4)
                .emit(new EthernetFrame().wrap(frame, 0, 14 + ipLength));
        new Ipv4Repr().src(IP_PEER).dst(IP_US).protocol(protocol).payloadLength(payloadLength).ttl(64)
                .dontFragment(true).emit(new Ipv4Packet().wrap(frame, 14, ipLength), true);
        return 34;
    }

    /** Sets the TCP sequence number of the segment in {@code frame}, updating its checksum (RFC 1624 eqn. 3). */
    static void replaceSeq(byte[] frame, int seq) {
        int seqAt = 34 + 4;
        int checksumAt = 34 + 16;
        int sum = ~Bytes.u16(frame, checksumAt) & 0xffff;
        sum += ~Bytes.u16(frame, seqAt) & 0xffff;
        sum += ~Bytes.u16(frame, seqAt + 2) & 0xffff;
        sum += seq >>> 16;
        sum += seq & 0xffff;
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        Bytes.putU16(frame, checksumAt, ~sum & 0xffff);
        Bytes.putU32(frame, seqAt, seq);
    }

    static void requireNoDrops(InterfaceStatistics stats) {
        if (stats.receivedDrops() != 0 || stats.sendDrops() != 0) {
            throw new IllegalStateException("the interface dropped frames: " + stats);
        }
    }
}
