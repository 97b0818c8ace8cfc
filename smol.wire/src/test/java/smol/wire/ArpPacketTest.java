package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.wire.ChecksumTest.hex;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ArpPacketTest {

    // Captured between two network namespaces joined by a veth pair (offloads off), 10.99.0.1 at
    // 02-00-00-00-00-01 and 10.99.0.2 at 02-00-00-00-00-02, with `tcpdump -i IF -w f.pcap` on the
    // first and `tcpdump -xx -r f.pcap`; the Ethernet header is cut off.

    /** `ip neigh flush dev IF` then `ping -c1 10.99.0.2`: who has 10.99.0.2? */
    static final String REQUEST = "00010800060400010200000000010a6300010000000000000a630002";
    /** The kernel's answer to {@link #REQUEST}: 10.99.0.2 is at 02-00-00-00-00-02. */
    static final String REPLY = "00010800060400020200000000020a6300020200000000010a630001";
    /** `arping -U -c1 -I IF 10.99.0.1`: gratuitous request (iputils puts the broadcast MAC in the target). */
    static final String ARPING_UNSOLICITED = "00010800060400010200000000010a630001ffffffffffff0a630001";
    /** `arping -A -c1 -I IF 10.99.0.1`: gratuitous reply. */
    static final String ARPING_REPLY = "00010800060400020200000000010a6300010200000000010a630001";

    static final long MAC_1 = 0x02_00_00_00_00_01L;
    static final long MAC_2 = 0x02_00_00_00_00_02L;
    static final int IP_1 = 0x0a630001;
    static final int IP_2 = 0x0a630002;

    static ArpPacket view(byte[] b) {
        return new ArpPacket().wrap(b, 0, b.length);
    }

    static byte[] emit(ArpRepr r) {
        byte[] out = new byte[r.bufferLength()];
        Arrays.fill(out, (byte) 0xee);
        r.emit(view(out));
        return out;
    }

    @Test
    void requestFromLinuxParses() {
        ArpPacket p = view(hex(REQUEST));
        assertThat(p.check()).isNull();
        assertThat(p.hardwareType()).isEqualTo(ArpPacket.HARDWARE_ETHERNET);
        assertThat(p.protocolType()).isEqualTo(EtherType.IPV4);
        assertThat(p.hardwareLength()).isEqualTo(6);
        assertThat(p.protocolLength()).isEqualTo(4);
        assertThat(p.packetLength()).isEqualTo(28);
        assertThat(p.operation()).isEqualTo(ArpPacket.REQUEST);
        assertThat(p.isEthernetIpv4()).isTrue();
        assertThat(p.senderMac()).isEqualTo(MAC_1);
        assertThat(p.senderIp()).isEqualTo(IP_1);
        assertThat(p.targetMac()).isZero();
        assertThat(p.targetIp()).isEqualTo(IP_2);

        ArpRepr r = new ArpRepr();
        assertThat(r.parse(p)).isNull();
        assertThat(r.isGratuitous()).isFalse();
        assertThat(r.toString()).isEqualTo("ARP request src=02-00-00-00-00-01/10.99.0.1 tgt=00-00-00-00-00-00/10.99.0.2");
    }

    @Test
    void replyFromLinuxParses() {
        ArpRepr r = new ArpRepr();
        assertThat(r.parse(view(hex(REPLY)))).isNull();
        assertThat(r.operation()).isEqualTo(ArpPacket.REPLY);
        assertThat(r.senderMac()).isEqualTo(MAC_2);
        assertThat(r.targetMac()).isEqualTo(MAC_1);
        assertThat(r.toString()).isEqualTo("ARP reply src=02-00-00-00-00-02/10.99.0.2 tgt=02-00-00-00-00-01/10.99.0.1");
    }

    @Test
    void reprEmitsTheCapturedPacketsExactly() {
        for (String captured : new String[] {REQUEST, REPLY, ARPING_UNSOLICITED, ARPING_REPLY}) {
            ArpRepr r = new ArpRepr();
            assertThat(r.parse(view(hex(captured)))).isNull();
            assertThat(emit(r)).as(r.toString()).isEqualTo(hex(captured));
        }
    }

    @Test
    void requestAndReplyFactoriesBuildWhatTheKernelSends() {
        assertThat(emit(new ArpRepr().request(MAC_1, IP_1, IP_2))).isEqualTo(hex(REQUEST));
        assertThat(emit(new ArpRepr().reply(MAC_2, IP_2, MAC_1, IP_1))).isEqualTo(hex(REPLY));
    }

    @Test
    void gratuitousArpFromArpingIsRecognised() {
        ArpRepr r = new ArpRepr();
        assertThat(r.parse(view(hex(ARPING_UNSOLICITED)))).isNull();
        assertThat(r.isGratuitous()).isTrue();
        assertThat(r.toString())
                .isEqualTo("ARP request src=02-00-00-00-00-01/10.99.0.1 tgt=ff-ff-ff-ff-ff-ff/10.99.0.1 gratuitous");

        assertThat(r.parse(view(hex(ARPING_REPLY)))).isNull();
        assertThat(r.isGratuitous()).isTrue();
        assertThat(r.toString())
                .isEqualTo("ARP reply src=02-00-00-00-00-01/10.99.0.1 tgt=02-00-00-00-00-01/10.99.0.1 gratuitous");
    }

    @Test
    void announcementIsAGratuitousRequestWithAZeroTargetMac() {
        ArpRepr r = new ArpRepr().announcement(MAC_1, IP_1);
        assertThat(r.isGratuitous()).isTrue();
        assertThat(r.operation()).isEqualTo(ArpPacket.REQUEST);
        // tshark reads this (behind a broadcast Ethernet header) as "ARP Announcement for 10.99.0.1".
        assertThat(emit(r)).isEqualTo(hex("00010800060400010200000000010a6300010000000000000a630001"));
        assertThat(r.toString())
                .isEqualTo("ARP request src=02-00-00-00-00-01/10.99.0.1 tgt=00-00-00-00-00-00/10.99.0.1 gratuitous");
    }

    @Test
    void ethernetPaddingAfterThePacketIsAccepted() {
        // A 60-byte Ethernet frame carries 46 bytes of payload: the ARP packet and 18 bytes of padding.
        byte[] padded = Arrays.copyOf(hex(REQUEST), 46);
        Arrays.fill(padded, 28, 46, (byte) 0xa5);
        ArpPacket p = view(padded);
        assertThat(p.check()).isNull();
        assertThat(p.length()).isEqualTo(46);
        assertThat(p.packetLength()).isEqualTo(28);
        ArpRepr r = new ArpRepr();
        assertThat(r.parse(p)).isNull();
        assertThat(r.targetIp()).isEqualTo(IP_2);

        r.reply(MAC_2, IP_2, MAC_1, IP_1).emit(p);
        assertThat(Arrays.copyOf(padded, 28)).isEqualTo(hex(REPLY));
        assertThat(padded[28]).as("padding left alone").isEqualTo((byte) 0xa5);
    }

    @Test
    void everyTruncationIsReportedAsTruncated() {
        byte[] b = hex(REPLY);
        for (int n = 0; n < b.length; n++) {
            ArpPacket p = new ArpPacket().wrap(b, 0, n);
            assertThat(p.check()).as("%d bytes", n).isEqualTo(Malformed.TRUNCATED);
            assertThat(new ArpRepr().parse(p)).isEqualTo(Malformed.TRUNCATED);
        }
    }

    @Test
    void addressLengthsBeyondTheBytesAreTruncated() {
        byte[] b = hex(REQUEST);
        b[4] = (byte) 255;
        b[5] = (byte) 255;
        assertThat(view(b).packetLength()).isEqualTo(1028);
        assertThat(view(b).check()).isEqualTo(Malformed.TRUNCATED);
        b[4] = 6;
        b[5] = 16; // IPv6-sized protocol addresses need 52 bytes
        assertThat(view(b).check()).isEqualTo(Malformed.TRUNCATED);
        assertThat(new ArpRepr().parse(view(b))).isEqualTo(Malformed.TRUNCATED);
    }

    @Test
    void otherAddressLengthsAreUnsupportedAndReadAsZero() {
        byte[] b = Arrays.copyOf(hex(REQUEST), 8);
        b[4] = 0;
        b[5] = 0;
        ArpPacket p = view(b);
        assertThat(p.check()).isNull();
        assertThat(p.isEthernetIpv4()).isFalse();
        assertThat(p.senderMac()).isZero();
        assertThat(p.senderIp()).isZero();
        assertThat(p.targetMac()).isZero();
        assertThat(p.targetIp()).isZero();
        assertThat(new ArpRepr().parse(p)).isEqualTo(Malformed.UNSUPPORTED);
    }

    @Test
    void otherHardwareProtocolOrOperationIsUnsupported() {
        byte[] b = hex(REQUEST);
        Bytes.putU16(b, 0, 6); // IEEE 802 hardware
        assertThat(new ArpRepr().parse(view(b))).isEqualTo(Malformed.UNSUPPORTED);

        b = hex(REQUEST);
        Bytes.putU16(b, 2, EtherType.IPV6);
        assertThat(new ArpRepr().parse(view(b))).isEqualTo(Malformed.UNSUPPORTED);

        for (int op : new int[] {0, 3, 4, 8, 0xffff}) { // 3, 4: RARP (RFC 903); 8: InARP (RFC 2390)
            b = hex(REQUEST);
            Bytes.putU16(b, 6, op);
            ArpPacket p = view(b);
            assertThat(new ArpRepr().parse(p)).as("operation %d", op).isEqualTo(Malformed.UNSUPPORTED);
            assertThat(p.check()).isNull();
            assertThat(p.operation()).as("still readable for the printer").isEqualTo(op);
        }
    }

    @Test
    void anUnknownOperationPrintsItsNumber() {
        ArpRepr r = new ArpRepr().request(MAC_1, IP_1, IP_2).operation(3);
        assertThat(r.toString()).isEqualTo("ARP op=3 src=02-00-00-00-00-01/10.99.0.1 tgt=00-00-00-00-00-00/10.99.0.2");
    }

    @Property
    void randomBytesNeverThrow(@ForAll @Size(max = 60) byte[] data, @ForAll int a, @ForAll int b,
            @ForAll boolean looksLikeEthernetIpv4) {
        int off = Math.floorMod(a, data.length + 1);
        int len = Math.floorMod(b, data.length - off + 1);
        if (looksLikeEthernetIpv4 && len >= 8) {
            // Reach past the type checks more often than chance does.
            System.arraycopy(hex("0001080006040001"), 0, data, off, 7);
        }
        ArpPacket p = new ArpPacket().wrap(data, off, len);
        Malformed m = p.check();
        ArpRepr r = new ArpRepr();
        Malformed parsed = r.parse(p);
        if (m != null) {
            assertThat(parsed).isEqualTo(m);
            return;
        }
        assertThat(p.packetLength()).isLessThanOrEqualTo(len);
        p.hardwareType();
        p.protocolType();
        p.operation();
        p.isEthernetIpv4();
        p.senderMac();
        p.senderIp();
        p.targetMac();
        p.targetIp();
        if (parsed == null) {
            assertThat(r.toString()).startsWith("ARP ");
        } else {
            assertThat(parsed).isEqualTo(Malformed.UNSUPPORTED);
        }
    }

    @Property
    void parseOfEmitIsIdentity(@ForAll @IntRange(min = 1, max = 2) int operation,
            @ForAll @LongRange(min = 0, max = 0xffff_ffff_ffffL) long senderMac, @ForAll int senderIp,
            @ForAll @LongRange(min = 0, max = 0xffff_ffff_ffffL) long targetMac, @ForAll int targetIp,
            @ForAll @IntRange(max = 7) int at, @ForAll @IntRange(max = 32) int padding) {
        ArpRepr r = new ArpRepr().operation(operation).senderMac(senderMac).senderIp(senderIp)
                .targetMac(targetMac).targetIp(targetIp);
        byte[] b = new byte[at + r.bufferLength() + padding];
        ArpPacket p = new ArpPacket().wrap(b, at, r.bufferLength() + padding);
        r.emit(p);
        ArpRepr back = new ArpRepr();
        assertThat(back.parse(p)).isNull();
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
        assertThat(back.toString()).isEqualTo(r.toString());
    }
}
