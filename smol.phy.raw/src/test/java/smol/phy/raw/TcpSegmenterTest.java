package smol.phy.raw;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import smol.phy.linux.FrameBuffer;

/** Cutting a coalesced TCP frame into segments that fit: headers fixed up, payload in order, nothing lost. */
class TcpSegmenterTest {
    private static final int IP = 14;
    private static final int TCP = 34;

    /** An Ethernet/IPv4/TCP frame (20-byte IP header, 32-byte TCP header with options) with {@code payload} bytes. */
    private static byte[] superFrame(int payload, int flags) {
        byte[] f = new byte[14 + 20 + 32 + payload];
        f[12] = 0x08;
        f[IP] = 0x45;
        int total = 20 + 32 + payload;
        f[IP + 2] = (byte) (total >>> 8);
        f[IP + 3] = (byte) total;
        f[IP + 4] = 0x12; // identification 0x1234
        f[IP + 5] = 0x34;
        f[IP + 6] = 0x40; // DF
        f[IP + 8] = 64;
        f[IP + 9] = 6;
        f[TCP + 4] = (byte) 0xff; // sequence 0xfffffff0: wraps within the frame
        f[TCP + 5] = (byte) 0xff;
        f[TCP + 6] = (byte) 0xff;
        f[TCP + 7] = (byte) 0xf0;
        f[TCP + 12] = (byte) 0x80; // data offset 8 words
        f[TCP + 13] = (byte) flags;
        f[TCP + 20] = 1; // NOP NOP timestamps
        f[TCP + 21] = 1;
        f[TCP + 22] = 8;
        f[TCP + 23] = 10;
        for (int i = 0; i < payload; i++) {
            f[66 + i] = (byte) (i * 7 + 3);
        }
        return f;
    }

    @Test
    void aCoalescedFrameIsCutIntoSegmentsThatFitWithHeadersMadeRight() {
        byte[] whole = superFrame(4000, 0x80 | 0x10 | 0x08 | 0x01); // CWR ACK PSH FIN
        FrameBuffer native_ = new FrameBuffer(RawDevice.MAX_FRAME_LENGTH);
        native_.copyFrom(whole, 0, whole.length);
        TcpSegmenter segmenter = new TcpSegmenter();
        assertThat(segmenter.start(native_, whole.length, 1514)).isTrue();
        byte[] buf = new byte[1514];
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int[] lengths = new int[3];
        for (int s = 0; s < 3; s++) {
            assertThat(segmenter.active()).isTrue();
            int n = segmenter.next(buf, 0);
            lengths[s] = n;
            assertThat(Arrays.copyOfRange(buf, 0, 14)).isEqualTo(Arrays.copyOfRange(whole, 0, 14));
            assertThat(((buf[IP + 2] & 0xff) << 8) | (buf[IP + 3] & 0xff)).isEqualTo(n - 14);
            assertThat(((buf[IP + 4] & 0xff) << 8) | (buf[IP + 5] & 0xff)).isEqualTo(0x1234 + s);
            assertThat(TcpSegmenter.ipv4HeaderChecksum(buf, IP, 20)).as("the IP header checksums to zero").isZero();
            long seq = ((buf[TCP + 4] & 0xffL) << 24) | ((buf[TCP + 5] & 0xff) << 16) | ((buf[TCP + 6] & 0xff) << 8)
                    | (buf[TCP + 7] & 0xff);
            assertThat(seq).isEqualTo((0xfffffff0L + s * 1448L) & 0xffffffffL);
            int flags = buf[TCP + 13] & 0xff;
            assertThat(flags & 0x80).as("CWR only first").isEqualTo(s == 0 ? 0x80 : 0);
            assertThat(flags & 0x09).as("PSH and FIN only last").isEqualTo(s == 2 ? 0x09 : 0);
            assertThat(flags & 0x10).as("ACK on all").isEqualTo(0x10);
            assertThat(Arrays.copyOfRange(buf, TCP + 20, TCP + 32)).isEqualTo(Arrays.copyOfRange(whole, TCP + 20, TCP + 32));
            payload.write(buf, 66, n - 66);
        }
        assertThat(lengths).containsExactly(1514, 1514, 66 + 4000 - 2 * 1448);
        assertThat(segmenter.active()).isFalse();
        assertThat(payload.toByteArray()).isEqualTo(Arrays.copyOfRange(whole, 66, whole.length));
    }

    @Test
    void framesThatAreNotIpv4TcpOrAreFragmentsAreNotCut() {
        FrameBuffer native_ = new FrameBuffer(RawDevice.MAX_FRAME_LENGTH);
        TcpSegmenter segmenter = new TcpSegmenter();
        byte[] udp = superFrame(3000, 0x10);
        udp[IP + 9] = 17;
        native_.copyFrom(udp, 0, udp.length);
        assertThat(segmenter.start(native_, udp.length, 1514)).isFalse();
        byte[] fragment = superFrame(3000, 0x10);
        fragment[IP + 6] = 0x20; // MF
        native_.copyFrom(fragment, 0, fragment.length);
        assertThat(segmenter.start(native_, fragment.length, 1514)).isFalse();
        byte[] truncated = superFrame(3000, 0x10);
        native_.copyFrom(truncated, 0, truncated.length);
        assertThat(segmenter.start(native_, truncated.length - 1, 1514)).as("shorter than its IP length").isFalse();
        assertThat(segmenter.active()).isFalse();
    }
}
