package smol.phy.raw;

import smol.phy.linux.FrameBuffer;

/**
 * Splits an IPv4 TCP frame that is longer than the caller can take (a frame the kernel coalesced with GRO,
 * or one it sent with TSO/GSO across a veth, up to 64 KiB) into segments of at most a given frame length,
 * as the kernel's own GSO would have: the same Ethernet, IP and TCP headers (options included) on each,
 * with the IP total length, identification (+1 per segment) and header checksum, and the TCP sequence
 * number made right for the segment; CWR only on the first segment, FIN and PSH only on the last.
 *
 * <p>The TCP checksum field is copied as it was: the caller reports each segment's checksum as the
 * kernel reported the whole frame's (not filled in yet, or verified), so the stack does not check it.
 *
 * <p>Reads the frame from the device's native buffer and writes each segment straight into the caller's
 * array (one copy of every byte); allocates nothing. Not thread-safe: the device's receive thread only.
 */
final class TcpSegmenter {
    private static final int ETHERNET_HEADER = 14;
    private static final int IPV4 = 0x0800;
    private static final int TCP = 6;
    // RFC 791 header fields, as offsets from the start of the frame (after the 14-byte Ethernet header)
    private static final int IP_TOTAL_LENGTH = ETHERNET_HEADER + 2;
    private static final int IP_IDENTIFICATION = ETHERNET_HEADER + 4;
    private static final int IP_FRAGMENT = ETHERNET_HEADER + 6;
    private static final int IP_PROTOCOL = ETHERNET_HEADER + 9;
    private static final int IP_CHECKSUM = ETHERNET_HEADER + 10;
    // RFC 793 header fields, as offsets from the start of the TCP header
    private static final int TCP_SEQUENCE = 4;
    private static final int TCP_DATA_OFFSET = 12;
    private static final int TCP_FLAGS = 13;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private FrameBuffer frame;
    private boolean active;
    private int ipHeaderLength;
    private int tcpHeaderLength;
    private int headerLength;
    private int payloadLength;
    private int cursor;
    private int maxPayload;
    private int identification;
    private long sequence;
    private int segments;

    /** Returns true while segments of the last frame {@link #start}ed remain to be taken with {@link #next}. */
    boolean active() {
        return active;
    }

    /** Forgets the frame being split, if any. */
    void reset() {
        active = false;
        frame = null;
    }

    /**
     * Starts splitting the frame of {@code length} bytes in {@code buffer} into frames of at most
     * {@code maxFrameLength} bytes; returns false, and leaves nothing started, when it is not an IPv4 TCP
     * frame that can be split so (a fragment, a truncated or malformed header, no payload, headers that
     * alone exceed {@code maxFrameLength}).
     */
    boolean start(FrameBuffer buffer, int length, int maxFrameLength) {
        active = false;
        if (length < ETHERNET_HEADER + 40 || u16(buffer, 12) != IPV4 || (buffer.u8(ETHERNET_HEADER) >> 4) != 4
                || buffer.u8(IP_PROTOCOL) != TCP || (u16(buffer, IP_FRAGMENT) & 0x3fff) != 0) {
            return false; // not IPv4 TCP, or a fragment (MF set or an offset)
        }
        int ipHeader = (buffer.u8(ETHERNET_HEADER) & 0xf) * 4;
        int totalLength = u16(buffer, IP_TOTAL_LENGTH);
        int ipLength = totalLength == 0 ? length - ETHERNET_HEADER : totalLength; // 0: a BIG TCP frame
        if (ipHeader < 20 || ipLength > length - ETHERNET_HEADER || ipHeader + 20 > ipLength) {
            return false;
        }
        int tcpOffset = ETHERNET_HEADER + ipHeader;
        int tcpHeader = (buffer.u8(tcpOffset + TCP_DATA_OFFSET) >> 4) * 4;
        int headers = tcpOffset + tcpHeader;
        int payload = ETHERNET_HEADER + ipLength - headers;
        if (tcpHeader < 20 || payload <= 0 || maxFrameLength - headers <= 0) {
            return false;
        }
        this.frame = buffer;
        this.ipHeaderLength = ipHeader;
        this.tcpHeaderLength = tcpHeader;
        this.headerLength = headers;
        this.payloadLength = payload;
        this.maxPayload = maxFrameLength - headers;
        this.identification = u16(buffer, IP_IDENTIFICATION);
        this.sequence = u32(buffer, tcpOffset + TCP_SEQUENCE);
        this.cursor = 0;
        this.segments = 0;
        this.active = true;
        return true;
    }

    /**
     * Writes the next segment into {@code buf} at {@code off} and returns its length; returns 0, and stops,
     * when {@code buf} has no room for a segment with at least one byte of payload (the rest of the frame
     * is then lost).
     */
    int next(byte[] buf, int off) {
        int chunk = Math.min(Math.min(maxPayload, payloadLength - cursor), buf.length - off - headerLength);
        if (!active || chunk <= 0) {
            reset();
            return 0;
        }
        frame.copyTo(0, buf, off, headerLength);
        frame.copyTo(headerLength + cursor, buf, off + headerLength, chunk);
        boolean first = cursor == 0;
        boolean last = cursor + chunk == payloadLength;
        putU16(buf, off + IP_TOTAL_LENGTH, ipHeaderLength + tcpHeaderLength + chunk);
        putU16(buf, off + IP_IDENTIFICATION, identification + segments);
        putU16(buf, off + IP_CHECKSUM, 0);
        putU16(buf, off + IP_CHECKSUM, ipv4HeaderChecksum(buf, off + ETHERNET_HEADER, ipHeaderLength));
        int tcp = off + ETHERNET_HEADER + ipHeaderLength;
        long seq = (sequence + cursor) & 0xffffffffL;
        buf[tcp + TCP_SEQUENCE] = (byte) (seq >>> 24);
        buf[tcp + TCP_SEQUENCE + 1] = (byte) (seq >>> 16);
        buf[tcp + TCP_SEQUENCE + 2] = (byte) (seq >>> 8);
        buf[tcp + TCP_SEQUENCE + 3] = (byte) seq;
        int flags = buf[tcp + TCP_FLAGS] & 0xff;
        if (!first) {
            flags &= ~CWR; // RFC 3168 §6.1.2: CWR on the first segment of the window only
        }
        if (!last) {
            flags &= ~(FIN | PSH); // the end of the data and its push belong to the last segment
        }
        buf[tcp + TCP_FLAGS] = (byte) flags;
        cursor += chunk;
        segments++;
        if (last) {
            reset();
        }
        return headerLength + chunk;
    }

    /** RFC 791's header checksum: the one's complement of the one's complement sum of the header's words. */
    static int ipv4HeaderChecksum(byte[] buf, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i += 2) {
            sum += ((buf[off + i] & 0xff) << 8) | (buf[off + i + 1] & 0xff);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return ~sum & 0xffff;
    }

    private static int u16(FrameBuffer b, int i) {
        return (b.u8(i) << 8) | b.u8(i + 1);
    }

    private static long u32(FrameBuffer b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    private static void putU16(byte[] buf, int i, int value) {
        buf[i] = (byte) (value >>> 8);
        buf[i + 1] = (byte) value;
    }
}
