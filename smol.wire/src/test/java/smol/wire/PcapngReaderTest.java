package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smol.wire.testing.Wireshark;

class PcapngReaderTest {
    @TempDir
    Path dir;

    /** Everything a record says, copied out of the reader's reusable buffer. */
    record Frame(long timestampNanos, int capturedLength, int originalLength, int linkType, byte[] bytes) {
        static Frame of(PcapRecord r) {
            return new Frame(r.timestampNanos(), r.capturedLength(), r.originalLength(), r.linkType(),
                    Arrays.copyOf(r.buffer(), r.capturedLength()));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.timestampNanos == timestampNanos && f.capturedLength == capturedLength
                    && f.originalLength == originalLength && f.linkType == linkType && Arrays.equals(f.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(timestampNanos) * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return timestampNanos + " " + capturedLength + "/" + originalLength + " link " + linkType;
        }
    }

    static List<Frame> readAll(byte[] file) throws IOException {
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            List<Frame> frames = new ArrayList<>();
            for (PcapRecord rec = r.next(); rec != null; rec = r.next()) {
                frames.add(Frame.of(rec));
            }
            assertThat(r.problem()).as("problem").isNull();
            return frames;
        }
    }

    /** Writes a few frames with nanosecond timestamps through our writer. */
    private Path ourPcap(PcapWriter.Precision precision) throws IOException {
        Path file = dir.resolve("ours-" + precision + ".pcap");
        try (PcapWriter w = new PcapWriter(Files.newOutputStream(file), ByteOrder.LITTLE_ENDIAN, precision, 65535,
                LinkType.ETHERNET)) {
            for (int i = 0; i < 5; i++) {
                byte[] f = PcapWriterTest.frame(60 + 333 * i, i);
                w.write(PcapWriterTest.TIMES[0] + i * 1_000_001_001L, f, 0, f.length);
            }
        }
        return file;
    }

    private byte[] editcap(Path in, String... options) throws IOException {
        Path out = dir.resolve("editcap-out");
        List<String> args = new ArrayList<>(List.of(options));
        args.add(in.toString());
        args.add(out.toString());
        Wireshark.Result r = Wireshark.editcap(args.toArray(new String[0]));
        assertThat(r.exitCode()).as("editcap exit, stderr: %s", r.stderr()).isZero();
        return Files.readAllBytes(out);
    }

    @Test
    void editcapPcapngOfAMicrosecondPcapGivesTheSameFrames() throws IOException {
        Path pcap = ourPcap(PcapWriter.Precision.MICROSECONDS);
        byte[] pcapng = editcap(pcap, "-F", "pcapng");
        assertThat(Bytes.u32(pcapng, 0)).isEqualTo(0x0a0d0d0a);
        List<Frame> expected = readAll(Files.readAllBytes(pcap));
        assertThat(expected).hasSize(5);
        assertThat(readAll(pcapng)).isEqualTo(expected);
    }

    @Test
    void editcapPcapngOfANanosecondPcapKeepsNanoseconds() throws IOException {
        Path pcap = ourPcap(PcapWriter.Precision.NANOSECONDS);
        List<Frame> frames = readAll(editcap(pcap, "-F", "pcapng"));
        assertThat(frames).isEqualTo(readAll(Files.readAllBytes(pcap)));
        assertThat(frames.get(1).timestampNanos()).isEqualTo(PcapWriterTest.TIMES[0] + 1_000_001_001L);
    }

    @Test
    void editcapNanosecondPcapOfAMicrosecondPcapGivesTheSameFrames() throws IOException {
        Path pcap = ourPcap(PcapWriter.Precision.MICROSECONDS);
        byte[] nsec = editcap(pcap, "-F", "nsecpcap");
        assertThat(Bytes.u32(nsec, 0)).isEqualTo(0x4d3cb2a1);
        assertThat(readAll(nsec)).isEqualTo(readAll(Files.readAllBytes(pcap)));
    }

    @Test
    void blocksThisReaderDoesNotKnowAreSkipped() throws IOException {
        // editcap --inject-secrets adds a Decryption Secrets Block (type 0x0000000a) before the packets.
        Path pcap = ourPcap(PcapWriter.Precision.NANOSECONDS);
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "CLIENT_RANDOM " + "00".repeat(32) + " " + "11".repeat(48) + "\n");
        byte[] pcapng = editcap(pcap, "-F", "pcapng", "--inject-secrets", "tls," + keys);
        assertThat(pcapng).hasSizeGreaterThan(editcap(pcap, "-F", "pcapng").length + 100);
        assertThat(readAll(pcapng)).isEqualTo(readAll(Files.readAllBytes(pcap)));
    }

    /**
     * A big-endian section (power-of-two resolution, two interfaces, enhanced, obsolete and simple packet
     * blocks, an unknown block) followed by a little-endian section (millisecond resolution, a time offset).
     */
    static byte[] handMadeTwoSections() {
        byte[] a = PcapWriterTest.frame(60, 1);
        byte[] b = PcapWriterTest.frame(99, 2);
        byte[] c = PcapWriterTest.frame(42, 3);
        byte[] d = PcapWriterTest.frame(1514, 4);
        return new PcapngBuilder()
                .section(ByteOrder.BIG_ENDIAN)
                .interfaceDescription(LinkType.ETHERNET, 65535, 0x80 | 20, 0)
                .otherBlock(0x00000077, 13)
                .interfaceDescription(LinkType.RAW, 0, 9, 0)
                // 1700000000.5 s in units of 2^-20 s
                .enhancedPacket(0, 1_700_000_000L << 20 | 1 << 19, a, a.length)
                .enhancedPacket(1, 1_700_000_000_123_456_789L, b, 1000)
                .obsoletePacket(0, (1_700_000_001L << 20) + 3, c, c.length)
                .simplePacket(d, d.length)
                .section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.ETHERNET, 0, 3, 1_000_000_000L)
                .enhancedPacket(0, 700_000_000_250L, a, a.length)
                .bytes();
    }

    @Test
    void bothByteOrdersBothResolutionBasesAndEveryPacketBlockRead() throws IOException {
        List<Frame> frames = readAll(handMadeTwoSections());
        assertThat(frames).extracting(Frame::timestampNanos).containsExactly(
                1_700_000_000_500_000_000L, 1_700_000_000_123_456_789L,
                // 3 units of 2^-20 s are 2861.02 ns
                1_700_000_001_000_002_861L, 0L, 1_700_000_000_250_000_000L);
        assertThat(frames).extracting(Frame::linkType).containsExactly(LinkType.ETHERNET, LinkType.RAW,
                LinkType.ETHERNET, LinkType.ETHERNET, LinkType.ETHERNET);
        assertThat(frames).extracting(Frame::capturedLength).containsExactly(60, 99, 42, 1514, 60);
        assertThat(frames).extracting(Frame::originalLength).containsExactly(60, 1000, 42, 1514, 60);
        assertThat(frames.get(3).bytes()).isEqualTo(PcapWriterTest.frame(1514, 4));
    }

    @Test
    void tsharkAgreesWithTheHandMadeFile() throws IOException {
        Path file = dir.resolve("hand.pcapng");
        Files.write(file, handMadeTwoSections());
        List<String> fields = Wireshark.tsharkReadsCleanly(file, "-T", "fields", "-e", "frame.time_epoch", "-e",
                "frame.cap_len", "-e", "frame.len");
        assertThat(fields).containsExactly("1700000000.500000000\t60\t60", "1700000000.123456789\t99\t1000",
                "1700000001.000002861\t42\t42", "\t1514\t1514", "1700000000.250000000\t60\t60");
    }

    @Test
    void simplePacketIsCutAtItsInterfaceSnaplen() throws IOException {
        byte[] d = PcapWriterTest.frame(200, 5);
        byte[] file = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.ETHERNET, 64, -1, 0)
                .simplePacket(Arrays.copyOf(d, 64), 200)
                .bytes();
        List<Frame> frames = readAll(file);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).capturedLength()).isEqualTo(64);
        assertThat(frames.get(0).originalLength()).isEqualTo(200);
        assertThat(frames.get(0).bytes()).isEqualTo(Arrays.copyOf(d, 64));
    }

    /** The blocks of a file made by {@link #handMadeTwoSections()}: start, length and type of each. */
    private static List<int[]> blocks(byte[] file) {
        int second = -1;
        List<int[]> blocks = new ArrayList<>();
        for (int at = 0; at < file.length;) {
            if (at > 0 && Bytes.u32(file, at) == 0x0a0d0d0a) {
                second = at;
            }
            ByteOrder order = second < 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ByteBuffer b = ByteBuffer.wrap(file, at, 8).order(order);
            int type = b.getInt();
            int length = b.getInt();
            blocks.add(new int[] {at, length, type});
            at += length;
        }
        return blocks;
    }

    @Test
    void everyTruncationDeliversTheCompleteFramesBeforeIt() throws IOException {
        byte[] file = handMadeTwoSections();
        List<int[]> blocks = blocks(file);
        List<Frame> all = readAll(file);
        assertThat(all).hasSize(5);
        for (int n = 0; n < file.length; n++) {
            byte[] prefix = Arrays.copyOf(file, n);
            if (n < 4) {
                assertThatThrownBy(() -> new PcapReader(new ByteArrayInputStream(prefix)))
                        .isInstanceOf(PcapFormatException.class);
                continue;
            }
            int length = n;
            int complete = (int) blocks.stream()
                    .filter(b -> (b[2] == 2 || b[2] == 3 || b[2] == 6) && b[0] + b[1] <= length).count();
            boolean atBoundary = blocks.stream().anyMatch(b -> b[0] == length);
            try (PcapReader r = new PcapReader(new ByteArrayInputStream(prefix))) {
                List<Frame> frames = new ArrayList<>();
                for (PcapRecord rec = r.next(); rec != null; rec = r.next()) {
                    frames.add(Frame.of(rec));
                }
                assertThat(frames).as("prefix %d", n).isEqualTo(all.subList(0, complete));
                if (atBoundary) {
                    assertThat(r.problem()).as("prefix %d", n).isNull();
                } else {
                    assertThat(r.problem()).as("prefix %d", n)
                            .matches("last block (header )?truncated: \\d+ of \\d+ bytes");
                }
            }
        }
    }

    @Test
    void truncationIsReportedWithTheBytesThatCame() throws IOException {
        byte[] file = handMadeTwoSections();
        // The section header is 28 bytes, the first interface description 40.
        assertThat(problemAfterReading(Arrays.copyOf(file, 10))).isEqualTo("last block header truncated: 10 of 12 bytes");
        assertThat(problemAfterReading(Arrays.copyOf(file, 30))).isEqualTo("last block header truncated: 2 of 8 bytes");
        assertThat(problemAfterReading(Arrays.copyOf(file, 50))).isEqualTo("last block truncated: 22 of 40 bytes");
    }

    static String problemAfterReading(byte[] file) throws IOException {
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            while (r.next() != null) {
                // drain
            }
            return r.problem();
        }
    }

    private static byte[] sectionWith(ByteBuffer... blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.ETHERNET, 0, -1, 0)
                .enhancedPacket(0, 1, new byte[14], 14).bytes());
        for (ByteBuffer b : blocks) {
            out.writeBytes(Arrays.copyOf(b.array(), b.position()));
        }
        return out.toByteArray();
    }

    private static ByteBuffer block(int type, int length, int bodyBytes, int trailer) {
        ByteBuffer b = ByteBuffer.allocate(12 + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(length).position(8 + bodyBytes);
        b.putInt(trailer);
        return b;
    }

    @Test
    void absurdBlockLengthsEndTheFileAfterTheGoodFrames() throws IOException {
        assertThat(problemAfterReadingOneFrame(sectionWith(block(0xbad, 13, 4, 13))))
                .isEqualTo("block at byte 116 has length 13, not a multiple of 4");
        assertThat(problemAfterReadingOneFrame(sectionWith(block(0xbad, 8, 0, 8))))
                .isEqualTo("block at byte 116 has length 8, below 12");
        assertThat(problemAfterReadingOneFrame(sectionWith(block(0xbad, 0xfffffffc, 0, 0))))
                .isEqualTo("block at byte 116 has length 4294967292 (limit 268435456)");
        assertThat(problemAfterReadingOneFrame(sectionWith(block(0xbad, 16, 4, 20))))
                .isEqualTo("block at byte 116 ends with length 20, not 16");
        assertThat(problemAfterReadingOneFrame(sectionWith(block(6, 16, 4, 16))))
                .isEqualTo("enhanced packet block at byte 116 has length 16, below 32");
        assertThat(problemAfterReadingOneFrame(sectionWith(block(1, 12, 0, 12))))
                .isEqualTo("interface description block at byte 116 has length 12, below 20");
    }

    @Test
    void packetBlocksThatContradictTheirBlockEndTheFile() throws IOException {
        ByteBuffer capturedTooLong = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        capturedTooLong.putInt(6).putInt(36).putInt(0).putInt(0).putInt(0).putInt(5).putInt(5).putInt(0).putInt(36);
        assertThat(problemAfterReadingOneFrame(sectionWith(capturedTooLong)))
                .isEqualTo("enhanced packet block at byte 116 has captured length 5, more than its block length 36 holds");
        ByteBuffer noSuchInterface = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        noSuchInterface.putInt(6).putInt(32).putInt(7).putInt(0).putInt(0).putInt(0).putInt(0).putInt(32);
        assertThat(problemAfterReadingOneFrame(sectionWith(noSuchInterface)))
                .isEqualTo("enhanced packet block at byte 116 names interface 7 of 1 in its section");
        ByteBuffer badMagic = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        badMagic.putInt(0x0a0d0d0a).putInt(28).putInt(0x12345678).putInt(1).putLong(-1).putInt(28);
        assertThat(problemAfterReadingOneFrame(sectionWith(badMagic)))
                .isEqualTo("section header at byte 116 has unknown byte-order magic 0x78563412");
        ByteBuffer version2 = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        version2.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 2).putShort((short) 0)
                .putLong(-1).putInt(28);
        assertThat(problemAfterReadingOneFrame(sectionWith(version2)))
                .isEqualTo("section header at byte 116 has version 2.0 (only 1.x is read)");
    }

    @Test
    void aNewSectionForgetsTheInterfacesOfTheLastOne() throws IOException {
        byte[] file = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.ETHERNET, 0, -1, 0)
                .section(ByteOrder.BIG_ENDIAN)
                .enhancedPacket(0, 1, new byte[14], 14)
                .bytes();
        assertThat(problemAfterReading(file)).isEqualTo("enhanced packet block at byte 88 names interface 0 of 0 in its section");
    }

    @Test
    void endlessInterfaceDescriptionsAreCutOffAtTheLimit() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).bytes());
        ByteBuffer idb = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        idb.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(0).putInt(20);
        for (int i = 0; i <= 1 << 16; i++) {
            out.writeBytes(idb.array());
        }
        assertThat(problemAfterReading(out.toByteArray())).isEqualTo("interface description block at byte "
                + (28 + 20 * 65536) + " exceeds the limit of 65536 interfaces per section");
    }

    private static String problemAfterReadingOneFrame(byte[] file) throws IOException {
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            assertThat(r.next()).isNotNull();
            assertThat(r.next()).isNull();
            assertThat(r.next()).isNull();
            return r.problem();
        }
    }

    @Test
    void aSectionHeaderWithAnUnknownByteOrderMagicIsNotAPcapngFile() {
        byte[] file = new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN).bytes();
        file[8] = 0x11;
        assertThatThrownBy(() -> new PcapReader(new ByteArrayInputStream(file)))
                .isInstanceOf(PcapFormatException.class)
                .hasMessage("not a pcap or pcapng file (pcapng section header with byte-order magic 0x113c2b1a)");
    }

    @Test
    void decimalAndBinaryResolutionsConvertToNanoseconds() {
        assertThat(PcapReader.toNanos(1_500_000, 6)).isEqualTo(1_500_000_000L);
        assertThat(PcapReader.toNanos(15, 1)).isEqualTo(1_500_000_000L);
        assertThat(PcapReader.toNanos(1_500_000_000_000L, 12)).isEqualTo(1_500_000_000L);
        assertThat(PcapReader.toNanos(-1L, 19)).isEqualTo(1_844_674_407L);
        assertThat(PcapReader.toNanos(-1L, 127)).isZero();
        assertThat(PcapReader.toNanos(3, 0x80 | 1)).isEqualTo(1_500_000_000L);
        assertThat(PcapReader.toNanos(1L << 40, 0x80 | 40)).isEqualTo(1_000_000_000L);
        assertThat(PcapReader.toNanos(1L << 63, 0x80 | 64)).isEqualTo(500_000_000L);
        assertThat(PcapReader.toNanos(1L << 63, 0x80 | 127)).isZero();
        assertThat(PcapReader.toNanos(7, 0x80)).isEqualTo(7_000_000_000L);
    }

    @Property
    void anyResolutionConvertsWithoutThrowing(@ForAll long units, @ForAll @IntRange(max = 255) int resolution) {
        PcapReader.toNanos(units, resolution);
    }

    @Property
    void randomBytesAfterASectionHeaderNeverThrow(@ForAll boolean bigEndian, @ForAll @Size(max = 600) byte[] rest)
            throws IOException {
        byte[] head = new PcapngBuilder().section(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).bytes();
        byte[] file = Arrays.copyOf(head, head.length + rest.length);
        System.arraycopy(rest, 0, file, head.length, rest.length);
        drainNeverThrows(file);
    }

    @Property
    void randomBlocksAfterAnInterfaceNeverThrow(@ForAll @Size(max = 40) List<@IntRange(max = 7) Integer> types,
            @ForAll @Size(max = 40) List<@IntRange(max = 80) Integer> lengths, @ForAll byte[] noise)
            throws IOException {
        // Plausible block headers with random bodies reach deeper than fully random bytes.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new PcapngBuilder().section(ByteOrder.LITTLE_ENDIAN)
                .interfaceDescription(LinkType.ETHERNET, 0, -1, 0).bytes());
        int k = 0;
        for (int i = 0; i < Math.min(types.size(), lengths.size()); i++) {
            int length = lengths.get(i) & ~3;
            ByteBuffer b = ByteBuffer.allocate(Math.max(length, 8)).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(types.get(i) == 7 ? 0x0a0d0d0a : types.get(i)).putInt(length);
            while (b.hasRemaining()) {
                b.put(noise.length == 0 ? 0 : noise[k++ % noise.length]);
            }
            if (length >= 12) {
                b.putInt(length - 4, length);
            }
            out.writeBytes(b.array());
        }
        drainNeverThrows(out.toByteArray());
    }

    static void drainNeverThrows(byte[] file) throws IOException {
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(file))) {
            int n = 0;
            PcapRecord rec;
            while ((rec = r.next()) != null) {
                assertThat(rec.capturedLength()).isBetween(0, file.length);
                assertThat(rec.buffer().length).isGreaterThanOrEqualTo(rec.capturedLength());
                n++;
            }
            assertThat(n).isLessThanOrEqualTo(file.length / 12);
        } catch (PcapFormatException e) {
            assertThat(e.getMessage()).startsWith("not a pcap or pcapng file (");
        }
    }
}
