package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.wire.ChecksumTest.hex;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

class TcpTest {
    private static final int A = 0x0a630001; // 10.99.0.1, the client
    private static final int B = 0x0a630002; // 10.99.0.2, the server

    // Captured on a veth pair between two network namespaces (offloads off), with
    // `tcpdump -i veth-b -w f.pcap` and printed by `tcpdump -xx -r f.pcap`; only the TCP segments
    // (after 14 bytes of Ethernet and 20 of IPv4) are kept here.
    // Server on 10.99.0.2: `socat TCP-LISTEN:6969,reuseaddr EXEC:cat` (an echo);
    // client on 10.99.0.1: `(printf 'hello\n'; sleep 1) | socat - TCP:10.99.0.2:6969`.
    private static final String SYN = "be561b39ed530ded00000000a002faf0d05b0000"
            + "020405b4" + "0402080aaf40e3d600000000" + "0103030a";
    private static final String SYN_ACK = "1b39be5642ce58efed530deea012fe88c3280000"
            + "020405b4" + "0402080a05fa67d2af40e3d6" + "0103030a";
    private static final String ACK = "be561b39ed530dee42ce58f08010003ff0410000" + "0101080aaf40e3d605fa67d2";
    private static final String DATA_TO_SERVER = "be561b39ed530dee42ce58f08018003fac570000" + "0101080aaf40e3d605fa67d2"
            + "68656c6c6f0a";
    private static final String ACK_OF_DATA = "1b39be5642ce58f0ed530df480100040f03a0000" + "0101080a05fa67d2af40e3d6";
    private static final String DATA_TO_CLIENT = "1b39be5642ce58f0ed530df480180040ac4e0000" + "0101080a05fa67d4af40e3d6"
            + "68656c6c6f0a";
    private static final String ACK_OF_ECHO = "be561b39ed530df442ce58f68010003ff0310000" + "0101080aaf40e3d805fa67d4";
    private static final String FIN_FROM_CLIENT = "be561b39ed530df442ce58f68011003fec4b0000" + "0101080aaf40e7bd05fa67d4";
    private static final String FIN_FROM_SERVER = "1b39be5642ce58f6ed530df580110040e8640000" + "0101080a05fa6bb9af40e7bd";
    private static final String LAST_ACK = "be561b39ed530df542ce58f78010003fe8650000" + "0101080aaf40e7bd05fa6bb9";
    // `socat - TCP:10.99.0.2:7` with nothing listening on port 7: the SYN and the kernel's RST+ACK.
    private static final String SYN_TO_CLOSED_PORT = "8c520007154dc86100000000a002faf0d33b0000"
            + "020405b4" + "0402080a42b1b84e00000000" + "0103030a";
    private static final String RST_ACK = "00078c5200000000154dc8625014000030ff0000";
    // `socat -u TCP-LISTEN:6969,reuseaddr -` and `printf 'hi!' | socat -u - TCP:10.99.0.2:6969`:
    // a segment with an odd payload length (3), 10.99.0.1 -> 10.99.0.2.
    private static final String ODD_DATA = "a5001b39bddf44933e5194d58018003fe1130000" + "0101080a40b954b6a5772673"
            + "686921";

    private record Captured(String name, String hex, int src, int dst) {}

    private static final List<Captured> CAPTURED = List.of(
            new Captured("syn", SYN, A, B),
            new Captured("syn-ack", SYN_ACK, B, A),
            new Captured("ack", ACK, A, B),
            new Captured("data to server", DATA_TO_SERVER, A, B),
            new Captured("ack of data", ACK_OF_DATA, B, A),
            new Captured("data to client", DATA_TO_CLIENT, B, A),
            new Captured("ack of echo", ACK_OF_ECHO, A, B),
            new Captured("fin from client", FIN_FROM_CLIENT, A, B),
            new Captured("fin from server", FIN_FROM_SERVER, B, A),
            new Captured("last ack", LAST_ACK, A, B),
            new Captured("syn to closed port", SYN_TO_CLOSED_PORT, A, B),
            new Captured("rst-ack", RST_ACK, B, A),
            new Captured("odd data", ODD_DATA, A, B));

    private static TcpPacket packetOf(byte[] segment) {
        return new TcpPacket().wrap(segment, 0, segment.length);
    }

    private static TcpRepr parsed(String segmentHex, int src, int dst) {
        TcpRepr repr = new TcpRepr();
        assertThat(repr.parse(packetOf(hex(segmentHex)), src, dst, true)).isNull();
        return repr;
    }

    private static String text(TcpRepr repr) {
        return new String(repr.payloadBuffer(), repr.payloadOffset(), repr.payloadLength(), StandardCharsets.US_ASCII);
    }

    private static byte[] emitted(TcpRepr repr, int src, int dst) {
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(new TcpPacket().wrap(out, 0, out.length), src, dst, true);
        return out;
    }

    /** A segment with a 20-byte header, the given option bytes (a multiple of 4) and a filled checksum. */
    private static byte[] segmentWithOptions(String optionsHex) {
        byte[] options = hex(optionsHex);
        byte[] segment = new byte[20 + options.length];
        TcpPacket packet = packetOf(segment);
        packet.setSrcPort(1234);
        packet.setDstPort(80);
        packet.setSeq(1);
        packet.setDataOffset(segment.length / 4);
        packet.setFlags(TcpFlags.SYN);
        packet.setWindow(1000);
        System.arraycopy(options, 0, segment, 20, options.length);
        packet.fillChecksum(A, B);
        return segment;
    }

    @Test
    void synFromLinuxParsesWithItsOptions() {
        byte[] segment = hex(SYN);
        TcpPacket packet = packetOf(segment);
        assertThat(packet.check()).isNull();
        assertThat(packet.srcPort()).isEqualTo(48726);
        assertThat(packet.dstPort()).isEqualTo(6969);
        assertThat(Integer.toUnsignedLong(packet.seq())).isEqualTo(3981643245L);
        assertThat(packet.ack()).isZero();
        assertThat(packet.dataOffset()).isEqualTo(10);
        assertThat(packet.headerLength()).isEqualTo(40);
        assertThat(packet.flags()).isEqualTo(TcpFlags.SYN);
        assertThat(packet.window()).isEqualTo(64240);
        assertThat(packet.checksum()).isEqualTo(0xd05b);
        assertThat(packet.urgentPointer()).isZero();
        assertThat(packet.optionsOffset()).isEqualTo(20);
        assertThat(packet.optionsLength()).isEqualTo(20);
        assertThat(packet.payloadOffset()).isEqualTo(40);
        assertThat(packet.payloadLength()).isZero();
        assertThat(packet.verifyChecksum(A, B)).isTrue();

        TcpRepr repr = parsed(SYN, A, B);
        assertThat(repr.mss()).isEqualTo(1460);
        assertThat(repr.sackPermitted()).isTrue();
        assertThat(repr.hasTimestamps()).isTrue();
        assertThat(Integer.toUnsignedLong(repr.tsVal())).isEqualTo(2940265430L);
        assertThat(repr.tsEcr()).isZero();
        assertThat(repr.windowScale()).isEqualTo(10);
        assertThat(repr.sackCount()).isZero();
        assertThat(repr.segmentLength()).isEqualTo(1);
        assertThat(repr.toString()).isEqualTo("TCP src=48726 dst=6969 syn seq=3981643245 ack=0 win=64240 len=0"
                + " mss=1460 sack-permitted wscale=10 ts=2940265430,0");
    }

    @Test
    void optionCursorWalksTheLinuxSynInWireOrder() {
        TcpOptions options = new TcpOptions().wrap(packetOf(hex(SYN)));
        List<String> seen = new ArrayList<>();
        while (options.next()) {
            seen.add(options.kind() + "@" + options.optionOffset() + "+" + options.optionLength());
        }
        // The NOP at offset 36 is skipped.
        assertThat(seen).containsExactly("2@20+4", "4@24+2", "8@26+10", "3@37+3");
        assertThat(options.malformed()).isNull();
    }

    @Test
    void synAckFromLinuxParses() {
        TcpRepr repr = parsed(SYN_ACK, B, A);
        assertThat(repr.toString()).isEqualTo("TCP src=6969 dst=48726 syn ack seq=1120819439 ack=3981643246 win=65160"
                + " len=0 mss=1460 sack-permitted wscale=10 ts=100296658,2940265430");
    }

    @Test
    void dataSegmentsBothWaysParseWithTheirPayloadInPlace() {
        byte[] segment = hex(DATA_TO_SERVER);
        TcpRepr repr = new TcpRepr();
        assertThat(repr.parse(packetOf(segment), A, B, true)).isNull();
        assertThat(repr.payloadBuffer()).isSameAs(segment);
        assertThat(repr.payloadOffset()).isEqualTo(32);
        assertThat(text(repr)).isEqualTo("hello\n");
        assertThat(repr.segmentLength()).isEqualTo(6);
        assertThat(repr.mss()).isZero();
        assertThat(repr.windowScale()).isEqualTo(-1);
        assertThat(repr.sackPermitted()).isFalse();
        assertThat(repr.toString()).isEqualTo("TCP src=48726 dst=6969 psh ack seq=3981643246 ack=1120819440 win=63 len=6"
                + " ts=2940265430,100296658");

        TcpRepr echo = parsed(DATA_TO_CLIENT, B, A);
        assertThat(text(echo)).isEqualTo("hello\n");
        assertThat(echo.toString()).isEqualTo("TCP src=6969 dst=48726 psh ack seq=1120819440 ack=3981643252 win=64 len=6"
                + " ts=100296660,2940265430");
    }

    @Test
    void finCloseParses() {
        TcpRepr fin = parsed(FIN_FROM_CLIENT, A, B);
        assertThat(fin.flags()).isEqualTo(TcpFlags.FIN | TcpFlags.ACK);
        assertThat(fin.segmentLength()).isEqualTo(1);
        assertThat(fin.toString()).isEqualTo("TCP src=48726 dst=6969 fin ack seq=3981643252 ack=1120819446 win=63 len=0"
                + " ts=2940266429,100296660");
        assertThat(parsed(FIN_FROM_SERVER, B, A).toString()).isEqualTo(
                "TCP src=6969 dst=48726 fin ack seq=1120819446 ack=3981643253 win=64 len=0 ts=100297657,2940266429");
        assertThat(parsed(LAST_ACK, A, B).segmentLength()).isZero();
    }

    @Test
    void synToClosedPortIsAnsweredWithRstAck() {
        TcpRepr syn = parsed(SYN_TO_CLOSED_PORT, A, B);
        TcpRepr rst = parsed(RST_ACK, B, A);
        assertThat(rst.flags()).isEqualTo(TcpFlags.RST | TcpFlags.ACK);
        assertThat(rst.ack()).isEqualTo(syn.seq() + syn.segmentLength());
        assertThat(rst.toString()).isEqualTo("TCP src=7 dst=35922 rst ack seq=0 ack=357419106 win=0 len=0");
        assertThat(rst.headerLength()).isEqualTo(20);
    }

    @Test
    void emitReproducesEveryCapturedSegment() {
        for (Captured c : CAPTURED) {
            TcpRepr repr = parsed(c.hex(), c.src(), c.dst());
            assertThat(repr.bufferLength()).as(c.name()).isEqualTo(c.hex().length() / 2);
            // Emit at an offset into a dirty buffer: every byte must be written.
            byte[] out = new byte[5 + repr.bufferLength()];
            Arrays.fill(out, (byte) 0xa5);
            repr.emit(new TcpPacket().wrap(out, 5, repr.bufferLength()), c.src(), c.dst(), true);
            assertThat(Arrays.copyOfRange(out, 5, out.length)).as(c.name()).isEqualTo(hex(c.hex()));
        }
    }

    @Test
    void synBuiltBySettersMatchesTheKernelsBytes() {
        TcpRepr repr = new TcpRepr()
                .srcPort(48726)
                .dstPort(6969)
                .seq((int) 3981643245L)
                .flags(TcpFlags.SYN)
                .window(64240)
                .mss(1460)
                .sackPermitted(true)
                .timestamps((int) 2940265430L, 0)
                .windowScale(10);
        assertThat(repr.headerLength()).isEqualTo(40);
        assertThat(emitted(repr, A, B)).isEqualTo(hex(SYN));
    }

    @Test
    void rstBuiltBySettersMatchesTheKernelsBytes() {
        TcpRepr repr = new TcpRepr().srcPort(7).dstPort(35922).ack(357419106).flags(TcpFlags.RST | TcpFlags.ACK);
        assertThat(emitted(repr, B, A)).isEqualTo(hex(RST_ACK));
    }

    @Test
    void oddLengthPayloadChecksumPadsTheLastByte() {
        byte[] segment = hex(ODD_DATA);
        TcpPacket packet = packetOf(segment);
        assertThat(packet.payloadLength()).isEqualTo(3);
        assertThat(packet.verifyChecksum(A, B)).isTrue();
        packet.setChecksum(0);
        packet.fillChecksum(A, B);
        assertThat(packet.checksum()).isEqualTo(0xe113);

        // The same payload emitted from a repr, at an odd offset in the output.
        byte[] payload = "hi!".getBytes(StandardCharsets.US_ASCII);
        TcpRepr repr = parsed(ODD_DATA, A, B).payload(payload, 0, payload.length);
        byte[] out = new byte[1 + repr.bufferLength()];
        repr.emit(new TcpPacket().wrap(out, 1, repr.bufferLength()), A, B, true);
        assertThat(Arrays.copyOfRange(out, 1, out.length)).isEqualTo(hex(ODD_DATA));
    }

    @Test
    void emitWithoutChecksumWritesZero() {
        TcpRepr repr = parsed(ACK, A, B);
        byte[] out = new byte[repr.bufferLength()];
        Arrays.fill(out, (byte) 0xff);
        repr.emit(packetOf(out), A, B, false);
        byte[] expected = hex(ACK);
        expected[16] = 0;
        expected[17] = 0;
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void everyFlippedBitIsABadChecksum() {
        byte[] segment = hex(DATA_TO_SERVER);
        TcpRepr repr = new TcpRepr();
        for (int i = 0; i < segment.length; i++) {
            if (i == 12) {
                continue; // the data offset: its own tests below
            }
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = segment.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThat(repr.parse(packetOf(bad), A, B, true)).as("byte %d bit %d", i, bit)
                        .isEqualTo(Malformed.BAD_CHECKSUM);
            }
        }
    }

    @Test
    void wrongPseudoHeaderIsABadChecksum() {
        TcpPacket packet = packetOf(hex(SYN));
        assertThat(packet.verifyChecksum(A, 0x0a630003)).isFalse();
        assertThat(new TcpRepr().parse(packet, A, 0x0a630003, true)).isEqualTo(Malformed.BAD_CHECKSUM);
        assertThat(new TcpRepr().parse(packet, A, 0x0a630003, false)).isNull();
    }

    @Test
    void everyTruncationIsReported() {
        byte[] segment = hex(DATA_TO_SERVER); // 32 bytes of header, 6 of payload
        for (int n = 0; n < segment.length; n++) {
            TcpPacket packet = new TcpPacket().wrap(segment, 0, n);
            if (n < 32) {
                assertThat(packet.check()).as("length %d", n).isEqualTo(Malformed.TRUNCATED);
                assertThat(new TcpRepr().parse(packet, A, B, false)).as("length %d", n).isEqualTo(Malformed.TRUNCATED);
            } else {
                // TCP has no length field: a cut payload is only caught by the checksum.
                assertThat(packet.check()).as("length %d", n).isNull();
                assertThat(new TcpRepr().parse(packet, A, B, true)).as("length %d", n).isEqualTo(Malformed.BAD_CHECKSUM);
            }
        }
    }

    @Test
    void dataOffsetBelowFiveIsABadHeaderLength() {
        for (int words = 0; words < 5; words++) {
            byte[] segment = hex(SYN);
            TcpPacket packet = packetOf(segment);
            packet.setDataOffset(words);
            assertThat(packet.check()).as("data offset %d", words).isEqualTo(Malformed.BAD_HEADER_LENGTH);
            assertThat(new TcpRepr().parse(packet, A, B, false)).isEqualTo(Malformed.BAD_HEADER_LENGTH);
        }
    }

    @Test
    void dataOffsetBeyondTheBytesIsTruncated() {
        for (int words = 11; words <= 15; words++) {
            byte[] segment = hex(SYN); // 40 bytes: 10 words
            TcpPacket packet = packetOf(segment);
            packet.setDataOffset(words);
            assertThat(packet.check()).as("data offset %d", words).isEqualTo(Malformed.TRUNCATED);
            assertThat(new TcpRepr().parse(packet, A, B, false)).isEqualTo(Malformed.TRUNCATED);
        }
    }

    @Test
    void reservedBitsAreIgnoredOnParseAndClearedOnEmit() {
        byte[] segment = hex(ACK);
        segment[12] |= 0x0f;
        TcpRepr repr = new TcpRepr();
        assertThat(repr.parse(packetOf(segment), A, B, false)).isNull();
        assertThat(emitted(repr, A, B)).isEqualTo(hex(ACK));
    }

    @Test
    void unknownOptionsAreSkippedByTheirLength() {
        // kind 30 (MPTCP) with 6 bytes, kind 253 (experimental) with 2, then an MSS, NOP-padded.
        byte[] segment = segmentWithOptions("1e06aabbccdd" + "fd02" + "020405b4");
        TcpRepr repr = new TcpRepr();
        assertThat(repr.parse(packetOf(segment), A, B, true)).isNull();
        assertThat(repr.mss()).isEqualTo(1460);

        TcpOptions options = new TcpOptions().wrap(packetOf(segment));
        StringBuilder kinds = new StringBuilder();
        while (options.next()) {
            kinds.append(options.kind()).append('/').append(options.optionLength()).append(' ');
        }
        assertThat(kinds.toString()).isEqualTo("30/6 253/2 2/4 ");
    }

    @Test
    void endOfOptionListEndsTheWalk() {
        // What follows EOL is padding, even when it would not parse.
        byte[] segment = segmentWithOptions("020405b4" + "00ff0102" + "03020000");
        TcpRepr repr = new TcpRepr();
        assertThat(repr.parse(packetOf(segment), A, B, true)).isNull();
        assertThat(repr.mss()).isEqualTo(1460);
        assertThat(repr.windowScale()).isEqualTo(-1);
    }

    @Test
    void optionLengthBelowTwoIsABadOption() {
        for (String options : new String[] {"1e000000", "1e010000", "0101fd01"}) {
            assertThat(new TcpRepr().parse(packetOf(segmentWithOptions(options)), A, B, true))
                    .as(options).isEqualTo(Malformed.BAD_OPTION);
        }
    }

    @Test
    void optionRunningPastTheOptionAreaIsABadOption() {
        for (String options : new String[] {
            "01010208", // MSS claiming 8 bytes in a 4-byte area
            "01010102", // a kind in the last byte, no room for its length
            "1e05aabb", // an unknown kind running one byte past the area
            "0101080a00000001" // timestamps cut short
        }) {
            assertThat(new TcpRepr().parse(packetOf(segmentWithOptions(options)), A, B, true))
                    .as(options).isEqualTo(Malformed.BAD_OPTION);
        }
    }

    @Test
    void knownKindWithTheWrongLengthIsABadOption() {
        for (String options : new String[] {
            "0203050001010101", // MSS, length 3
            "0205050000010101", // MSS, length 5
            "0302010101010101", // window scale, length 2
            "0304070001010101", // window scale, length 4
            "0403000001010101", // SACK-permitted, length 3
            "0808000000000000", // timestamps, length 8
            "0502010101010101", // SACK with no block
            "050900000001000000020101", // SACK, length 9: not 2 + 8n
            "080c" + "00".repeat(10) + "01010101", // timestamps, length 12
        }) {
            byte[] segment = segmentWithOptions(options);
            assertThat(new TcpRepr().parse(packetOf(segment), A, B, true))
                    .as(options).isEqualTo(Malformed.BAD_OPTION);
            // The first option is the one refused.
            TcpOptions cursor = new TcpOptions().wrap(packetOf(segment));
            assertThat(cursor.next()).as(options).isFalse();
            assertThat(cursor.malformed()).as(options).isEqualTo(Malformed.BAD_OPTION);
        }
    }

    @Test
    void sackWithFiveBlocksIsABadOptionEvenWhereItFits() {
        // 42 bytes cannot be a header's option area, but the cursor may be handed any bytes.
        byte[] options = hex("052a" + "00".repeat(40));
        TcpOptions cursor = new TcpOptions().wrap(options, 0, options.length);
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.malformed()).isEqualTo(Malformed.BAD_OPTION);
        byte[] four = hex("0522" + "00".repeat(32));
        assertThat(cursor.wrap(four, 0, four.length).next()).isTrue();
        assertThat(cursor.sackBlockCount()).isEqualTo(4);
    }

    @Test
    void badOptionLeavesTheReprAsItWas() {
        TcpRepr repr = parsed(SYN, A, B);
        String before = repr.toString();
        assertThat(repr.parse(packetOf(segmentWithOptions("1e000000")), A, B, true)).isEqualTo(Malformed.BAD_OPTION);
        assertThat(repr.toString()).isEqualTo(before);
    }

    @Test
    void windowScaleAboveFourteenIsKeptAsSent() {
        // RFC 7323 §2.3 has the receiver use 14 instead; the socket decides, the wire reports.
        TcpRepr repr = new TcpRepr();
        assertThat(repr.parse(packetOf(segmentWithOptions("01030363")), A, B, true)).isNull();
        assertThat(repr.windowScale()).isEqualTo(0x63);
    }

    @Test
    void repeatedOptionsLastOneCounts() {
        TcpRepr repr = new TcpRepr();
        assertThat(repr.parse(packetOf(segmentWithOptions("020405b4" + "02040218")), A, B, true)).isNull();
        assertThat(repr.mss()).isEqualTo(536);
    }

    @Test
    void parseOverwritesOptionsOfThePreviousSegment() {
        TcpRepr repr = parsed(SYN, A, B).addSackBlock(1, 2);
        assertThat(repr.parse(packetOf(hex(RST_ACK)), B, A, true)).isNull();
        assertThat(repr.mss()).isZero();
        assertThat(repr.windowScale()).isEqualTo(-1);
        assertThat(repr.sackPermitted()).isFalse();
        assertThat(repr.hasTimestamps()).isFalse();
        assertThat(repr.sackCount()).isZero();
    }

    @Test
    void sackBlocksEmitAsExpectedByHand() {
        TcpRepr repr = new TcpRepr()
                .srcPort(40000).dstPort(6969).seq(1000).ack(2000).flags(TcpFlags.ACK).window(501)
                .timestamps(123, 456)
                .addSackBlock(3000, 4000).addSackBlock(5000, 6000).addSackBlock(7000, 8000);
        assertThat(repr.sackBlocksEmitted()).isEqualTo(3);
        assertThat(repr.headerLength()).isEqualTo(60);
        byte[] segment = emitted(repr, A, B);
        String expected = "9c40" + "1b39" + "000003e8" + "000007d0" + "f0" + "10" + "01f5" + "%04x" + "0000"
                + "0101080a" + "0000007b" + "000001c8" // NOP NOP timestamps 123 456
                + "0101051a" // NOP NOP SACK, 2 + 3 * 8 bytes
                + "00000bb8" + "00000fa0" + "00001388" + "00001770" + "00001b58" + "00001f40";
        assertThat(segment).isEqualTo(hex(String.format(expected, packetOf(segment).checksum())));
        assertThat(packetOf(segment).verifyChecksum(A, B)).isTrue();

        TcpRepr back = new TcpRepr();
        assertThat(back.parse(packetOf(segment), A, B, true)).isNull();
        assertThat(back.toString()).isEqualTo("TCP src=40000 dst=6969 ack seq=1000 ack=2000 win=501 len=0"
                + " ts=123,456 sack=3000-4000,5000-6000,7000-8000");
    }

    @Test
    void fourSackBlocksFitWithoutTimestamps() {
        TcpRepr repr = new TcpRepr().flags(TcpFlags.ACK)
                .addSackBlock(1, 2).addSackBlock(3, 4).addSackBlock(5, 6).addSackBlock(-8, -7);
        assertThat(repr.sackBlocksEmitted()).isEqualTo(4);
        byte[] segment = emitted(repr, A, B);
        assertThat(Arrays.copyOfRange(segment, 20, segment.length)).isEqualTo(hex("01010522"
                + "00000001" + "00000002" + "00000003" + "00000004" + "00000005" + "00000006" + "fffffff8" + "fffffff9"));
        assertThat(segment[12]).isEqualTo((byte) 0xe0);
        TcpRepr back = new TcpRepr();
        assertThat(back.parse(packetOf(segment), A, B, true)).isNull();
        assertThat(back.toString()).endsWith(" sack=1-2,3-4,5-6,4294967288-4294967289");
    }

    @Test
    void sackBlocksBeyondTheOptionRoomAreLeftOut() {
        TcpRepr repr = new TcpRepr().timestamps(1, 2)
                .addSackBlock(10, 20).addSackBlock(30, 40).addSackBlock(50, 60).addSackBlock(70, 80);
        assertThat(repr.sackBlocksEmitted()).isEqualTo(3);
        repr.mss(1460).windowScale(7).sackPermitted(true);
        assertThat(repr.sackBlocksEmitted()).isEqualTo(2);
        assertThat(repr.headerLength()).isEqualTo(60);
        TcpRepr back = new TcpRepr();
        assertThat(back.parse(packetOf(emitted(repr, A, B)), A, B, true)).isNull();
        assertThat(back.sackCount()).isEqualTo(2);
        assertThat(back.sackLeft(1)).isEqualTo(30);
        assertThat(back.sackRight(1)).isEqualTo(40);
    }

    @Test
    void aFifthSackBlockIsRefused() {
        TcpRepr repr = new TcpRepr().addSackBlock(1, 2).addSackBlock(3, 4).addSackBlock(5, 6).addSackBlock(7, 8);
        assertThatThrownBy(() -> repr.addSackBlock(9, 10)).isInstanceOf(IllegalStateException.class);
        assertThat(repr.clearSackBlocks().sackCount()).isZero();
    }

    @Test
    void optionLayoutsMatchLinux() {
        // SACK-permitted without timestamps, and window scale alone, each padded to 4 bytes with NOPs.
        byte[] segment = emitted(new TcpRepr().flags(TcpFlags.SYN).sackPermitted(true).windowScale(7), A, B);
        assertThat(Arrays.copyOfRange(segment, 20, segment.length)).isEqualTo(hex("01010402" + "01030307"));
    }

    @Test
    void sackBlocksAgreeWithTshark(@TempDir Path dir) throws Exception {
        TcpRepr withTimestamps = new TcpRepr()
                .srcPort(40000).dstPort(6969).seq((int) 3000000000L).ack(2000).flags(TcpFlags.ACK).window(501)
                .timestamps(123, 456)
                .addSackBlock((int) 3000001000L, (int) 3000002000L).addSackBlock(1000, 2000).addSackBlock(-2, 5);
        TcpRepr fourBlocks = new TcpRepr()
                .srcPort(6969).dstPort(40000).seq(77).ack(88).flags(TcpFlags.ACK).window(1024)
                .addSackBlock(100, 200).addSackBlock(300, 400).addSackBlock(500, 600).addSackBlock(700, 800);
        Path file = dir.resolve("sack.pcap");
        Files.write(file, pcap(frame(emitted(withTimestamps, A, B), A, B), frame(emitted(fourBlocks, B, A), B, A)));

        Wireshark.Result tshark = Wireshark.tshark("-r", file.toString(),
                "-o", "tcp.relative_sequence_numbers:FALSE", "-o", "tcp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=|", "-E", "aggregator=,",
                "-e", "tcp.srcport", "-e", "tcp.checksum.status", "-e", "tcp.options.sack.count",
                "-e", "tcp.options.sack_le", "-e", "tcp.options.sack_re",
                "-e", "tcp.options.timestamp.tsval", "-e", "tcp.options.timestamp.tsecr");
        assertThat(tshark.exitCode()).as(tshark.stderr()).isZero();
        // checksum status 1 is "Good".
        assertThat(tshark.lines()).containsExactly(
                "40000|1|3|3000001000,1000,4294967294|3000002000,2000,5|123|456",
                "6969|1|4|100,300,500,700|200,400,600,800||");
    }

    /** Wraps a TCP segment in an Ethernet II frame and a 20-byte IPv4 header with its checksum. */
    private static byte[] frame(byte[] segment, int src, int dst) {
        byte[] frame = new byte[14 + 20 + segment.length];
        Bytes.putU48(frame, 0, 0x2e656f7326ccL);
        Bytes.putU48(frame, 6, 0x6a6fd70f4cf5L);
        Bytes.putU16(frame, 12, 0x0800);
        byte[] ip = hex("4500" + "0000" + "0000" + "4000" + "4006" + "0000" + "00000000" + "00000000");
        System.arraycopy(ip, 0, frame, 14, 20);
        Bytes.putU16(frame, 16, 20 + segment.length);
        Bytes.putU32(frame, 26, src);
        Bytes.putU32(frame, 30, dst);
        Bytes.putU16(frame, 24, Checksum.complement(Checksum.add(0, frame, 14, 20)));
        System.arraycopy(segment, 0, frame, 34, segment.length);
        return frame;
    }

    /** A minimal pcap file (little-endian, microseconds, LINKTYPE_ETHERNET) holding {@code frames}. */
    private static byte[] pcap(byte[]... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeLe32(out, 0xa1b2c3d4); // magic
        writeLe16(out, 2); // version 2.4
        writeLe16(out, 4);
        writeLe32(out, 0); // time zone offset
        writeLe32(out, 0); // timestamp accuracy
        writeLe32(out, 65535); // snapshot length
        writeLe32(out, 1); // LINKTYPE_ETHERNET
        int second = 1;
        for (byte[] frame : frames) {
            writeLe32(out, second++);
            writeLe32(out, 0);
            writeLe32(out, frame.length); // captured
            writeLe32(out, frame.length); // on the wire
            out.write(frame);
        }
        return out.toByteArray();
    }

    private static void writeLe16(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
    }

    private static void writeLe32(ByteArrayOutputStream out, int v) {
        writeLe16(out, v);
        writeLe16(out, v >>> 16);
    }

    @Test
    void urgentPointerIsPrintedAfterLenWhenUrgIsSet() {
        TcpRepr repr = new TcpRepr().srcPort(1).dstPort(2).flags(TcpFlags.URG | TcpFlags.ACK).urgentPointer(5);
        assertThat(repr.toString()).isEqualTo("TCP src=1 dst=2 ack urg seq=0 ack=0 win=0 len=0 urg=5");
        assertThat(repr.flags(TcpFlags.ACK).toString()).isEqualTo("TCP src=1 dst=2 ack seq=0 ack=0 win=0 len=0");
        assertThat(repr.flags(0).toString()).isEqualTo("TCP src=1 dst=2 seq=0 ack=0 win=0 len=0");
    }

    @Test
    void toStringPrintsTheBriefsExample() {
        TcpRepr repr = new TcpRepr().srcPort(40000).dstPort(6969).flags(TcpFlags.SYN | TcpFlags.ACK)
                .seq(123).ack(456).window(64240).mss(1460).sackPermitted(true).windowScale(7).timestamps(123, 0)
                .addSackBlock(100, 200).addSackBlock(300, 400);
        assertThat(repr.toString()).isEqualTo("TCP src=40000 dst=6969 syn ack seq=123 ack=456 win=64240 len=0"
                + " mss=1460 sack-permitted wscale=7 ts=123,0 sack=100-200,300-400");
    }

    @Test
    void flagWordsComeInReadingOrder() {
        assertThat(TcpFlags.words(0)).isEmpty();
        assertThat(TcpFlags.words(0xff)).isEqualTo("syn fin rst psh ack urg ece cwr");
        assertThat(TcpFlags.words(TcpFlags.FIN | TcpFlags.SYN)).isEqualTo("syn fin");
        assertThat(TcpFlags.words(TcpFlags.CWR | TcpFlags.ECE | TcpFlags.SYN)).isEqualTo("syn ece cwr");
    }

    @Test
    void segmentLengthCountsSynAndFin() {
        byte[] payload = new byte[10];
        TcpRepr repr = new TcpRepr().payload(payload, 0, 10);
        assertThat(repr.segmentLength()).isEqualTo(10);
        assertThat(repr.flags(TcpFlags.SYN | TcpFlags.FIN).segmentLength()).isEqualTo(12);
        assertThat(repr.flags(TcpFlags.RST | TcpFlags.ACK).segmentLength()).isEqualTo(10);
    }

    @Test
    void clearLeavesNothingBehind() {
        TcpRepr repr = parsed(DATA_TO_SERVER, A, B).addSackBlock(1, 2).clear();
        assertThat(repr.toString()).isEqualTo("TCP src=0 dst=0 seq=0 ack=0 win=0 len=0");
        assertThat(repr.bufferLength()).isEqualTo(20);
    }

    @Property
    void randomBytesAtAnyOffsetNeverThrow(
            @ForAll @Size(max = 100) byte[] data,
            @ForAll @IntRange(min = 0, max = 100) int offSeed,
            @ForAll @IntRange(min = 0, max = 100) int lenSeed,
            @ForAll @IntRange(min = 0, max = 15) int dataOffset,
            @ForAll boolean plantDataOffset,
            @ForAll int src,
            @ForAll int dst) {
        int off = offSeed % (data.length + 1);
        int len = lenSeed % (data.length - off + 1);
        // Random bytes rarely hold a usable data offset; plant one half of the time.
        if (plantDataOffset && len >= TcpPacket.HEADER_LEN) {
            data[off + 12] = (byte) (dataOffset << 4);
        }
        TcpPacket packet = new TcpPacket().wrap(data, off, len);
        if (packet.check() == null) {
            packet.srcPort();
            packet.dstPort();
            packet.seq();
            packet.ack();
            packet.flags();
            packet.window();
            packet.checksum();
            packet.urgentPointer();
            assertThat(packet.optionsOffset() + packet.optionsLength()).isEqualTo(packet.payloadOffset());
            assertThat(packet.payloadOffset() + packet.payloadLength()).isEqualTo(off + len);
            packet.verifyChecksum(src, dst);
            TcpOptions options = new TcpOptions().wrap(packet);
            int steps = 0;
            while (options.next()) {
                assertThat(options.optionOffset() + options.optionLength())
                        .isLessThanOrEqualTo(packet.optionsOffset() + packet.optionsLength());
                assertThat(++steps).isLessThanOrEqualTo(20);
            }
        }
        TcpRepr repr = new TcpRepr();
        if (repr.parse(packet, src, dst, true) == null) {
            repr.toString();
        }
        if (repr.parse(packet, src, dst, false) == null) {
            byte[] out = new byte[repr.bufferLength()];
            repr.emit(packetOf(out), src, dst, true);
            repr.toString();
        }
    }

    @Property
    void optionCursorOverRandomBytesNeverThrowsAndAlwaysEnds(
            @ForAll @Size(max = 60) byte[] data,
            @ForAll @IntRange(min = 0, max = 60) int offSeed,
            @ForAll @IntRange(min = 0, max = 60) int lenSeed) {
        int off = offSeed % (data.length + 1);
        int len = lenSeed % (data.length - off + 1);
        TcpOptions options = new TcpOptions().wrap(data, off, len);
        int steps = 0;
        while (options.next()) {
            assertThat(options.optionOffset() + options.optionLength()).isLessThanOrEqualTo(off + len);
            switch (options.kind()) {
                case TcpOptions.MSS -> options.mss();
                case TcpOptions.WINDOW_SCALE -> options.windowScale();
                case TcpOptions.TIMESTAMPS -> options.tsVal();
                case TcpOptions.SACK -> options.sackRight(options.sackBlockCount() - 1);
                default -> { }
            }
            assertThat(++steps).isLessThanOrEqualTo(len);
        }
    }

    @Property
    void emitThenParseIsIdentity(
            @ForAll @IntRange(max = 0xffff) int srcPort,
            @ForAll @IntRange(max = 0xffff) int dstPort,
            @ForAll int seq,
            @ForAll int ack,
            @ForAll @IntRange(max = 0xff) int flags,
            @ForAll @IntRange(max = 0xffff) int window,
            @ForAll @IntRange(max = 0xffff) int urgentPointer,
            @ForAll @IntRange(max = 0xffff) int mss,
            @ForAll @IntRange(min = -1, max = 0xff) int windowScale,
            @ForAll boolean sackPermitted,
            @ForAll boolean timestamps,
            @ForAll int tsVal,
            @ForAll int tsEcr,
            @ForAll @Size(max = 8) int[] sackEdges,
            @ForAll @Size(max = 200) byte[] payload,
            @ForAll int src,
            @ForAll int dst) {
        TcpRepr repr = new TcpRepr().srcPort(srcPort).dstPort(dstPort).seq(seq).ack(ack).flags(flags).window(window)
                .urgentPointer(urgentPointer).mss(mss).windowScale(windowScale).sackPermitted(sackPermitted)
                .payload(payload, 0, payload.length);
        if (timestamps) {
            repr.timestamps(tsVal, tsEcr);
        }
        for (int i = 0; i + 1 < sackEdges.length; i += 2) {
            repr.addSackBlock(sackEdges[i], sackEdges[i + 1]);
        }
        byte[] segment = emitted(repr, src, dst);
        assertThat(segment.length).isEqualTo(repr.bufferLength());
        assertThat(repr.headerLength() % 4).isZero();

        TcpRepr back = new TcpRepr();
        assertThat(back.parse(packetOf(segment), src, dst, true)).isNull();
        assertThat(back.srcPort()).isEqualTo(srcPort);
        assertThat(back.dstPort()).isEqualTo(dstPort);
        assertThat(back.seq()).isEqualTo(seq);
        assertThat(back.ack()).isEqualTo(ack);
        assertThat(back.flags()).isEqualTo(flags);
        assertThat(back.window()).isEqualTo(window);
        assertThat(back.urgentPointer()).isEqualTo(urgentPointer);
        assertThat(back.mss()).isEqualTo(mss);
        assertThat(back.windowScale()).isEqualTo(windowScale);
        assertThat(back.sackPermitted()).isEqualTo(sackPermitted);
        assertThat(back.hasTimestamps()).isEqualTo(timestamps);
        assertThat(back.tsVal()).isEqualTo(timestamps ? tsVal : 0);
        assertThat(back.tsEcr()).isEqualTo(timestamps ? tsEcr : 0);
        assertThat(back.sackCount()).isEqualTo(repr.sackBlocksEmitted());
        for (int i = 0; i < back.sackCount(); i++) {
            assertThat(back.sackLeft(i)).isEqualTo(repr.sackLeft(i));
            assertThat(back.sackRight(i)).isEqualTo(repr.sackRight(i));
        }
        assertThat(Arrays.copyOfRange(back.payloadBuffer(), back.payloadOffset(), back.payloadOffset() + back.payloadLength()))
                .isEqualTo(payload);
        assertThat(back.headerLength()).isEqualTo(repr.headerLength());
        // Emitting the parsed repr gives the same bytes again.
        assertThat(emitted(back, src, dst)).isEqualTo(segment);
    }
}
