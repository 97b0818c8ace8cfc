package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChecksumTest {

    @Test
    void rfc1071ExampleSumsToDdf2() {
        // RFC 1071 §3 worked example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2.
        byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertThat(Checksum.sum(b, 0, b.length)).isEqualTo(0xddf2);
    }

    @Test
    void oddLengthPadsTheLastByteOnTheRight() {
        byte[] b = {0x12, 0x34, 0x56};
        assertThat(Checksum.sum(b, 0, 3)).isEqualTo(0x1234 + 0x5600);
    }

    @Test
    void knownIpv4HeaderVerifies() {
        // A 20-byte IPv4 header with its checksum field zeroed; the checksum to fill is b861.
        byte[] h = hex("450000730000400040110000c0a80001c0a800c7");
        assertThat(Checksum.complement(Checksum.add(0, h, 0, h.length))).isEqualTo(0xb861);
    }

    @Property
    void sumOverDataWithItsChecksumFoldsToAllOnes(@ForAll byte[] data) {
        byte[] withSum = new byte[data.length + (data.length & 1) + 2];
        System.arraycopy(data, 0, withSum, 0, data.length);
        int c = Checksum.complement(Checksum.add(0, withSum, 0, withSum.length - 2));
        Bytes.putU16(withSum, withSum.length - 2, c);
        assertThat(Checksum.sum(withSum, 0, withSum.length)).isEqualTo(0xffff);
    }

    @Property
    void incrementalUpdateMatchesARecomputation(@ForAll byte[] data, @ForAll @IntRange(max = 0xffff) int newField) {
        byte[] b = new byte[Math.max(2, data.length + (data.length & 1))];
        System.arraycopy(data, 0, b, 0, data.length);
        int before = Checksum.complement(Checksum.add(0, b, 0, b.length));
        int old = Bytes.u16(b, 0);
        Bytes.putU16(b, 0, newField);
        int recomputed = Checksum.complement(Checksum.add(0, b, 0, b.length));
        int updated = Checksum.update(before, old, newField);
        // 0x0000 and 0xffff are the same one's complement number (RFC 1624 §3).
        assertThat(updated % 0xffff).isEqualTo(recomputed % 0xffff);
    }

    @Property
    void wideSumEqualsTheSumOf16BitWords(@ForAll @Size(max = 3000) byte[] data, @ForAll @IntRange(max = 16) int skip) {
        int off = Math.min(skip, data.length);
        long naive = 0;
        for (int i = off; i < data.length; i += 2) {
            naive += (data[i] & 0xff) << 8 | (i + 1 < data.length ? data[i + 1] & 0xff : 0);
        }
        assertThat(Checksum.fold(Checksum.add(0, data, off, data.length - off))).isEqualTo(Checksum.fold(naive));
    }

    static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
