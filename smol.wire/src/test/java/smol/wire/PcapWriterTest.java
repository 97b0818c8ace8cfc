package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.wire.ChecksumTest.hex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import smol.wire.testing.Wireshark;

class PcapWriterTest {
    @TempDir
    Path dir;

    /** Timestamps with sub-microsecond digits, so that the micro format visibly truncates them. */
    static final long[] TIMES = {1_700_000_000_123_456_789L, 1_700_000_000_999_999_999L, 1_700_000_001_000_000_001L,
        4_000_000_000_000_000_000L, 0L};
    /** Lengths: empty, a runt, a minimum frame, a full frame, a jumbo frame, and one past the snaplen. */
    static final int[] LENGTHS = {0, 1, 60, 1514, 9014, 70_000};

    static Stream<Arguments> variants() {
        return Stream.of(
                Arguments.of(ByteOrder.BIG_ENDIAN, PcapWriter.Precision.MICROSECONDS),
                Arguments.of(ByteOrder.BIG_ENDIAN, PcapWriter.Precision.NANOSECONDS),
                Arguments.of(ByteOrder.LITTLE_ENDIAN, PcapWriter.Precision.MICROSECONDS),
                Arguments.of(ByteOrder.LITTLE_ENDIAN, PcapWriter.Precision.NANOSECONDS));
    }

    /** A frame of {@code len} bytes: broadcast Ethernet header, EtherType 0x88b5 (local experimental), a counting payload. */
    static byte[] frame(int len, int seed) {
        byte[] f = new byte[len];
        for (int i = 0; i < len; i++) {
            f[i] = (byte) (i * 7 + seed);
        }
        byte[] header = hex("ffffffffffff020000000001" + "88b5");
        System.arraycopy(header, 0, f, 0, Math.min(len, header.length));
        return f;
    }

    static long expectedTime(long nanos, PcapWriter.Precision precision) {
        return precision == PcapWriter.Precision.MICROSECONDS ? nanos - nanos % 1000 : nanos;
    }

    @Test
    void bigEndianMicrosecondHeaderAndRecordAreExact() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, ByteOrder.BIG_ENDIAN, PcapWriter.Precision.MICROSECONDS, 65535,
                LinkType.ETHERNET)) {
            w.write(1_700_000_000_123_456_789L, hex("0102030405"), 1, 3);
        }
        // pcap-savefile(5): magic, 2.4, thiszone 0, sigfigs 0, snaplen, link type; then seconds, micros,
        // captured and original length.
        assertThat(out.toByteArray()).isEqualTo(hex("a1b2c3d4" + "0002" + "0004" + "00000000" + "00000000"
                + "0000ffff" + "00000001" + "6553f100" + "0001e240" + "00000003" + "00000003" + "020304"));
    }

    @Test
    void littleEndianNanosecondHeaderAndRecordAreExact() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, ByteOrder.LITTLE_ENDIAN, PcapWriter.Precision.NANOSECONDS, 1500,
                LinkType.RAW)) {
            w.write(1_700_000_000_123_456_789L, new byte[2000], 0, 2000);
        }
        byte[] expected = hex("4d3cb2a1" + "0200" + "0400" + "00000000" + "00000000" + "dc050000" + "65000000"
                + "00f15365" + "15cd5b07" + "dc050000" + "d0070000");
        byte[] bytes = out.toByteArray();
        assertThat(bytes).hasSize(expected.length + 1500);
        assertThat(Arrays.copyOf(bytes, expected.length)).isEqualTo(expected);
    }

    @Test
    void defaultsAreLittleEndianMicrosecondsSnaplen65535Ethernet() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PcapWriter(out).close();
        assertThat(out.toByteArray()).isEqualTo(hex("d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000"
                + "ffff0000" + "01000000"));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void writtenFramesReadBackInEveryVariant(ByteOrder order, PcapWriter.Precision precision) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, order, precision, 65535, LinkType.ETHERNET)) {
            for (int i = 0; i < LENGTHS.length; i++) {
                byte[] f = frame(LENGTHS[i], i);
                w.write(TIMES[i % TIMES.length], f, 0, f.length);
            }
        }
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(out.toByteArray()))) {
            for (int i = 0; i < LENGTHS.length; i++) {
                PcapRecord rec = r.next();
                assertThat(rec).as("record %d", i).isNotNull();
                int captured = Math.min(LENGTHS[i], 65535);
                assertThat(rec.timestampNanos()).isEqualTo(expectedTime(TIMES[i % TIMES.length], precision));
                assertThat(rec.capturedLength()).isEqualTo(captured);
                assertThat(rec.originalLength()).isEqualTo(LENGTHS[i]);
                assertThat(rec.linkType()).isEqualTo(LinkType.ETHERNET);
                assertThat(Arrays.copyOf(rec.buffer(), captured)).isEqualTo(Arrays.copyOf(frame(LENGTHS[i], i), captured));
            }
            assertThat(r.next()).isNull();
            assertThat(r.problem()).isNull();
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void tsharkReadsOurFileWithTheTimestampsWeWrote(ByteOrder order, PcapWriter.Precision precision)
            throws IOException {
        Path file = dir.resolve("ours.pcap");
        long[] times = {1_700_000_000_123_456_789L, 1_700_000_000_999_999_999L, 1_700_000_001_000_000_001L,
            1_234_567_890_000_000_000L};
        try (PcapWriter w = new PcapWriter(Files.newOutputStream(file), order, precision, 65535, LinkType.ETHERNET)) {
            for (int i = 0; i < times.length; i++) {
                byte[] f = frame(60 + i * 100, i);
                w.write(times[i], f, 0, f.length);
            }
        }
        List<String> summary = Wireshark.tsharkReadsCleanly(file);
        assertThat(summary).hasSize(times.length);
        List<String> epochs = Wireshark.tsharkReadsCleanly(file, "-T", "fields", "-e", "frame.time_epoch");
        List<String> expected = new ArrayList<>();
        for (long t : times) {
            long e = expectedTime(t, precision);
            expected.add(String.format("%d.%09d", e / 1_000_000_000L, e % 1_000_000_000L));
        }
        assertThat(epochs).isEqualTo(expected);
        List<String> lengths = Wireshark.tsharkReadsCleanly(file, "-T", "fields", "-e", "frame.len", "-e",
                "frame.cap_len");
        assertThat(lengths).containsExactly("60\t60", "160\t160", "260\t260", "360\t360");
    }

    @Test
    void tsharkSeesTheOriginalLengthOfAFrameCutAtTheSnaplen() throws IOException {
        Path file = dir.resolve("cut.pcap");
        try (PcapWriter w = new PcapWriter(Files.newOutputStream(file), ByteOrder.BIG_ENDIAN,
                PcapWriter.Precision.NANOSECONDS, 128, LinkType.ETHERNET)) {
            byte[] f = frame(1514, 3);
            w.write(TIMES[0], f, 0, f.length);
        }
        assertThat(Wireshark.tsharkReadsCleanly(file, "-T", "fields", "-e", "frame.len", "-e", "frame.cap_len"))
                .containsExactly("1514\t128");
    }

    @Test
    void bufferedBytesReachTheStreamOnFlush() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out);
        w.write(0, new byte[10], 0, 10);
        assertThat(out.size()).isZero();
        w.flush();
        assertThat(out.size()).isEqualTo(24 + 16 + 10);
        w.close();
        w.close();
        assertThatThrownBy(() -> w.write(0, new byte[1], 0, 1)).isInstanceOf(IOException.class);
    }

    @Test
    void framesLargerThanTheBufferGoStraightToTheStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] big = frame(200_000, 9);
        try (PcapWriter w = new PcapWriter(out, ByteOrder.BIG_ENDIAN, PcapWriter.Precision.MICROSECONDS, 262144,
                LinkType.ETHERNET)) {
            w.write(0, big, 0, big.length);
            w.write(0, big, 5, 100);
        }
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(out.toByteArray()))) {
            assertThat(Arrays.copyOf(r.next().buffer(), big.length)).isEqualTo(big);
            assertThat(Arrays.copyOf(r.next().buffer(), 100)).isEqualTo(Arrays.copyOfRange(big, 5, 105));
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void outOfRangeOptionsAreRefused() {
        OutputStream sink = OutputStream.nullOutputStream();
        assertThatThrownBy(() -> new PcapWriter(sink, ByteOrder.BIG_ENDIAN, PcapWriter.Precision.MICROSECONDS, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PcapWriter(sink, ByteOrder.BIG_ENDIAN, PcapWriter.Precision.MICROSECONDS, 100,
                70000)).isInstanceOf(IllegalArgumentException.class);
    }
}
