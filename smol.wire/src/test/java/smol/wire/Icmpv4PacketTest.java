package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.wire.ChecksumTest.hex;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Icmpv4PacketTest {

    // Captured as described in Ipv4PacketTest (two namespaces, veth, offloads off); these add a
    // third namespace 10.99.1.2 behind 10.99.0.2, which forwards, with MTU 1000 on that link.

    /** `ping -c1 -t1 -s 16 10.99.1.2`: the request with TTL 1 ... */
    static final String TTL_ONE_REQUEST = "4500002c1581400001014e880a6300010a630102"
            + "0800fb451c7e00015b4c076b000000007d83000000000000";
    /** ... and the router's time exceeded (type 11 code 0) quoting all of it. */
    static final String TIME_EXCEEDED = "45c0004829b1000040013b7c0a6300020a630001" + "0b00f4ff00000000"
            + TTL_ONE_REQUEST;
    /** `ping -c1 -M do -s 1200 10.99.1.2`: the router's fragmentation needed (next-hop MTU 1000) header. */
    static final String FRAGMENTATION_NEEDED_HEADER = "45c0024029c00000400139750a6300020a630001"
            + "030473e1000003e8";

    /**
     * The whole 576-byte fragmentation needed: it quotes the first 548 bytes of the 1228-byte
     * request, whose ICMP data is a timestamp then bytes 0x10, 0x11, …; rebuilt byte for byte.
     */
    static byte[] fragmentationNeeded() {
        byte[] request = new byte[1228];
        byte[] start = hex("450004cc00004000400120690a6300010a630102"
                + "0800aa971c8400015d4c076b00000000fc0e010000000000");
        System.arraycopy(start, 0, request, 0, start.length);
        for (int i = start.length; i < request.length; i++) {
            request[i] = (byte) (i - 28);
        }
        byte[] header = hex(FRAGMENTATION_NEEDED_HEADER);
        byte[] error = Arrays.copyOf(header, 576);
        System.arraycopy(request, 0, error, header.length, 548);
        return error;
    }

    /** The ICMP message inside a captured IPv4 packet. */
    static Icmpv4Packet icmp(byte[] ipv4) {
        Ipv4Packet ip = new Ipv4Packet().wrap(ipv4, 0, ipv4.length);
        assertThat(ip.check()).isNull();
        return new Icmpv4Packet().wrap(ipv4, ip.payloadOffset(), ip.payloadLength());
    }

    static Icmpv4Packet icmp(String ipv4) {
        return icmp(hex(ipv4));
    }

    static byte[] bytes(Icmpv4Packet p) {
        return Arrays.copyOfRange(p.buffer(), p.offset(), p.offset() + p.length());
    }

    static byte[] data(Icmpv4Repr r) {
        return Arrays.copyOfRange(r.dataBuffer(), r.dataOffset(), r.dataOffset() + r.dataLength());
    }

    static byte[] emit(Icmpv4Repr r) {
        byte[] out = new byte[r.bufferLength()];
        Arrays.fill(out, (byte) 0xee);
        r.emit(new Icmpv4Packet().wrap(out, 0, out.length), true);
        return out;
    }

    @Test
    void unreachableCodesHaveReasons() {
        assertThat(Icmpv4Packet.unreachableReason(Icmpv4Packet.NET_UNREACHABLE)).isEqualTo("net unreachable");
        assertThat(Icmpv4Packet.unreachableReason(Icmpv4Packet.HOST_UNREACHABLE)).isEqualTo("host unreachable");
        assertThat(Icmpv4Packet.unreachableReason(Icmpv4Packet.PROTOCOL_UNREACHABLE)).isEqualTo("protocol unreachable");
        assertThat(Icmpv4Packet.unreachableReason(Icmpv4Packet.PORT_UNREACHABLE)).isEqualTo("port unreachable");
        assertThat(Icmpv4Packet.unreachableReason(Icmpv4Packet.FRAGMENTATION_NEEDED)).isEqualTo("fragmentation needed");
        assertThat(Icmpv4Packet.unreachableReason(Icmpv4Packet.COMMUNICATION_PROHIBITED))
                .isEqualTo("communication prohibited");
        assertThat(Icmpv4Packet.unreachableReason(16)).isEqualTo("code 16");
        for (int code = 0; code < 16; code++) {
            assertThat(Icmpv4Packet.unreachableReason(code)).doesNotStartWith("code");
        }
    }

    @Test
    void echoRequestFromLinuxPingParses() {
        Icmpv4Packet p = icmp(Ipv4PacketTest.ECHO_REQUEST);
        assertThat(p.check()).isNull();
        assertThat(p.type()).isEqualTo(Icmpv4Packet.ECHO_REQUEST);
        assertThat(p.code()).isZero();
        assertThat(p.checksum()).isEqualTo(0x3c4d);
        assertThat(p.echoIdentifier()).isEqualTo(4821);
        assertThat(p.echoSequence()).isEqualTo(1);
        assertThat(p.payloadOffset()).isEqualTo(28);
        assertThat(p.payloadLength()).isEqualTo(56);
        assertThat(p.verifyChecksum()).isTrue();

        Icmpv4Repr r = new Icmpv4Repr();
        assertThat(r.parse(p, true)).isNull();
        assertThat(r.kind()).isEqualTo(Icmpv4Repr.Kind.ECHO_REQUEST);
        assertThat(r.id()).isEqualTo(4821);
        assertThat(r.seq()).isEqualTo(1);
        // Zero copy: the data is the slice of the captured bytes after the 8-byte header.
        assertThat(r.dataBuffer()).isSameAs(p.buffer());
        assertThat(r.dataOffset()).isEqualTo(28);
        assertThat(r.dataLength()).isEqualTo(56);
        assertThat(r.toString()).isEqualTo("ICMPv4 echo request id=4821 seq=1 len=56");
    }

    @Test
    void echoReplyFromLinuxParses() {
        Icmpv4Repr r = new Icmpv4Repr();
        assertThat(r.parse(icmp(Ipv4PacketTest.ECHO_REPLY), true)).isNull();
        assertThat(r.kind()).isEqualTo(Icmpv4Repr.Kind.ECHO_REPLY);
        assertThat(r.type()).isEqualTo(Icmpv4Packet.ECHO_REPLY);
        assertThat(r.toString()).isEqualTo("ICMPv4 echo reply id=4821 seq=1 len=56");
    }

    @Test
    void reprEmitsTheCapturedMessagesExactly() {
        for (byte[] ipv4 : new byte[][] {hex(Ipv4PacketTest.ECHO_REQUEST), hex(Ipv4PacketTest.ECHO_REPLY),
                hex(Ipv4PacketTest.RECORD_ROUTE_REQUEST), hex(Ipv4PacketTest.PORT_UNREACHABLE), hex(TIME_EXCEEDED),
                fragmentationNeeded()}) {
            Icmpv4Packet p = icmp(ipv4);
            Icmpv4Repr r = new Icmpv4Repr();
            assertThat(r.parse(p, true)).isNull();
            assertThat(r.bufferLength()).isEqualTo(p.length());
            assertThat(emit(r)).as(r.toString()).isEqualTo(bytes(p));
        }
    }

    @Test
    void echoReplyBuiltFromTheRequestIsTheKernelsReply() {
        Icmpv4Repr request = new Icmpv4Repr();
        assertThat(request.parse(icmp(Ipv4PacketTest.ECHO_REQUEST), true)).isNull();
        Icmpv4Repr reply = new Icmpv4Repr().echoReply(request.id(), request.seq(), request.dataBuffer(),
                request.dataOffset(), request.dataLength());
        assertThat(emit(reply)).isEqualTo(bytes(icmp(Ipv4PacketTest.ECHO_REPLY)));
    }

    @Test
    void echoRequestIsFoundAfterRecordRouteOptions() {
        Icmpv4Packet p = icmp(Ipv4PacketTest.RECORD_ROUTE_REQUEST);
        assertThat(p.offset()).isEqualTo(60);
        Icmpv4Repr r = new Icmpv4Repr();
        assertThat(r.parse(p, true)).isNull();
        assertThat(r.toString()).isEqualTo("ICMPv4 echo request id=4836 seq=1 len=56");
    }

    @Test
    void reassembledLargePingIsOneEchoRequest() {
        byte[] message = Ipv4PacketTest.pingMessage();
        Icmpv4Repr r = new Icmpv4Repr();
        assertThat(r.parse(new Icmpv4Packet().wrap(message, 0, message.length), true)).isNull();
        assertThat(r.toString()).isEqualTo("ICMPv4 echo request id=4843 seq=1 len=3000");
    }

    @Test
    void portUnreachableQuotesTheOffendingDatagram() {
        Icmpv4Packet p = icmp(Ipv4PacketTest.PORT_UNREACHABLE);
        assertThat(p.type()).isEqualTo(Icmpv4Packet.DEST_UNREACHABLE);
        assertThat(p.code()).isEqualTo(Icmpv4Packet.PORT_UNREACHABLE);
        Icmpv4Repr r = new Icmpv4Repr();
        assertThat(r.parse(p, true)).isNull();
        assertThat(r.kind()).isEqualTo(Icmpv4Repr.Kind.DESTINATION_UNREACHABLE);
        assertThat(r.toString()).isEqualTo("ICMPv4 destination unreachable (port unreachable)");
        // Linux quotes the whole (short) datagram, not just header + 8 bytes.
        assertThat(data(r)).isEqualTo(hex(Ipv4PacketTest.UDP_TO_CLOSED_PORT));

        Ipv4Packet quoted = new Ipv4Packet().wrap(r.dataBuffer(), r.dataOffset(), r.dataLength());
        assertThat(quoted.check()).isNull();
        assertThat(quoted.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(quoted.src()).isEqualTo(Ipv4PacketTest.ADDRESS_1);
        assertThat(quoted.dst()).isEqualTo(Ipv4PacketTest.ADDRESS_2);
        assertThat(Bytes.u16(quoted.buffer(), quoted.payloadOffset())).as("source port").isEqualTo(40000);
        assertThat(Bytes.u16(quoted.buffer(), quoted.payloadOffset() + 2)).as("destination port").isEqualTo(9);
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtu() {
        byte[] ipv4 = fragmentationNeeded();
        Icmpv4Packet p = icmp(ipv4);
        assertThat(p.length()).isEqualTo(556);
        assertThat(p.nextHopMtu()).isEqualTo(1000);
        Icmpv4Repr r = new Icmpv4Repr();
        assertThat(r.parse(p, true)).isNull();
        assertThat(r.code()).isEqualTo(Icmpv4Packet.FRAGMENTATION_NEEDED);
        assertThat(r.nextHopMtu()).isEqualTo(1000);
        assertThat(r.dataLength()).isEqualTo(548);
        assertThat(r.toString()).isEqualTo("ICMPv4 destination unreachable (fragmentation needed) mtu=1000");

        // The quote is cut short of the original's 1228 bytes: only its header is whole.
        Ipv4Packet quoted = new Ipv4Packet().wrap(r.dataBuffer(), r.dataOffset(), r.dataLength());
        assertThat(quoted.check()).isEqualTo(Malformed.TRUNCATED);
        assertThat(quoted.checkHeader()).isNull();
        assertThat(quoted.verifyChecksum()).isTrue();
        assertThat(quoted.totalLength()).isEqualTo(1228);
        assertThat(quoted.dontFragment()).isTrue();
        assertThat(quoted.dst()).isEqualTo(0x0a630102);
    }

    @Test
    void timeExceededIsKeptAsTypeCodeAndTheRest() {
        Icmpv4Packet p = icmp(TIME_EXCEEDED);
        Icmpv4Repr r = new Icmpv4Repr();
        assertThat(r.parse(p, true)).isNull();
        assertThat(r.kind()).isEqualTo(Icmpv4Repr.Kind.OTHER);
        assertThat(r.type()).isEqualTo(Icmpv4Packet.TIME_EXCEEDED);
        assertThat(r.code()).isZero();
        assertThat(r.toString()).isEqualTo("ICMPv4 type=11 code=0");
        // Everything after the checksum: the unused word, then the quoted request.
        assertThat(r.dataOffset()).isEqualTo(p.offset() + 4);
        assertThat(data(r)).isEqualTo(hex("00000000" + TTL_ONE_REQUEST));
        assertThat(r.bufferLength()).isEqualTo(52);
    }

    @Test
    void destinationUnreachableQuotesTheHeaderAndAtMostEightBytes() {
        Icmpv4Repr r = new Icmpv4Repr();
        Icmpv4Repr back = new Icmpv4Repr();

        // Options are part of the header and are quoted whole.
        byte[] recordRoute = hex(Ipv4PacketTest.RECORD_ROUTE_REQUEST);
        r.destinationUnreachable(Icmpv4Packet.PROTOCOL_UNREACHABLE, recordRoute, 0, recordRoute.length);
        assertThat(r.dataLength()).isEqualTo(68);
        byte[] message = emit(r);
        assertThat(message.length).isEqualTo(76);
        assertThat(Arrays.copyOfRange(message, 8, 76)).isEqualTo(Arrays.copyOf(recordRoute, 68));
        assertThat(back.parse(new Icmpv4Packet().wrap(message, 0, message.length), true)).isNull();
        assertThat(back.toString()).isEqualTo("ICMPv4 destination unreachable (protocol unreachable)");

        // Ethernet padding after the total length is not quoted.
        byte[] padded = Arrays.copyOf(hex(Ipv4PacketTest.UDP_TO_CLOSED_PORT), 46);
        Bytes.putU16(padded, 2, 24); // a 4-byte payload
        r.destinationUnreachable(Icmpv4Packet.PORT_UNREACHABLE, padded, 0, padded.length);
        assertThat(r.dataLength()).isEqualTo(24);
        message = emit(r);
        assertThat(back.parse(new Icmpv4Packet().wrap(message, 0, message.length), true)).isNull();
        assertThat(data(back)).isEqualTo(Arrays.copyOf(padded, 24));

        r.destinationUnreachable(Icmpv4Packet.FRAGMENTATION_NEEDED, recordRoute, 0, recordRoute.length).nextHopMtu(1280);
        message = emit(r);
        assertThat(Bytes.u32(message, 4)).isEqualTo(1280);
        assertThat(back.parse(new Icmpv4Packet().wrap(message, 0, message.length), true)).isNull();
        assertThat(back.nextHopMtu()).isEqualTo(1280);
    }

    @Test
    void everyTruncationIsReportedAsTruncated() {
        byte[] echo = bytes(icmp(Ipv4PacketTest.ECHO_REQUEST));
        for (int n = 0; n < echo.length; n++) {
            Icmpv4Packet p = new Icmpv4Packet().wrap(echo, 0, n);
            if (n < 8) {
                assertThat(p.check()).as("%d bytes", n).isEqualTo(Malformed.TRUNCATED);
                assertThat(new Icmpv4Repr().parse(p, false)).isEqualTo(Malformed.TRUNCATED);
            } else {
                // No length field: a shorter echo is still an echo, caught by its checksum.
                assertThat(p.check()).isNull();
                assertThat(new Icmpv4Repr().parse(p, true)).as("%d bytes", n).isEqualTo(Malformed.BAD_CHECKSUM);
            }
        }
        // A destination unreachable must quote the 20-byte header and 8 payload bytes.
        byte[] unreachable = bytes(icmp(Ipv4PacketTest.PORT_UNREACHABLE));
        for (int n = 0; n < unreachable.length; n++) {
            Malformed m = new Icmpv4Repr().parse(new Icmpv4Packet().wrap(unreachable, 0, n), false);
            assertThat(m).as("%d bytes", n).isEqualTo(n < 8 + 28 ? Malformed.TRUNCATED : null);
        }
    }

    @Test
    void lyingFieldsOfTheQuotedHeaderAreReported() {
        byte[] b = bytes(icmp(Ipv4PacketTest.PORT_UNREACHABLE));
        Icmpv4Packet p = new Icmpv4Packet().wrap(b, 0, b.length);
        Icmpv4Repr r = new Icmpv4Repr();

        b[8] = 0x65;
        assertThat(r.parse(p, false)).isEqualTo(Malformed.BAD_VERSION);
        b[8] = 0x44;
        assertThat(r.parse(p, false)).isEqualTo(Malformed.BAD_HEADER_LENGTH);
        b[8] = 0x4f; // 60 header bytes claimed, 34 quoted
        assertThat(r.parse(p, false)).isEqualTo(Malformed.TRUNCATED);
        b[8] = 0x46; // 24 header bytes: 10 left of a 14-byte payload, 8 needed
        assertThat(r.parse(p, false)).isNull();
        b[8] = 0x48; // 32 header bytes: 2 left of a 2-byte payload (total length 34)
        assertThat(r.parse(p, false)).isNull();
        b[8] = 0x45;
        Bytes.putU16(b, 8 + 2, 0xffff); // a quote is cut short by design: a long original is fine
        assertThat(r.parse(p, false)).isNull();
        Bytes.putU16(b, 8 + 2, 0); // below the header length: only the header is needed
        assertThat(r.parse(p, false)).isNull();
    }

    @Test
    void aBadChecksumIsCaughtOnlyWhenAsked() {
        byte[] b = bytes(icmp(Ipv4PacketTest.ECHO_REQUEST));
        Icmpv4Packet p = new Icmpv4Packet().wrap(b, 0, b.length);
        b[b.length - 1] ^= 0x40;
        assertThat(p.verifyChecksum()).isFalse();
        Icmpv4Repr r = new Icmpv4Repr();
        assertThat(r.parse(p, true)).isEqualTo(Malformed.BAD_CHECKSUM);
        assertThat(r.parse(p, false)).isNull();
        p.fillChecksum();
        assertThat(r.parse(p, true)).isNull();
    }

    @Test
    void emitWithoutChecksumLeavesItZero() {
        byte[] data = {1, 2, 3};
        Icmpv4Repr r = new Icmpv4Repr().echoRequest(7, 9, data, 0, 3);
        byte[] out = new byte[r.bufferLength()];
        Arrays.fill(out, (byte) 0xff);
        r.emit(new Icmpv4Packet().wrap(out, 0, out.length), false);
        assertThat(out).isEqualTo(hex("0800000000070009010203"));
    }

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 120) byte[] data, @ForAll int a, @ForAll int b,
            @ForAll @IntRange(max = 4) int shape) {
        int off = Math.floorMod(a, data.length + 1);
        int len = Math.floorMod(b, data.length - off + 1);
        // Steer some tries to echo and destination unreachable with a plausible quoted header.
        if (shape > 0 && len > 0) {
            data[off] = (byte) (shape == 1 ? 8 : shape == 2 ? 0 : 3);
            if (len > 8 && shape >= 3) {
                data[off + 8] = (byte) (0x40 | data[off + 8] & 0x0f);
            }
        }
        Icmpv4Packet p = new Icmpv4Packet().wrap(data, off, len);
        Malformed m = p.check();
        Icmpv4Repr r = new Icmpv4Repr();
        Malformed parsed = r.parse(p, false);
        assertThat(r.parse(p, true)).isIn(parsed, Malformed.BAD_CHECKSUM);
        if (m != null) {
            assertThat(parsed).isEqualTo(m);
            return;
        }
        p.type();
        p.code();
        p.checksum();
        p.echoIdentifier();
        p.echoSequence();
        p.nextHopMtu();
        p.verifyChecksum();
        assertThat(p.payloadOffset() + p.payloadLength()).isEqualTo(off + len);
        if (parsed == null) {
            assertThat(r.dataOffset()).isGreaterThanOrEqualTo(off);
            assertThat(r.dataOffset() + r.dataLength()).isEqualTo(off + len);
            assertThat(r.bufferLength()).isEqualTo(len);
            r.toString();
            if (r.kind() == Icmpv4Repr.Kind.DESTINATION_UNREACHABLE) {
                Ipv4Packet quoted = new Ipv4Packet().wrap(r.dataBuffer(), r.dataOffset(), r.dataLength());
                assertThat(quoted.checkHeader()).isNull();
                quoted.src();
                quoted.dst();
                quoted.protocol();
                quoted.verifyChecksum();
            }
        }
    }

    @Property
    void parseOfEmitIsIdentity(@ForAll @IntRange(max = 3) int kind, @ForAll @IntRange(max = 255) int type,
            @ForAll @IntRange(max = 255) int code, @ForAll @IntRange(max = 0xffff) int id,
            @ForAll @IntRange(max = 0xffff) int seq, @ForAll @IntRange(max = 0xffff) int mtu,
            @ForAll @Size(max = 200) byte[] data, @ForAll @IntRange(max = 7) int at) {
        Icmpv4Repr r = new Icmpv4Repr();
        switch (kind) {
            case 0 -> r.echoRequest(id, seq, data, 0, data.length);
            case 1 -> r.echoReply(id, seq, data, 0, data.length);
            case 2 -> {
                // A plausible offending datagram: a 20-byte header and some payload.
                byte[] offending = Arrays.copyOf(data, Math.max(20, data.length));
                offending[0] = 0x45;
                Bytes.putU16(offending, 2, offending.length);
                r.destinationUnreachable(code, offending, 0, offending.length);
                if (code == Icmpv4Packet.FRAGMENTATION_NEEDED) {
                    r.nextHopMtu(mtu);
                }
            }
            default -> {
                if (type == Icmpv4Packet.ECHO_REQUEST || type == Icmpv4Packet.ECHO_REPLY
                        || type == Icmpv4Packet.DEST_UNREACHABLE) {
                    type = Icmpv4Packet.TIME_EXCEEDED;
                }
                // Every message has the 4 type-dependent bytes.
                byte[] rest = data.length >= 4 ? data : Arrays.copyOf(data, 4);
                r.other(type, code, rest, 0, rest.length);
            }
        }
        byte[] b = new byte[at + r.bufferLength()];
        Icmpv4Packet p = new Icmpv4Packet().wrap(b, at, r.bufferLength());
        r.emit(p, true);
        assertThat(p.verifyChecksum()).isTrue();

        Icmpv4Repr back = new Icmpv4Repr();
        assertThat(back.parse(p, true)).isNull();
        assertThat(back.kind()).isEqualTo(r.kind());
        assertThat(back.type()).isEqualTo(r.type());
        assertThat(back.code()).isEqualTo(r.code());
        assertThat(back.id()).isEqualTo(r.id());
        assertThat(back.seq()).isEqualTo(r.seq());
        assertThat(back.nextHopMtu()).isEqualTo(r.nextHopMtu());
        assertThat(data(back)).isEqualTo(data(r));
        assertThat(back.bufferLength()).isEqualTo(r.bufferLength());
        assertThat(back.toString()).isEqualTo(r.toString());
    }
}
