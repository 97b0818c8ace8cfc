package smol.phy;

import java.util.Arrays;
import smol.wire.EtherType;
import smol.wire.EthernetFrame;
import smol.wire.EthernetRepr;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Packet;
import smol.wire.Ipv4Repr;
import smol.wire.UdpPacket;
import smol.wire.UdpRepr;

/** Frames for the device tests. */
final class Frames {
    static final long MAC_A = 0x02_00_00_00_00_01L;
    static final long MAC_B = 0x02_00_00_00_00_02L;
    static final int IP_A = Ipv4Address.parse("10.99.0.1").bits();
    static final int IP_B = Ipv4Address.parse("10.99.0.2").bits();

    private Frames() {}

    /** Returns a frame of {@code len} bytes numbered {@code n}: its bytes are (n + i) mod 256, so frames differ. */
    static byte[] numbered(int n, int len) {
        byte[] frame = new byte[len];
        for (int i = 0; i < len; i++) {
            frame[i] = (byte) (n + i);
        }
        return frame;
    }

    /** Returns an Ethernet/IPv4/UDP frame from 10.99.0.1:53 to 10.99.0.2:6969 carrying {@code payload}. */
    static byte[] udp(byte[] payload) {
        UdpRepr udp = new UdpRepr().srcPort(53).dstPort(6969).payload(payload, 0, payload.length);
        byte[] frame = new byte[14 + 20 + udp.bufferLength()];
        new EthernetRepr().source(MAC_A).destination(MAC_B).etherType(EtherType.IPV4)
                .emit(new EthernetFrame().wrap(frame, 0, frame.length));
        new Ipv4Repr().src(IP_A).dst(IP_B).protocol(IpProtocol.UDP).ttl(64).payloadLength(udp.bufferLength())
                .emit(new Ipv4Packet().wrap(frame, 14, 20 + udp.bufferLength()), true);
        udp.emit(new UdpPacket().wrap(frame, 34, udp.bufferLength()), IP_A, IP_B, true);
        return frame;
    }

    /** Receives one frame from {@code device} at {@code now} into a 64 KiB buffer; null when none waits. */
    static byte[] receive(Device device, long now) {
        byte[] buf = new byte[65535 + 14];
        int len = device.receive(buf, 0, now);
        return len == 0 ? null : Arrays.copyOf(buf, len);
    }
}
