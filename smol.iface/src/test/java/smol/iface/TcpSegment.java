package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import smol.wire.EtherType;
import smol.wire.EthernetFrame;
import smol.wire.EthernetRepr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;
import smol.wire.TcpPacket;
import smol.wire.TcpRepr;

/**
 * An Ethernet/IPv4/TCP frame read back with smol.wire for field-by-field checks: parsing verifies the
 * IPv4 and TCP checksums and fails the test when the frame is anything else.
 */
final class TcpSegment {
    final EthernetRepr ethernet = new EthernetRepr();
    final Ipv4Repr ip = new Ipv4Repr();
    final TcpRepr tcp = new TcpRepr();
    final byte[] payload;

    private TcpSegment(byte[] frame) {
        EthernetFrame ethernetFrame = new EthernetFrame().wrap(frame, 0, frame.length);
        assertThat(ethernet.parse(ethernetFrame)).as("Ethernet").isNull();
        assertThat(ethernet.etherType()).isEqualTo(EtherType.IPV4);
        Ipv4Packet ipPacket = new Ipv4Packet().wrap(frame, ethernetFrame.payloadOffset(), ethernetFrame.payloadLength());
        assertThat(ip.parse(ipPacket, true)).as("IPv4, checksum verified").isNull();
        assertThat(ip.protocol()).isEqualTo(IpProtocol.TCP);
        TcpPacket tcpPacket = new TcpPacket().wrap(frame, ipPacket.payloadOffset(), ip.payloadLength());
        assertThat(tcp.parse(tcpPacket, ip.src(), ip.dst(), true)).as("TCP, checksum verified").isNull();
        payload = Arrays.copyOfRange(tcp.payloadBuffer(), tcp.payloadOffset(), tcp.payloadOffset() + tcp.payloadLength());
    }

    /** Parses {@code frame}, failing the test unless it is a well-formed TCP segment with good checksums. */
    static TcpSegment of(byte[] frame) {
        return new TcpSegment(frame);
    }

    /** Returns true when {@code frame} is an Ethernet/IPv4/TCP frame (checked by EtherType and protocol only). */
    static boolean isTcp(byte[] frame) {
        return frame.length >= 14 + 20 + 20 && Fixtures.u16(frame, 12) == EtherType.IPV4
                && (frame[14 + 9] & 0xff) == IpProtocol.TCP;
    }
}
