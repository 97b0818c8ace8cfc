package smol.iface;

import smol.wire.Checksum;
import smol.wire.TcpPacket;
import smol.wire.UdpPacket;

/** Builds expected frames byte by byte (header fields written out, checksums computed) for exact comparisons. */
final class Frames {
    private Frames() {}

    /** An Ethernet II frame around an IPv4 packet with a 20-byte header, TTL {@code ttl}, no flags. */
    static byte[] ipv4(long dstMac, long srcMac, int src, int dst, int protocol, int identification, int ttl,
            byte[] payload) {
        byte[] f = new byte[14 + 20 + payload.length];
        putMac(f, 0, dstMac);
        putMac(f, 6, srcMac);
        Fixtures.put16(f, 12, 0x0800);
        f[14] = 0x45;
        Fixtures.put16(f, 16, 20 + payload.length);
        Fixtures.put16(f, 18, identification);
        f[22] = (byte) ttl;
        f[23] = (byte) protocol;
        put32(f, 26, src);
        put32(f, 30, dst);
        Fixtures.refreshIpv4Checksum(f);
        System.arraycopy(payload, 0, f, 34, payload.length);
        return f;
    }

    /** An ICMP message: type, code, the 4 type-dependent bytes and the data, checksum filled. */
    static byte[] icmp(int type, int code, byte[] rest, byte[] data) {
        byte[] m = new byte[4 + rest.length + data.length];
        m[0] = (byte) type;
        m[1] = (byte) code;
        System.arraycopy(rest, 0, m, 4, rest.length);
        System.arraycopy(data, 0, m, 4 + rest.length, data.length);
        Fixtures.put16(m, 2, Checksum.complement(Checksum.add(0, m, 0, m.length)));
        return m;
    }

    /** A TCP segment with a 20-byte header, no payload, checksum filled for {@code src} → {@code dst}. */
    static byte[] tcp(int src, int dst, int srcPort, int dstPort, int seq, int ack, int flags, int window) {
        byte[] s = new byte[20];
        Fixtures.put16(s, 0, srcPort);
        Fixtures.put16(s, 2, dstPort);
        put32(s, 4, seq);
        put32(s, 8, ack);
        s[12] = 0x50;
        s[13] = (byte) flags;
        Fixtures.put16(s, 14, window);
        new TcpPacket().wrap(s, 0, s.length).fillChecksum(src, dst);
        return s;
    }

    /** A UDP datagram with its checksum filled for {@code src} → {@code dst}. */
    static byte[] udp(int src, int dst, int srcPort, int dstPort, byte[] payload) {
        byte[] d = new byte[8 + payload.length];
        Fixtures.put16(d, 0, srcPort);
        Fixtures.put16(d, 2, dstPort);
        Fixtures.put16(d, 4, d.length);
        System.arraycopy(payload, 0, d, 8, payload.length);
        new UdpPacket().wrap(d, 0, d.length).fillChecksum(src, dst);
        return d;
    }

    static void putMac(byte[] b, int at, long mac) {
        for (int i = 0; i < 6; i++) {
            b[at + i] = (byte) (mac >>> (40 - 8 * i));
        }
    }

    static void put32(byte[] b, int at, int v) {
        Fixtures.put16(b, at, v >>> 16);
        Fixtures.put16(b, at + 2, v);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }
}
