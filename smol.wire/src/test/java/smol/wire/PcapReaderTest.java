package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.wire.ChecksumTest.hex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PcapReaderTest {
    private static final String[] MAGICS = {"a1b2c3d4", "d4c3b2a1", "a1b23c4d", "4d3cb2a1"};

    /** A pcap file of three frames (60, 98 and 42 bytes) from our writer. */
    static byte[] threeFrames(ByteOrder order, PcapWriter.Precision precision) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, order, precision, 65535, LinkType.ETHERNET)) {
            int[] lengths = {60, 98, 42};
            for (int i = 0; i < lengths.length; i++) {
                byte[] f = PcapWriterTest.frame(lengths[i], i);
                w.write(PcapWriterTest.TIMES[i], f, 0, f.length);
            }
        }
        return out.toByteArray();
    }

    static String problemAfterReading(byte[] file) throws IOException {
        return PcapngReaderTest.problemAfterReading(file);
    }

    @Test
    void tcpdumpsLittleEndianMicrosecondFileReads() throws IOException {
        // The start of fixtures/arp.pcap: tcpdump -s 65535 -w on veth-a in the namespace smol-cap-a while
        // 10.99.0.1 pinged 10.99.0.2 after a neighbour flush (see fixtures/capture.sh): the file header and
        // the 42-byte ARP request.
        byte[] file = hex("d4c3b2a1020004000000000000000000ffff000001000000" + "284e076bbab30c00" + "2a0000002a000000"
                + "ffffffffffff020000000001080600010800060400010200000000010a6300010000000000000a630002");
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            PcapRecord rec = r.next();
            assertThat(rec.timestampNanos()).isEqualTo(1_795_640_872_832_442_000L);
            assertThat(rec.capturedLength()).isEqualTo(42);
            assertThat(rec.originalLength()).isEqualTo(42);
            assertThat(rec.linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(Arrays.copyOf(rec.buffer(), 42)).isEqualTo(Arrays.copyOfRange(file, 40, 82));
            assertThat(rec).hasToString("1795640872.832442000 caplen=42 len=42 link=ethernet");
            assertThat(r.next()).isNull();
            assertThat(r.problem()).isNull();
        }
    }

    @Test
    void bytesThatAreNotACaptureAreRefusedWithTheirFirstBytes() {
        assertThatThrownBy(() -> new PcapReader(new ByteArrayInputStream(hex("7f454c4602010100"))))
                .isInstanceOf(PcapFormatException.class)
                .hasMessage("not a pcap or pcapng file (starts with 0x7f454c46)");
        assertThatThrownBy(() -> new PcapReader(new ByteArrayInputStream(hex("d4c3"))))
                .isInstanceOf(PcapFormatException.class)
                .hasMessage("not a pcap or pcapng file (starts with 0xd4c3)");
        assertThatThrownBy(() -> new PcapReader(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(PcapFormatException.class)
                .hasMessage("not a pcap or pcapng file (empty)");
        assertThat(PcapFormatException.class).isAssignableTo(IOException.class);
    }

    @Test
    void theStreamIsClosedWhenTheBytesAreRefused() {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(hex("00000000")) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertThatThrownBy(() -> new PcapReader(in)).isInstanceOf(PcapFormatException.class);
        assertThat(closed[0]).isTrue();
    }

    @Test
    void everyTruncationDeliversTheCompleteFramesBeforeIt() throws IOException {
        for (String magic : MAGICS) {
            ByteOrder order = magic.startsWith("a1") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            PcapWriter.Precision precision = magic.contains("3c4d") || magic.contains("4d3c")
                    ? PcapWriter.Precision.NANOSECONDS : PcapWriter.Precision.MICROSECONDS;
            byte[] file = threeFrames(order, precision);
            assertThat(file).startsWith(hex(magic));
            // Record boundaries: after the 24-byte header, 16 + 60, 16 + 98, 16 + 42.
            int[] ends = {24 + 76, 24 + 76 + 114, 24 + 76 + 114 + 58};
            assertThat(file).hasSize(ends[2]);
            for (int n = 0; n < file.length; n++) {
                byte[] prefix = Arrays.copyOf(file, n);
                if (n < 4) {
                    assertThatThrownBy(() -> new PcapReader(new ByteArrayInputStream(prefix)))
                            .isInstanceOf(PcapFormatException.class);
                    continue;
                }
                try (PcapReader r = new PcapReader(new ByteArrayInputStream(prefix))) {
                    int frames = 0;
                    while (r.next() != null) {
                        frames++;
                    }
                    int length = n;
                    int complete = (int) Arrays.stream(ends).filter(end -> end <= length).count();
                    assertThat(frames).as("%s prefix %d", magic, n).isEqualTo(complete);
                    boolean boundary = n == 24 || Arrays.stream(ends).anyMatch(end -> end == length);
                    if (boundary) {
                        assertThat(r.problem()).as("%s prefix %d", magic, n).isNull();
                    } else {
                        assertThat(r.problem()).as("%s prefix %d", magic, n)
                                .matches("(file header|last record header|last record) truncated: \\d+ of \\d+ bytes");
                    }
                }
            }
        }
    }

    @Test
    void truncationIsReportedWithTheBytesThatCame() throws IOException {
        byte[] file = threeFrames(ByteOrder.BIG_ENDIAN, PcapWriter.Precision.MICROSECONDS);
        assertThat(problemAfterReading(Arrays.copyOf(file, 10))).isEqualTo("file header truncated: 10 of 24 bytes");
        assertThat(problemAfterReading(Arrays.copyOf(file, 24 + 7))).isEqualTo("last record header truncated: 7 of 16 bytes");
        assertThat(problemAfterReading(Arrays.copyOf(file, 24 + 76 + 16 + 20)))
                .isEqualTo("last record truncated: 20 of 98 bytes");
    }

    @Test
    void anAbsurdCapturedLengthEndsTheFileWithoutAllocatingIt() throws IOException {
        byte[] file = threeFrames(ByteOrder.BIG_ENDIAN, PcapWriter.Precision.MICROSECONDS);
        Bytes.putU32(file, 24 + 76 + 8, 0xffffffff);
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            assertThat(r.next()).isNotNull();
            assertThat(r.next()).isNull();
            assertThat(r.problem()).isEqualTo("record at byte 100 has captured length 4294967295 (limit 268435456)");
        }
        // Just under the limit: the reader grows its buffer only as bytes arrive, then reports the truncation.
        Bytes.putU32(file, 24 + 76 + 8, 256 << 20);
        assertThat(problemAfterReading(file)).isEqualTo("last record truncated: 156 of 268435456 bytes");
    }

    @Test
    void theRecordAndItsBufferAreReusedAndGrowOnlyForABiggerFrame() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out)) {
            for (int len : new int[] {100, 50, 1500, 9000, 200}) {
                w.write(0, PcapWriterTest.frame(len, len), 0, len);
            }
        }
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(out.toByteArray()))) {
            PcapRecord first = r.next();
            byte[] small = first.buffer();
            assertThat(r.next()).isSameAs(first);
            assertThat(first.buffer()).isSameAs(small);
            r.next();
            assertThat(first.buffer()).isSameAs(small);
            r.next();
            byte[] big = first.buffer();
            assertThat(big).isNotSameAs(small).hasSizeGreaterThanOrEqualTo(9000);
            assertThat(r.next().buffer()).isSameAs(big);
            assertThat(Arrays.copyOf(big, 200)).isEqualTo(PcapWriterTest.frame(200, 200));
        }
    }

    @Test
    void closedReaderRefusesToRead() throws IOException {
        PcapReader r = new PcapReader(new ByteArrayInputStream(threeFrames(ByteOrder.BIG_ENDIAN,
                PcapWriter.Precision.NANOSECONDS)));
        r.close();
        r.close();
        assertThatThrownBy(r::next).isInstanceOf(IOException.class);
    }

    @Test
    void linkTypeComesFromTheLow16BitsOfTheHeaderField() throws IOException {
        byte[] file = threeFrames(ByteOrder.BIG_ENDIAN, PcapWriter.Precision.MICROSECONDS);
        // Bits 28..31 give the FCS length (draft-ietf-opsawg-pcap §4), not part of the link type.
        Bytes.putU32(file, 20, 0x40000000 | LinkType.RAW);
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            assertThat(r.next().linkType()).isEqualTo(LinkType.RAW);
        }
        assertThat(LinkType.name(LinkType.RAW)).isEqualTo("raw");
        assertThat(LinkType.name(LinkType.ETHERNET)).isEqualTo("ethernet");
        assertThat(LinkType.name(4242)).isEqualTo("linktype-4242");
    }

    @Property
    void randomBytesAfterAValidMagicNeverThrow(@ForAll @IntRange(max = 3) int magic,
            @ForAll @Size(max = 600) byte[] rest) throws IOException {
        byte[] head = hex(MAGICS[magic]);
        byte[] file = Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, file, head.length, rest.length);
        PcapngReaderTest.drainNeverThrows(file);
    }

    @Property
    void randomRecordsAfterAValidHeaderNeverThrow(@ForAll @IntRange(max = 3) int magic,
            @ForAll @Size(max = 20) List<@IntRange(max = 200) Integer> lengths, @ForAll byte[] noise)
            throws IOException {
        // Plausible record headers (small captured lengths) with random contents reach past the first record.
        ByteOrder order = MAGICS[magic].startsWith("a1") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(threeFrames(order, magic >= 2 ? PcapWriter.Precision.NANOSECONDS
                : PcapWriter.Precision.MICROSECONDS));
        List<Integer> lengthFields = new ArrayList<>(lengths);
        int k = 0;
        for (int len : lengthFields) {
            byte[] record = new byte[16 + len];
            for (int i = 0; i < record.length; i++) {
                record[i] = noise.length == 0 ? 0 : noise[k++ % noise.length];
            }
            java.nio.ByteBuffer.wrap(record).order(order).putInt(8, len);
            out.writeBytes(record);
        }
        PcapngReaderTest.drainNeverThrows(out.toByteArray());
    }
}
