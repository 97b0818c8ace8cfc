package smol.kernel;

import smol.wire.ArpPacket;
import smol.wire.ArpRepr;
import smol.wire.EtherType;
import smol.wire.EthernetAddress;
import smol.wire.EthernetFrame;
import smol.wire.EthernetRepr;
import smol.wire.Icmpv4Packet;
import smol.wire.Icmpv4Repr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;

/**
 * Frames the TAP tests send to the kernel and recognise from it, built and parsed with smol.wire: our side is
 * a made-up host {@link #OUR_MAC} / {@link #OUR_IP} on 192.168.69.0/24, the kernel's side
 * {@link #KERNEL_IP}.
 */
final class TapFrames {
    /** The TAP's name inside each test's namespace. */
    static final String TAP = "smoltap0";
    static final long OUR_MAC = 0x02_00_00_00_00_01L;
    static final int OUR_IP = Ipv4Address.parse("192.168.69.1").bits();
    static final int KERNEL_IP = Ipv4Address.parse("192.168.69.100").bits();

    private final EthernetFrame frame = new EthernetFrame();
    private final EthernetRepr ethernet = new EthernetRepr();
    private final ArpPacket arpPacket = new ArpPacket();
    private final ArpRepr arp = new ArpRepr();
    private final Ipv4Packet ipPacket = new Ipv4Packet();
    private final Ipv4Repr ip = new Ipv4Repr();
    private final Icmpv4Packet icmpPacket = new Icmpv4Packet();
    private final Icmpv4Repr icmp = new Icmpv4Repr();

    /** Writes into {@code buf} an ARP request from us asking who has {@code targetIp}; returns its length. */
    int arpRequest(byte[] buf, int targetIp) {
        int len = EthernetRepr.bufferLength(ArpPacket.ETHERNET_IPV4_LEN);
        ethernet.source(OUR_MAC).destination(EthernetAddress.BROADCAST.bits()).etherType(EtherType.ARP)
                .emit(frame.wrap(buf, 0, len));
        arp.request(OUR_MAC, OUR_IP, targetIp).emit(arpPacket.wrap(buf, EthernetFrame.HEADER_LEN, ArpPacket.ETHERNET_IPV4_LEN));
        return len;
    }

    /**
     * Writes into {@code buf} an ICMP echo request from us to the kernel, to its MAC {@code kernelMac}, with
     * {@code payload} bytes of data; returns its length.
     */
    int echoRequest(byte[] buf, long kernelMac, int id, int seq, int payload) {
        byte[] data = new byte[payload];
        icmp.echoRequest(id, seq, data, 0, payload);
        int icmpLen = icmp.bufferLength();
        ip.src(OUR_IP).dst(KERNEL_IP).protocol(IpProtocol.ICMP).payloadLength(icmpLen).ttl(64);
        int len = EthernetRepr.bufferLength(ip.bufferLength()); // the IP header and its payload
        ethernet.source(OUR_MAC).destination(kernelMac).etherType(EtherType.IPV4).emit(frame.wrap(buf, 0, len));
        int ipOff = EthernetFrame.HEADER_LEN;
        ip.emit(ipPacket.wrap(buf, ipOff, len - ipOff), true);
        int icmpOff = ipOff + Ipv4Packet.HEADER_LEN;
        icmp.emit(icmpPacket.wrap(buf, icmpOff, icmpLen), true);
        return len;
    }

    /** Returns the ARP packet in the frame of {@code len} bytes, parsed, or null when it is not ARP. */
    ArpRepr arp(byte[] buf, int len) {
        if (ethernet.parse(frame.wrap(buf, 0, len)) != null || ethernet.etherType() != EtherType.ARP) {
            return null;
        }
        return arp.parse(arpPacket.wrap(buf, frame.payloadOffset(), frame.payloadLength())) == null ? arp : null;
    }

    /** Returns the source MAC of the last frame {@link #arp} parsed. */
    long source() {
        return ethernet.source();
    }

    /** Returns true when the frame is an ICMP echo reply from the kernel to us; allocates nothing. */
    static boolean isEchoReplyToUs(byte[] buf, int len) {
        return len >= 42 && (buf[12] & 0xff) == 0x08 && buf[13] == 0x00 && buf[23] == 1 /* ICMP */
                && buf[34] == 0 /* echo reply */ && (buf[0] & 0xff) == 0x02 && buf[5] == 0x01;
    }
}
