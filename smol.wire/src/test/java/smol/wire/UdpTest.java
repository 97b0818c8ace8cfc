package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.wire.ChecksumTest.hex;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class UdpTest {
    private static final int A = 0x0a630001; // 10.99.0.1
    private static final int B = 0x0a630002; // 10.99.0.2
    private static final int ETHERNET_AND_IPV4 = 14 + 20;

    // Captured on a veth pair between two network namespaces (offloads off), with
    // `tcpdump -i veth-b -w f.pcap` and printed by `tcpdump -xx -r f.pcap`:
    // listener `socat UDP-LISTEN:6969 -` on 10.99.0.2, sender
    // `printf 'hello world\n' | socat - UDP:10.99.0.2:6969,sourceport=53` on 10.99.0.1.
    // Ethernet + IPv4 headers, then UDP 10.99.0.1:53 -> 10.99.0.2:6969, 12 bytes of payload.
    private static final String HELLO_FRAME = "2e656f7326cc6a6fd70f4cf508004500"
            + "0028cfdb400040115621" + "0a6300010a630002"
            + "00351b3900143db7" + "68656c6c6f20776f726c640a";
    // The listener's answer, `reply\n`, 10.99.0.2:6969 -> 10.99.0.1:53.
    private static final String REPLY_FRAME = "6a6fd70f4cf52e656f7326cc08004500"
            + "0022f70d400040112ef5" + "0a6300020a630001"
            + "1b390035000e73bf" + "7265706c790a";
    // `printf 'smol!' | socat - UDP:10.99.0.2:6970`: an odd payload length (5), 10.99.0.1:52992 -> 10.99.0.2:6970.
    private static final String ODD_FRAME = "2e656f7326cc6a6fd70f4cf508004500"
            + "0021d84c400040114db7" + "0a6300010a630002"
            + "cf001b3a000dfcf6" + "736d6f6c21";

    private static UdpPacket udpOf(byte[] frame) {
        return new UdpPacket().wrap(frame, ETHERNET_AND_IPV4, frame.length - ETHERNET_AND_IPV4);
    }

    private static byte[] udpBytes(String frameHex) {
        byte[] frame = hex(frameHex);
        return Arrays.copyOfRange(frame, ETHERNET_AND_IPV4, frame.length);
    }

    private static String text(UdpRepr repr) {
        return new String(repr.payloadBuffer(), repr.payloadOffset(), repr.payloadLength(), StandardCharsets.US_ASCII);
    }

    @Test
    void datagramFromSocatParses() {
        byte[] frame = hex(HELLO_FRAME);
        UdpPacket packet = udpOf(frame);
        assertThat(packet.check()).isNull();
        assertThat(packet.srcPort()).isEqualTo(53);
        assertThat(packet.dstPort()).isEqualTo(6969);
        assertThat(packet.datagramLength()).isEqualTo(20);
        assertThat(packet.checksum()).isEqualTo(0x3db7);
        assertThat(packet.payloadOffset()).isEqualTo(ETHERNET_AND_IPV4 + 8);
        assertThat(packet.payloadLength()).isEqualTo(12);
        assertThat(packet.verifyChecksum(A, B)).isTrue();

        UdpRepr repr = new UdpRepr();
        assertThat(repr.parse(packet, A, B, true)).isNull();
        assertThat(repr.srcPort()).isEqualTo(53);
        assertThat(repr.dstPort()).isEqualTo(6969);
        assertThat(text(repr)).isEqualTo("hello world\n");
        assertThat(repr.toString()).isEqualTo("UDP src=53 dst=6969 len=12");
    }

    @Test
    void parsedPayloadIsASliceOfThePacketNotACopy() {
        byte[] frame = hex(HELLO_FRAME);
        UdpRepr repr = new UdpRepr();
        repr.parse(udpOf(frame), A, B, true);
        assertThat(repr.payloadBuffer()).isSameAs(frame);
        assertThat(repr.payloadOffset()).isEqualTo(ETHERNET_AND_IPV4 + UdpPacket.HEADER_LEN);
    }

    @Test
    void emitReproducesTheCapturedDatagrams() {
        assertEmitReproduces(HELLO_FRAME, 53, 6969, "hello world\n", A, B);
        assertEmitReproduces(REPLY_FRAME, 6969, 53, "reply\n", B, A);
        assertEmitReproduces(ODD_FRAME, 52992, 6970, "smol!", A, B);
    }

    private static void assertEmitReproduces(String frameHex, int srcPort, int dstPort, String payload, int src, int dst) {
        byte[] payloadBytes = payload.getBytes(StandardCharsets.US_ASCII);
        UdpRepr repr = new UdpRepr().srcPort(srcPort).dstPort(dstPort).payload(payloadBytes, 0, payloadBytes.length);
        // Emit at an offset into a dirty buffer: every byte must be written.
        byte[] out = new byte[3 + repr.bufferLength()];
        Arrays.fill(out, (byte) 0x5a);
        repr.emit(new UdpPacket().wrap(out, 3, repr.bufferLength()), src, dst, true);
        assertThat(Arrays.copyOfRange(out, 3, out.length)).isEqualTo(udpBytes(frameHex));
    }

    @Test
    void capturedDatagramsSurviveParseThenEmit() {
        for (String frameHex : new String[] {HELLO_FRAME, REPLY_FRAME, ODD_FRAME}) {
            byte[] frame = hex(frameHex);
            int src = Bytes.u32(frame, 26);
            int dst = Bytes.u32(frame, 30);
            UdpRepr repr = new UdpRepr();
            assertThat(repr.parse(udpOf(frame), src, dst, true)).isNull();
            byte[] out = new byte[repr.bufferLength()];
            repr.emit(new UdpPacket().wrap(out, 0, out.length), src, dst, true);
            assertThat(out).isEqualTo(udpBytes(frameHex));
        }
    }

    @Test
    void oddLengthPayloadChecksumPadsTheLastByte() {
        byte[] udp = udpBytes(ODD_FRAME);
        UdpPacket packet = new UdpPacket().wrap(udp, 0, udp.length);
        assertThat(packet.payloadLength()).isEqualTo(5);
        assertThat(packet.verifyChecksum(A, B)).isTrue();
        packet.setChecksum(0x1234);
        packet.fillChecksum(A, B);
        assertThat(packet.checksum()).isEqualTo(0xfcf6);
        // The same datagram with a non-zero pad byte after it: the pad is not summed.
        byte[] padded = Arrays.copyOf(udp, udp.length + 1);
        padded[udp.length] = (byte) 0xff;
        assertThat(new UdpPacket().wrap(padded, 0, padded.length).verifyChecksum(A, B)).isTrue();
    }

    @Test
    void zeroChecksumMeansNoChecksumAndVerifies() {
        byte[] udp = udpBytes(HELLO_FRAME);
        UdpPacket packet = new UdpPacket().wrap(udp, 0, udp.length);
        packet.setChecksum(0);
        assertThat(packet.verifyChecksum(A, B)).isTrue();
        assertThat(packet.verifyChecksum(0x01020304, 0x05060708)).isTrue();
        assertThat(new UdpRepr().parse(packet, A, B, true)).isNull();
    }

    @Test
    void emitWithoutChecksumWritesZero() {
        byte[] payload = {1, 2, 3};
        UdpRepr repr = new UdpRepr().srcPort(1).dstPort(2).payload(payload, 0, 3);
        byte[] out = new byte[repr.bufferLength()];
        Arrays.fill(out, (byte) 0xee);
        UdpPacket packet = new UdpPacket().wrap(out, 0, out.length);
        repr.emit(packet, A, B, false);
        assertThat(out).isEqualTo(hex("0001" + "0002" + "000b" + "0000" + "010203"));
    }

    @Test
    void computedZeroChecksumIsSentAsAllOnes() {
        // Choose the last payload word so that the sum comes out as 0xffff, whose complement is 0.
        byte[] udp = new byte[12];
        UdpPacket packet = new UdpPacket().wrap(udp, 0, udp.length);
        packet.setSrcPort(1000);
        packet.setDstPort(2000);
        packet.setDatagramLength(12);
        int sum = Checksum.fold(Checksum.add(Checksum.pseudoHeaderIpv4(A, B, 17, 12), udp, 0, 12));
        Bytes.putU16(udp, 10, 0xffff - sum);
        assertThat(Checksum.complement(Checksum.add(Checksum.pseudoHeaderIpv4(A, B, 17, 12), udp, 0, 12))).isZero();

        packet.fillChecksum(A, B);
        assertThat(packet.checksum()).isEqualTo(0xffff);
        assertThat(packet.verifyChecksum(A, B)).isTrue();
    }

    @Test
    void everyFlippedBitOutsideTheLengthFieldIsABadChecksum() {
        byte[] udp = udpBytes(HELLO_FRAME);
        UdpRepr repr = new UdpRepr();
        for (int i = 0; i < udp.length; i++) {
            if (i == 4 || i == 5) {
                continue; // the Length field: its own test below
            }
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = udp.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThat(repr.parse(new UdpPacket().wrap(bad, 0, bad.length), A, B, true))
                        .as("byte %d bit %d", i, bit)
                        .isEqualTo(Malformed.BAD_CHECKSUM);
                assertThat(repr.parse(new UdpPacket().wrap(bad, 0, bad.length), A, B, false)).isNull();
            }
        }
    }

    @Test
    void wrongPseudoHeaderAddressesAreABadChecksum() {
        byte[] udp = udpBytes(HELLO_FRAME);
        UdpPacket packet = new UdpPacket().wrap(udp, 0, udp.length);
        assertThat(new UdpRepr().parse(packet, A, 0x0a630003, true)).isEqualTo(Malformed.BAD_CHECKSUM);
        assertThat(new UdpRepr().parse(packet, B, A, true)).isNull(); // the sum does not see the order
    }

    @Test
    void everyTruncationIsReportedAsTruncated() {
        byte[] udp = udpBytes(HELLO_FRAME);
        for (int n = 0; n < udp.length; n++) {
            UdpPacket packet = new UdpPacket().wrap(udp, 0, n);
            assertThat(packet.check()).as("length %d", n).isEqualTo(Malformed.TRUNCATED);
            assertThat(new UdpRepr().parse(packet, A, B, true)).as("length %d", n).isEqualTo(Malformed.TRUNCATED);
        }
    }

    @Test
    void lengthFieldBelowTheHeaderIsBadLength() {
        for (int field = 0; field < UdpPacket.HEADER_LEN; field++) {
            byte[] udp = udpBytes(HELLO_FRAME);
            Bytes.putU16(udp, 4, field);
            UdpPacket packet = new UdpPacket().wrap(udp, 0, udp.length);
            assertThat(packet.check()).as("length field %d", field).isEqualTo(Malformed.BAD_LENGTH);
            assertThat(new UdpRepr().parse(packet, A, B, false)).isEqualTo(Malformed.BAD_LENGTH);
        }
    }

    @Test
    void lengthFieldBeyondTheBytesIsTruncated() {
        byte[] udp = udpBytes(HELLO_FRAME);
        for (int field : new int[] {udp.length + 1, 0xffff}) {
            Bytes.putU16(udp, 4, field);
            UdpPacket packet = new UdpPacket().wrap(udp, 0, udp.length);
            assertThat(packet.check()).isEqualTo(Malformed.TRUNCATED);
            assertThat(new UdpRepr().parse(packet, A, B, false)).isEqualTo(Malformed.TRUNCATED);
        }
    }

    @Test
    void bytesAfterTheLengthFieldArePaddingAndIgnored() {
        byte[] padded = Arrays.copyOf(udpBytes(HELLO_FRAME), 20 + 26); // an Ethernet minimum frame's worth of pad
        Arrays.fill(padded, 20, padded.length, (byte) 0xa5);
        UdpPacket packet = new UdpPacket().wrap(padded, 0, padded.length);
        UdpRepr repr = new UdpRepr();
        assertThat(repr.parse(packet, A, B, true)).isNull();
        assertThat(repr.payloadLength()).isEqualTo(12);
        assertThat(text(repr)).isEqualTo("hello world\n");
    }

    @Test
    void shorterLengthFieldMakesTheTailPadding() {
        byte[] udp = udpBytes(HELLO_FRAME);
        UdpPacket packet = new UdpPacket().wrap(udp, 0, udp.length);
        packet.setDatagramLength(8 + 5);
        packet.fillChecksum(A, B);
        UdpRepr repr = new UdpRepr();
        assertThat(repr.parse(packet, A, B, true)).isNull();
        assertThat(text(repr)).isEqualTo("hello");
    }

    @Test
    void emptyPayloadEmitsAHeaderOnly() {
        UdpRepr repr = new UdpRepr().srcPort(7).dstPort(9);
        assertThat(repr.bufferLength()).isEqualTo(8);
        byte[] out = new byte[8];
        repr.emit(new UdpPacket().wrap(out, 0, 8), A, B, true);
        UdpRepr back = new UdpRepr();
        assertThat(back.parse(new UdpPacket().wrap(out, 0, 8), A, B, true)).isNull();
        assertThat(back.payloadLength()).isZero();
        assertThat(back.toString()).isEqualTo("UDP src=7 dst=9 len=0");
    }

    @Property
    void randomBytesAtAnyOffsetNeverThrow(
            @ForAll @Size(max = 80) byte[] data,
            @ForAll @IntRange(min = 0, max = 80) int offSeed,
            @ForAll @IntRange(min = 0, max = 80) int lenSeed,
            @ForAll @IntRange(min = 0, max = 90) int lengthField,
            @ForAll boolean forceLengthField,
            @ForAll int src,
            @ForAll int dst) {
        int off = offSeed % (data.length + 1);
        int len = lenSeed % (data.length - off + 1);
        // Random bytes rarely hold a plausible Length field; plant one half of the time.
        if (forceLengthField && len >= UdpPacket.HEADER_LEN) {
            Bytes.putU16(data, off + 4, lengthField);
        }
        UdpPacket packet = new UdpPacket().wrap(data, off, len);
        if (packet.check() == null) {
            packet.srcPort();
            packet.dstPort();
            packet.checksum();
            assertThat(packet.payloadOffset() + packet.payloadLength()).isLessThanOrEqualTo(off + len);
            packet.verifyChecksum(src, dst);
        }
        UdpRepr repr = new UdpRepr();
        Malformed verified = repr.parse(packet, src, dst, true);
        Malformed unverified = repr.parse(packet, src, dst, false);
        assertThat(unverified).isEqualTo(packet.check());
        if (verified == null) {
            repr.toString();
        }
    }

    @Property
    void emitThenParseIsIdentity(
            @ForAll @IntRange(max = 0xffff) int srcPort,
            @ForAll @IntRange(max = 0xffff) int dstPort,
            @ForAll @Size(max = 300) byte[] payload,
            @ForAll int src,
            @ForAll int dst,
            @ForAll boolean fillChecksum,
            @ForAll @IntRange(max = 7) int at) {
        UdpRepr repr = new UdpRepr().srcPort(srcPort).dstPort(dstPort).payload(payload, 0, payload.length);
        byte[] out = new byte[at + repr.bufferLength()];
        UdpPacket packet = new UdpPacket().wrap(out, at, repr.bufferLength());
        repr.emit(packet, src, dst, fillChecksum);
        assertThat(packet.checksum() != 0).isEqualTo(fillChecksum);

        UdpRepr back = new UdpRepr();
        assertThat(back.parse(packet, src, dst, true)).isNull();
        assertThat(back.srcPort()).isEqualTo(srcPort);
        assertThat(back.dstPort()).isEqualTo(dstPort);
        assertThat(Arrays.copyOfRange(back.payloadBuffer(), back.payloadOffset(), back.payloadOffset() + back.payloadLength()))
                .isEqualTo(payload);
        assertThat(back.toString()).isEqualTo(repr.toString());
    }
}
