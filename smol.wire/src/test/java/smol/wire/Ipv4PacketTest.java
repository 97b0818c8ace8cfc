package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.wire.ChecksumTest.hex;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Ipv4PacketTest {

    // Captured between two network namespaces joined by a veth pair (offloads off), 10.99.0.1 and
    // 10.99.0.2, with `tcpdump -i IF -w f.pcap` on the 10.99.0.1 side and `tcpdump -xx -r f.pcap`;
    // the Ethernet header is cut off.

    /** `ping -c1 -s 56 -p 61 10.99.0.2`: the echo request (DF set, 64 bytes of ICMP). */
    static final String ECHO_REQUEST = "4500005481ae40004001a4320a6300010a630002"
            + "08003c4d12d500015e4b076b000000009a8a0d0000000000"
            + "61616161616161616161616161616161616161616161616161616161616161616161616161616161";
    /** The kernel's echo reply to {@link #ECHO_REQUEST} (DF clear). */
    static final String ECHO_REPLY = "45000054e973000040017c6d0a6300020a630001"
            + "0000444d12d500015e4b076b000000009a8a0d0000000000"
            + "61616161616161616161616161616161616161616161616161616161616161616161616161616161";
    /** `ping -c1 -R 10.99.0.2`: IHL 15, options NOP + record route (length 39, pointer 8, one address recorded). */
    static final String RECORD_ROUTE_REQUEST = "4f00007c83344000400166110a6300010a630002"
            + "010727080a6300010000000000000000000000000000000000000000000000000000000000000000"
            + "08009e7412e40001604b076b00000000121d0e0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    /** `echo hello | socat - UDP4-SENDTO:10.99.0.2:9,sourceport=40000` (port 9 closed on the far side). */
    static final String UDP_TO_CLOSED_PORT = "45000022888e400040119d740a6300010a630002"
            + "9c400009000e0ae468656c6c6f0a";
    /** The kernel's ICMP port unreachable answer to {@link #UDP_TO_CLOSED_PORT}: DSCP/ECN 0xc0, no DF. */
    static final String PORT_UNREACHABLE = "45c0003eed690000400177cd0a6300020a630001"
            + "030311e500000000" + UDP_TO_CLOSED_PORT;

    // `ping -c1 -s 3000 10.99.0.2` over MTU 1500: the echo request leaves in three fragments. Their
    // headers as captured; the payloads are slices of the 3008-byte ICMP message built by
    // pingMessage(), which reproduces the captured fragments byte for byte.
    static final String FRAGMENT_1_HEADER = "450005dc849320004001bbc50a6300010a630002";
    static final String FRAGMENT_2_HEADER = "450005dc849320b94001bb0c0a6300010a630002";
    static final String FRAGMENT_3_HEADER = "45000044849301724001dfeb0a6300010a630002";

    static final int ADDRESS_1 = 0x0a630001;
    static final int ADDRESS_2 = 0x0a630002;

    /** The 3008-byte ICMP echo request of `ping -s 3000`: header, timestamp, then bytes 0x10, 0x11, … */
    static byte[] pingMessage() {
        byte[] message = new byte[3008];
        byte[] start = hex("0800760b12eb0001624b076b0000000017a40e0000000000");
        System.arraycopy(start, 0, message, 0, start.length);
        for (int k = start.length; k < message.length; k++) {
            message[k] = (byte) (k - 8);
        }
        return message;
    }

    static byte[] fragment(String header, int offset, int length) {
        byte[] packet = new byte[20 + length];
        System.arraycopy(hex(header), 0, packet, 0, 20);
        System.arraycopy(pingMessage(), offset, packet, 20, length);
        return packet;
    }

    static Ipv4Packet view(byte[] b) {
        return new Ipv4Packet().wrap(b, 0, b.length);
    }

    @Test
    void protocolNumbersHaveNames() {
        assertThat(IpProtocol.name(IpProtocol.ICMP)).isEqualTo("icmp");
        assertThat(IpProtocol.name(IpProtocol.TCP)).isEqualTo("tcp");
        assertThat(IpProtocol.name(IpProtocol.UDP)).isEqualTo("udp");
        assertThat(IpProtocol.name(89)).isEqualTo("89");
    }

    @Test
    void echoRequestFromLinuxPingParses() {
        Ipv4Packet p = view(hex(ECHO_REQUEST));
        assertThat(p.check()).isNull();
        assertThat(p.version()).isEqualTo(4);
        assertThat(p.ihl()).isEqualTo(5);
        assertThat(p.headerLength()).isEqualTo(20);
        assertThat(p.dscpEcn()).isZero();
        assertThat(p.totalLength()).isEqualTo(84);
        assertThat(p.identification()).isEqualTo(33198);
        assertThat(p.dontFragment()).isTrue();
        assertThat(p.moreFragments()).isFalse();
        assertThat(p.reservedFlag()).isFalse();
        assertThat(p.fragmentOffset()).isZero();
        assertThat(p.isFragment()).isFalse();
        assertThat(p.ttl()).isEqualTo(64);
        assertThat(p.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(p.checksum()).isEqualTo(0xa432);
        assertThat(p.src()).isEqualTo(ADDRESS_1);
        assertThat(p.dst()).isEqualTo(ADDRESS_2);
        assertThat(p.optionsLength()).isZero();
        assertThat(p.payloadOffset()).isEqualTo(20);
        assertThat(p.payloadLength()).isEqualTo(64);
        assertThat(p.verifyChecksum()).isTrue();

        Ipv4Repr r = new Ipv4Repr();
        assertThat(r.parse(p, true)).isNull();
        assertThat(r.toString()).isEqualTo("IPv4 src=10.99.0.1 dst=10.99.0.2 proto=icmp ttl=64 id=33198 len=64 df");
        assertThat(r.isFragment()).isFalse();
    }

    @Test
    void reprEmitsTheCapturedHeadersExactly() {
        for (String captured : new String[] {ECHO_REQUEST, ECHO_REPLY, UDP_TO_CLOSED_PORT, PORT_UNREACHABLE,
                FRAGMENT_1_HEADER, FRAGMENT_2_HEADER, FRAGMENT_3_HEADER}) {
            byte[] original = hex(captured);
            // Fragment headers are tested without their payload: the view needs the whole total length.
            int total = Bytes.u16(original, 2);
            byte[] whole = Arrays.copyOf(original, total);
            Ipv4Repr r = new Ipv4Repr();
            assertThat(r.parse(view(whole), true)).as(captured).isNull();
            assertThat(r.bufferLength()).isEqualTo(total);

            byte[] out = new byte[r.bufferLength()];
            Arrays.fill(out, (byte) 0xee);
            r.emit(view(out), true);
            assertThat(Arrays.copyOf(out, 20)).as(captured).isEqualTo(Arrays.copyOf(original, 20));
        }
    }

    @Test
    void icmpErrorCarriesDscpEcnAndNoDf() {
        Ipv4Repr r = new Ipv4Repr();
        assertThat(r.parse(view(hex(PORT_UNREACHABLE)), true)).isNull();
        assertThat(r.dscpEcn()).isEqualTo(0xc0);
        assertThat(r.dontFragment()).isFalse();
        assertThat(r.toString()).isEqualTo("IPv4 src=10.99.0.2 dst=10.99.0.1 proto=icmp ttl=64 id=60777 len=42");
    }

    @Test
    void recordRouteOptionsAreSkippedToFindThePayload() {
        byte[] b = hex(RECORD_ROUTE_REQUEST);
        Ipv4Packet p = view(b);
        assertThat(p.check()).isNull();
        assertThat(p.ihl()).isEqualTo(15);
        assertThat(p.headerLength()).isEqualTo(60);
        assertThat(p.optionsOffset()).isEqualTo(20);
        assertThat(p.optionsLength()).isEqualTo(40);
        // NOP, then record route: type 7, length 39, pointer 8, first slot 10.99.0.1
        assertThat(Arrays.copyOfRange(b, p.optionsOffset(), p.optionsOffset() + 8)).isEqualTo(hex("010727080a630001"));
        assertThat(p.payloadOffset()).isEqualTo(60);
        assertThat(p.payloadLength()).isEqualTo(64);
        assertThat(Bytes.u16(b, p.payloadOffset())).as("ICMP echo request type and code").isEqualTo(0x0800);
        assertThat(p.verifyChecksum()).isTrue();

        Ipv4Repr r = new Ipv4Repr();
        assertThat(r.parse(p, true)).isNull();
        assertThat(r.payloadLength()).isEqualTo(64);
        assertThat(r.toString()).isEqualTo("IPv4 src=10.99.0.1 dst=10.99.0.2 proto=icmp ttl=64 id=33588 len=64 df");
    }

    @Test
    void checksumCoversTheOptions() {
        byte[] b = hex(RECORD_ROUTE_REQUEST);
        int captured = view(b).checksum();
        view(b).fillChecksum();
        assertThat(view(b).checksum()).isEqualTo(captured);

        b[40] ^= 0x01; // inside the record route slots
        assertThat(view(b).verifyChecksum()).isFalse();
        assertThat(new Ipv4Repr().parse(view(b), true)).isEqualTo(Malformed.BAD_CHECKSUM);
    }

    @Test
    void fragmentsOfALargePingAreRecognised() {
        byte[] first = fragment(FRAGMENT_1_HEADER, 0, 1480);
        byte[] second = fragment(FRAGMENT_2_HEADER, 1480, 1480);
        byte[] last = fragment(FRAGMENT_3_HEADER, 2960, 48);
        Ipv4Repr r = new Ipv4Repr();

        assertThat(r.parse(view(first), true)).isNull();
        assertThat(view(first).isFragment()).isTrue();
        assertThat(r.isFragment()).isTrue();
        assertThat(r.toString()).isEqualTo("IPv4 src=10.99.0.1 dst=10.99.0.2 proto=icmp ttl=64 id=33939 len=1480 mf");

        assertThat(r.parse(view(second), true)).isNull();
        assertThat(view(second).fragmentOffsetUnits()).isEqualTo(185);
        assertThat(r.moreFragments()).isTrue();
        assertThat(r.fragmentOffset()).isEqualTo(1480);
        assertThat(r.toString())
                .isEqualTo("IPv4 src=10.99.0.1 dst=10.99.0.2 proto=icmp ttl=64 id=33939 len=1480 mf offset=1480");

        assertThat(r.parse(view(last), true)).isNull();
        assertThat(view(last).isFragment()).isTrue();
        assertThat(r.moreFragments()).isFalse();
        assertThat(r.fragmentOffset()).isEqualTo(2960);
        assertThat(r.payloadLength()).isEqualTo(48);
        assertThat(r.toString()).isEqualTo("IPv4 src=10.99.0.1 dst=10.99.0.2 proto=icmp ttl=64 id=33939 len=48 offset=2960");

        // Put back together at their offsets, the payloads are the ICMP message: its checksum verifies.
        byte[] message = new byte[3008];
        for (byte[] f : new byte[][] {first, second, last}) {
            Ipv4Packet p = view(f);
            System.arraycopy(f, p.payloadOffset(), message, p.fragmentOffset(), p.payloadLength());
        }
        assertThat(Checksum.sum(message, 0, message.length)).isEqualTo(0xffff);
    }

    @Test
    void ethernetPaddingAfterTheTotalLengthIsIgnored() {
        // The 34-byte UDP datagram as a 60-byte Ethernet frame carries it: 12 bytes of padding.
        byte[] padded = Arrays.copyOf(hex(UDP_TO_CLOSED_PORT), 46);
        Arrays.fill(padded, 34, 46, (byte) 0x5a);
        Ipv4Packet p = view(padded);
        assertThat(p.check()).isNull();
        assertThat(p.length()).isEqualTo(46);
        assertThat(p.payloadLength()).isEqualTo(14);
        Ipv4Repr r = new Ipv4Repr();
        assertThat(r.parse(p, true)).isNull();
        assertThat(r.payloadLength()).isEqualTo(14);
        assertThat(r.protocol()).isEqualTo(IpProtocol.UDP);
    }

    @Test
    void everyTruncationIsReportedAsTruncated() {
        for (String captured : new String[] {ECHO_REQUEST, RECORD_ROUTE_REQUEST, PORT_UNREACHABLE}) {
            byte[] b = hex(captured);
            for (int n = 0; n < b.length; n++) {
                Ipv4Packet p = new Ipv4Packet().wrap(b, 0, n);
                assertThat(p.check()).as("%d of %d bytes", n, b.length).isEqualTo(Malformed.TRUNCATED);
                assertThat(new Ipv4Repr().parse(p, true)).isEqualTo(Malformed.TRUNCATED);
            }
        }
    }

    @Test
    void truncationIsSeenAtAnOffsetInsideALargerArray() {
        byte[] inner = hex(ECHO_REQUEST);
        byte[] b = new byte[inner.length + 20];
        System.arraycopy(inner, 0, b, 10, inner.length);
        assertThat(new Ipv4Packet().wrap(b, 10, inner.length).check()).isNull();
        assertThat(new Ipv4Packet().wrap(b, 10, inner.length - 1).check()).isEqualTo(Malformed.TRUNCATED);
    }

    @Test
    void aVersionOtherThanFourIsBadVersion() {
        byte[] b = hex(ECHO_REQUEST);
        b[0] = 0x65;
        assertThat(view(b).check()).isEqualTo(Malformed.BAD_VERSION);
        b[0] = 0x05;
        assertThat(new Ipv4Repr().parse(view(b), false)).isEqualTo(Malformed.BAD_VERSION);
    }

    @Test
    void anIhlBelowFiveIsBadHeaderLength() {
        byte[] b = hex(ECHO_REQUEST);
        for (int ihl = 0; ihl < 5; ihl++) {
            b[0] = (byte) (0x40 | ihl);
            assertThat(view(b).check()).as("IHL %d", ihl).isEqualTo(Malformed.BAD_HEADER_LENGTH);
        }
    }

    @Test
    void anIhlBeyondTheBytesIsTruncated() {
        // IHL 15 asks for 60 header bytes; the view holds 40.
        byte[] b = Arrays.copyOf(hex(UDP_TO_CLOSED_PORT), 40);
        b[0] = 0x4f;
        assertThat(view(b).check()).isEqualTo(Malformed.TRUNCATED);
    }

    @Test
    void aTotalLengthBelowTheHeaderLengthIsBadLength() {
        byte[] b = hex(ECHO_REQUEST);
        Bytes.putU16(b, 2, 19);
        assertThat(view(b).check()).isEqualTo(Malformed.BAD_LENGTH);
        Bytes.putU16(b, 2, 0);
        assertThat(view(b).check()).isEqualTo(Malformed.BAD_LENGTH);
        Bytes.putU16(b, 2, 20);
        assertThat(view(b).check()).as("header only, empty payload").isNull();

        byte[] options = hex(RECORD_ROUTE_REQUEST);
        Bytes.putU16(options, 2, 59);
        assertThat(view(options).check()).isEqualTo(Malformed.BAD_LENGTH);
    }

    @Test
    void aTotalLengthBeyondTheBytesIsTruncated() {
        byte[] b = hex(ECHO_REQUEST);
        Bytes.putU16(b, 2, 85);
        assertThat(view(b).check()).isEqualTo(Malformed.TRUNCATED);
        Bytes.putU16(b, 2, 0xffff);
        assertThat(new Ipv4Repr().parse(view(b), true)).isEqualTo(Malformed.TRUNCATED);
    }

    @Test
    void aBadChecksumIsCaughtOnlyWhenAsked() {
        byte[] b = hex(ECHO_REQUEST);
        b[8] = 63; // TTL changed without updating the checksum
        assertThat(view(b).verifyChecksum()).isFalse();
        Ipv4Repr r = new Ipv4Repr();
        assertThat(r.parse(view(b), true)).isEqualTo(Malformed.BAD_CHECKSUM);
        assertThat(r.parse(view(b), false)).isNull();
        assertThat(r.ttl()).isEqualTo(63);
        view(b).fillChecksum();
        assertThat(r.parse(view(b), true)).isNull();
    }

    @Test
    void flagSettersKeepTheOtherFlagsAndTheOffset() {
        byte[] b = fragment(FRAGMENT_2_HEADER, 1480, 1480);
        Ipv4Packet p = view(b);
        p.setDontFragment(true);
        assertThat(p.moreFragments()).isTrue();
        assertThat(p.fragmentOffset()).isEqualTo(1480);
        p.setReservedFlag(true);
        p.setMoreFragments(false);
        assertThat(p.dontFragment()).isTrue();
        assertThat(p.reservedFlag()).isTrue();
        assertThat(p.fragmentOffset()).isEqualTo(1480);
        p.setFragmentOffset(65528);
        assertThat(p.fragmentOffsetUnits()).isEqualTo(8191);
        assertThat(p.dontFragment()).isTrue();
        assertThat(p.reservedFlag()).isTrue();
        p.setVersion(6);
        assertThat(p.ihl()).isEqualTo(5);
        p.setIhl(7);
        assertThat(p.version()).isEqualTo(6);
        assertThat(p.dscp()).isZero();
    }

    @Test
    void emitClearsTheReservedFlagAndWritesNoOptions() {
        byte[] out = new byte[84];
        Arrays.fill(out, (byte) 0xff);
        Ipv4Repr r = new Ipv4Repr();
        r.parse(view(hex(RECORD_ROUTE_REQUEST)), true);
        r.emit(view(out), false);
        Ipv4Packet p = view(out);
        assertThat(p.check()).isNull();
        assertThat(p.headerLength()).isEqualTo(20);
        assertThat(p.totalLength()).isEqualTo(84);
        assertThat(p.reservedFlag()).isFalse();
        assertThat(p.checksum()).isZero();
        assertThat(p.payloadOffset()).isEqualTo(20);
    }

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 100) byte[] data, @ForAll int a, @ForAll int b,
            @ForAll boolean looksLikeIpv4) {
        int off = Math.floorMod(a, data.length + 1);
        int len = Math.floorMod(b, data.length - off + 1);
        if (looksLikeIpv4 && len > 0) {
            // Reach past the version check more often than chance does.
            data[off] = (byte) (0x40 | data[off] & 0x0f);
        }
        Ipv4Packet p = new Ipv4Packet().wrap(data, off, len);
        Malformed m = p.check();
        Ipv4Repr r = new Ipv4Repr();
        assertThat(r.parse(p, true)).isIn(m, Malformed.BAD_CHECKSUM);
        assertThat(r.parse(p, false)).isEqualTo(m);
        if (m == null) {
            assertThat(p.payloadOffset() + p.payloadLength()).isLessThanOrEqualTo(off + len);
            assertThat(p.optionsOffset() + p.optionsLength()).isEqualTo(p.payloadOffset());
            p.verifyChecksum();
            p.version();
            p.dscp();
            p.ecn();
            p.identification();
            p.dontFragment();
            p.moreFragments();
            p.reservedFlag();
            p.isFragment();
            p.fragmentOffset();
            p.ttl();
            p.protocol();
            p.checksum();
            p.src();
            p.dst();
            r.toString();
        }
    }

    @Property
    void parseOfEmitIsIdentity(@ForAll int src, @ForAll int dst, @ForAll @IntRange(max = 255) int protocol,
            @ForAll @IntRange(max = 2000) int payloadLength, @ForAll @IntRange(max = 255) int ttl,
            @ForAll @IntRange(max = 0xffff) int identification, @ForAll boolean dontFragment,
            @ForAll boolean moreFragments, @ForAll @IntRange(max = 8191) int offsetUnits,
            @ForAll @IntRange(max = 255) int dscpEcn, @ForAll @IntRange(max = 7) int at) {
        Ipv4Repr r = new Ipv4Repr().src(src).dst(dst).protocol(protocol).payloadLength(payloadLength).ttl(ttl)
                .identification(identification).dontFragment(dontFragment).moreFragments(moreFragments)
                .fragmentOffset(offsetUnits * 8).dscpEcn(dscpEcn);
        byte[] b = new byte[at + r.bufferLength()];
        Ipv4Packet p = new Ipv4Packet().wrap(b, at, r.bufferLength());
        r.emit(p, true);
        assertThat(p.verifyChecksum()).isTrue();
        Ipv4Repr back = new Ipv4Repr();
        assertThat(back.parse(p, true)).isNull();
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
        assertThat(back.toString()).isEqualTo(r.toString());
    }

    @Property
    void largestPayloadStillFits(@ForAll @IntRange(min = 65500, max = 65515) int payloadLength) {
        Ipv4Repr r = new Ipv4Repr().payloadLength(payloadLength).ttl(1);
        byte[] b = new byte[r.bufferLength()];
        r.emit(view(b), true);
        assertThat(new Ipv4Repr().parse(view(b), true)).isNull();
    }
}
