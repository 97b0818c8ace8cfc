package smol.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Makes fixtures/malformed.pcap and fixtures/malformed.txt from the real captures next to them, by byte
 * surgery only: frames are picked by a few byte tests, then cut or given lying fields at fixed offsets. No
 * packet parser is involved, so the fixtures can test the parsers.
 *
 * <p>Where a change leaves a checksum computable, the checksum is fixed so that the named fault is the only
 * one; the listing says so. Run {@link #main} (or MalformedFixturesTest with {@code -Dsmol.fixtures.write=true})
 * to write the files again.
 */
final class MalformedFixtures {
    private MalformedFixtures() {}

    // Offsets in an Ethernet II frame carrying IPv4 (RFC 791 §3.1) or ARP (RFC 826).
    private static final int ETH = 14;
    private static final int IP_VERSION_IHL = ETH;
    private static final int IP_TOTAL_LENGTH = ETH + 2;
    private static final int IP_FRAGMENT = ETH + 6;
    private static final int IP_PROTOCOL = ETH + 9;
    private static final int IP_CHECKSUM = ETH + 10;
    private static final int IP_SOURCE = ETH + 12;
    private static final int IP_DESTINATION = ETH + 16;
    private static final int ARP_HARDWARE_TYPE = ETH;
    private static final int ARP_PROTOCOL_TYPE = ETH + 2;
    private static final int ARP_HARDWARE_LENGTH = ETH + 4;
    private static final int ARP_PROTOCOL_LENGTH = ETH + 5;
    private static final int ARP_OPERATION = ETH + 6;
    private static final int ARP_SENDER_IP = ETH + 14;
    private static final int ARP_TARGET_IP = ETH + 24;

    /** One frame of malformed.pcap: where it came from, what was done to it, and its bytes. */
    record Entry(String source, String what, long timestampNanos, byte[] frame) {}

    /** A frame picked from a capture. */
    private record Source(String label, String kind, long timestampNanos, byte[] bytes) {
        byte[] copy() {
            return bytes.clone();
        }
    }

    /** Writes malformed.pcap and malformed.txt into the directory {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<Entry> entries = generate();
        Files.write(dir.resolve("malformed.pcap"), pcap(entries));
        Files.writeString(dir.resolve("malformed.txt"), listing(entries));
    }

    /** Returns the malformed frames, in file order. */
    static List<Entry> generate() {
        Source arpRequest = pick("arp.pcap", "ARP request", f -> etherType(f) == EtherType.ARP
                && Bytes.u16(f, ARP_OPERATION) == 1 && Bytes.u32(f, ARP_SENDER_IP) != Bytes.u32(f, ARP_TARGET_IP));
        Source echo = pick("icmp.pcap", "ICMP echo request", f -> isIpv4(f) && ihl(f) == 5
                && protocol(f) == 1 && !fragment(f) && Bytes.u8(f, ETH + 20) == 8);
        Source withOptions = pick("icmp.pcap", "IPv4 with options (record route)", f -> isIpv4(f) && ihl(f) > 5);
        Source datagram = pick("udp.pcap", "UDP datagram", f -> isIpv4(f) && protocol(f) == 17);
        Source syn = pick("tcp.pcap", "TCP SYN with options", f -> isIpv4(f) && protocol(f) == 6
                && Bytes.u8(f, l4(f) + 13) == 0x02 && dataOffset(f) > 5);
        Source segment = pick("tcp.pcap", "TCP segment with data", f -> isIpv4(f) && protocol(f) == 6
                && Bytes.u16(f, IP_TOTAL_LENGTH) - ihl(f) * 4 - dataOffset(f) * 4 > 0);

        List<Entry> out = new ArrayList<>();
        // Every truncation point of one frame of each kind: the frame as a device would hand it, n bytes long.
        for (Source s : List.of(arpRequest, echo, datagram, syn, withOptions)) {
            for (int n = 0; n < s.bytes().length; n++) {
                add(out, s, "cut to " + n + " of " + s.bytes().length + " bytes", Arrays.copyOf(s.bytes(), n));
            }
        }
        add(out, echo, "runt of 13 bytes, shorter than an Ethernet header", Arrays.copyOf(echo.bytes(), 13));

        ipv4LyingLengths(out, echo, withOptions, datagram);
        transportLyingLengths(out, datagram, syn);
        badChecksums(out, echo, datagram, syn, segment);

        byte[] f = echo.copy();
        setVersion(f, 6);
        fixIpv4Checksum(f);
        add(out, echo, "IPv4 version 6 in an IPv4 EtherType frame (header checksum fixed)", f);
        f = echo.copy();
        setVersion(f, 0);
        fixIpv4Checksum(f);
        add(out, echo, "IPv4 version 0 (header checksum fixed)", f);

        f = arpRequest.copy();
        Bytes.putU16(f, ARP_HARDWARE_TYPE, 6);
        add(out, arpRequest, "ARP hardware type 6 (IEEE 802), not Ethernet", f);
        f = arpRequest.copy();
        Bytes.putU16(f, ARP_PROTOCOL_TYPE, EtherType.IPV6);
        add(out, arpRequest, "ARP protocol type 0x86dd (IPv6), not IPv4", f);
        f = arpRequest.copy();
        Bytes.putU8(f, ARP_HARDWARE_LENGTH, 8);
        add(out, arpRequest, "ARP hardware address length 8, not 6", f);
        f = arpRequest.copy();
        Bytes.putU8(f, ARP_PROTOCOL_LENGTH, 16);
        add(out, arpRequest, "ARP protocol address length 16, not 4", f);
        f = arpRequest.copy();
        Bytes.putU16(f, ARP_OPERATION, 3);
        add(out, arpRequest, "ARP operation 3 (RARP request), neither request nor reply", f);

        byte[] e = echo.bytes();
        byte[] tagged = new byte[e.length + 4];
        System.arraycopy(e, 0, tagged, 0, 12);
        Bytes.putU16(tagged, 12, EtherType.VLAN);
        Bytes.putU16(tagged, 14, 100);
        System.arraycopy(e, 12, tagged, 16, e.length - 12);
        add(out, echo, "802.1Q tag (priority 0, VLAN 100) inserted after the source MAC; inner EtherType IPv4", tagged);
        f = echo.copy();
        Bytes.putU16(f, 12, f.length - ETH);
        add(out, echo, "EtherType field set to " + (f.length - ETH) + ", an IEEE 802.3 length (the payload's)", f);
        return out;
    }

    private static void ipv4LyingLengths(List<Entry> out, Source echo, Source withOptions, Source datagram) {
        int total = Bytes.u16(echo.bytes(), IP_TOTAL_LENGTH);
        for (int length : new int[] {total + 1, 0xffff}) {
            byte[] f = echo.copy();
            Bytes.putU16(f, IP_TOTAL_LENGTH, length);
            fixIpv4Checksum(f);
            add(out, echo, "IPv4 total length " + length + ", more than the " + total
                    + " bytes of the packet (header checksum fixed)", f);
        }
        for (int length : new int[] {19, 0}) {
            byte[] f = echo.copy();
            Bytes.putU16(f, IP_TOTAL_LENGTH, length);
            fixIpv4Checksum(f);
            add(out, echo, "IPv4 total length " + length + ", below the 20-byte header (header checksum fixed)", f);
        }
        byte[] f = withOptions.copy();
        int header = ihl(f) * 4;
        Bytes.putU16(f, IP_TOTAL_LENGTH, 40);
        fixIpv4Checksum(f);
        add(out, withOptions, "IPv4 total length 40, below its " + header + "-byte header (header checksum fixed)", f);
        for (int ihl : new int[] {4, 0}) {
            f = echo.copy();
            setIhl(f, ihl);
            add(out, echo, "IPv4 IHL " + ihl + " (" + ihl * 4 + " bytes), below the minimum 5 (header checksum as captured)", f);
        }
        f = datagram.copy();
        int packet = f.length - ETH;
        setIhl(f, 15);
        add(out, datagram, "IPv4 IHL 15 (60 bytes), beyond the " + packet
                + " bytes of the packet and its total length (header checksum as captured)", f);

        // The record-route option sits after a NOP: options are NOP, RR(type 7, length, pointer, slots).
        byte[] o = withOptions.bytes();
        int options = ETH + 20;
        int optionsLength = ihl(o) * 4 - 20;
        check(Bytes.u8(o, options) == 1 && Bytes.u8(o, options + 1) == 7,
                "the record-route frame's options should start NOP, RR");
        for (int length : new int[] {0, 1, optionsLength}) {
            f = withOptions.copy();
            Bytes.putU8(f, options + 2, length);
            fixIpv4Checksum(f);
            String why = length == optionsLength ? ", past the end of the " + optionsLength + " bytes of options"
                    : ", below the minimum 3";
            add(out, withOptions, "IPv4 record-route option length " + length + why + " (header checksum fixed)", f);
        }
    }

    private static void transportLyingLengths(List<Entry> out, Source datagram, Source syn) {
        int udp = l4(datagram.bytes());
        int udpLength = Bytes.u16(datagram.bytes(), udp + 4);
        for (int length : new int[] {udpLength + 1, 0xffff}) {
            byte[] f = datagram.copy();
            Bytes.putU16(f, udp + 4, length);
            add(out, datagram, "UDP length " + length + ", more than the " + udpLength
                    + " bytes of the datagram (UDP checksum as captured)", f);
        }
        for (int length : new int[] {7, 0}) {
            byte[] f = datagram.copy();
            Bytes.putU16(f, udp + 4, length);
            add(out, datagram, "UDP length " + length + ", below the 8-byte header (UDP checksum as captured)", f);
        }

        byte[] s = syn.bytes();
        int tcp = l4(s);
        int segment = Bytes.u16(s, IP_TOTAL_LENGTH) - ihl(s) * 4;
        for (int offset : new int[] {4, 0}) {
            byte[] f = syn.copy();
            setDataOffset(f, offset);
            fixTcpChecksum(f);
            add(out, syn, "TCP data offset " + offset + " (" + offset * 4
                    + " bytes), below the minimum 5 (TCP checksum fixed)", f);
        }
        byte[] f = syn.copy();
        setDataOffset(f, 15);
        fixTcpChecksum(f);
        add(out, syn, "TCP data offset 15 (60 bytes), beyond the " + segment + "-byte segment (TCP checksum fixed)", f);

        // Linux's SYN options: mss (kind 2, length 4) first, then sackOK, timestamps, nop, wscale (kind 3) last.
        int options = tcp + 20;
        int optionsLength = dataOffset(s) * 4 - 20;
        check(Bytes.u8(s, options) == 2 && Bytes.u8(s, options + 1) == 4, "the SYN's options should start with mss");
        int wscale = options + optionsLength - 3;
        check(Bytes.u8(s, wscale) == 3 && Bytes.u8(s, wscale + 1) == 3, "the SYN's options should end with wscale");
        for (int length : new int[] {0, 1, optionsLength + 1}) {
            f = syn.copy();
            Bytes.putU8(f, options + 1, length);
            fixTcpChecksum(f);
            String why = length > 1 ? ", past the end of the " + optionsLength + " bytes of options" : "";
            add(out, syn, "TCP option mss (first) length " + length + why + " (TCP checksum fixed)", f);
        }
        f = syn.copy();
        Bytes.putU8(f, wscale + 1, 4);
        fixTcpChecksum(f);
        add(out, syn, "TCP option wscale (last) length 4, 1 byte past the end of the options (TCP checksum fixed)", f);
    }

    private static void badChecksums(List<Entry> out, Source echo, Source datagram, Source syn, Source segment) {
        byte[] f = echo.copy();
        flip(f, IP_CHECKSUM);
        add(out, echo, "IPv4 header checksum wrong (xor 0x5555)", f);
        f = echo.copy();
        flip(f, l4(f) + 2);
        add(out, echo, "ICMP checksum wrong (xor 0x5555)", f);
        f = datagram.copy();
        flip(f, l4(f) + 6);
        add(out, datagram, "UDP checksum wrong (xor 0x5555)", f);
        f = syn.copy();
        flip(f, l4(f) + 16);
        add(out, syn, "TCP checksum wrong (xor 0x5555)", f);
        f = segment.copy();
        flip(f, l4(f) + 16);
        add(out, segment, "TCP checksum wrong (xor 0x5555)", f);
    }

    /** Returns malformed.pcap: little-endian, microseconds, snaplen 65535, Ethernet, as tcpdump writes. */
    static byte[] pcap(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes)) {
            for (Entry e : entries) {
                w.write(e.timestampNanos(), e.frame(), 0, e.frame().length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Returns malformed.txt: per frame one line of frame number (from 1), source frame, what was done; tab-separated. */
    static String listing(List<Entry> entries) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            b.append(i + 1).append('\t').append(e.source()).append('\t').append(e.what()).append('\n');
        }
        return b.toString();
    }

    private static void add(List<Entry> out, Source s, String what, byte[] frame) {
        out.add(new Entry(s.label(), s.kind() + ": " + what, s.timestampNanos(), frame));
    }

    /** Returns the first frame of fixture {@code file} that {@code test} accepts, labelled {@code file#number}. */
    private static Source pick(String file, String kind, Predicate<byte[]> test) {
        try (InputStream in = MalformedFixtures.class.getResourceAsStream("/fixtures/" + file)) {
            check(in != null, "fixture " + file + " is missing");
            try (PcapReader r = new PcapReader(new ByteArrayInputStream(in.readAllBytes()))) {
                int number = 0;
                for (PcapRecord rec = r.next(); rec != null; rec = r.next()) {
                    number++;
                    byte[] f = Arrays.copyOf(rec.buffer(), rec.capturedLength());
                    if (f.length >= ETH + 20 && test.test(f)) {
                        return new Source(file + "#" + number, kind, rec.timestampNanos(), f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + kind + " in " + file);
    }

    private static int etherType(byte[] f) {
        return Bytes.u16(f, 12);
    }

    private static boolean isIpv4(byte[] f) {
        return etherType(f) == EtherType.IPV4 && Bytes.u8(f, IP_VERSION_IHL) >>> 4 == 4;
    }

    private static int ihl(byte[] f) {
        return Bytes.u8(f, IP_VERSION_IHL) & 0x0f;
    }

    private static int protocol(byte[] f) {
        return Bytes.u8(f, IP_PROTOCOL);
    }

    private static boolean fragment(byte[] f) {
        return (Bytes.u16(f, IP_FRAGMENT) & 0x3fff) != 0;
    }

    /** Offset of the transport header, after the IPv4 header and its options. */
    private static int l4(byte[] f) {
        return ETH + ihl(f) * 4;
    }

    private static int dataOffset(byte[] f) {
        return Bytes.u8(f, l4(f) + 12) >>> 4;
    }

    private static void setVersion(byte[] f, int version) {
        f[IP_VERSION_IHL] = (byte) (version << 4 | ihl(f));
    }

    private static void setIhl(byte[] f, int ihl) {
        f[IP_VERSION_IHL] = (byte) (f[IP_VERSION_IHL] & 0xf0 | ihl);
    }

    private static void setDataOffset(byte[] f, int offset) {
        int at = l4(f) + 12;
        f[at] = (byte) (offset << 4 | f[at] & 0x0f);
    }

    private static void flip(byte[] f, int at) {
        Bytes.putU16(f, at, Bytes.u16(f, at) ^ 0x5555);
    }

    private static void fixIpv4Checksum(byte[] f) {
        int header = Math.max(20, ihl(f) * 4);
        Bytes.putU16(f, IP_CHECKSUM, 0);
        Bytes.putU16(f, IP_CHECKSUM, Checksum.complement(Checksum.add(0, f, ETH, header)));
    }

    /** Recomputes the TCP checksum over the segment the (intact) IPv4 header describes. */
    private static void fixTcpChecksum(byte[] f) {
        int at = l4(f);
        int length = Bytes.u16(f, IP_TOTAL_LENGTH) - ihl(f) * 4;
        int field = at + 16;
        Bytes.putU16(f, field, 0);
        long sum = Checksum.pseudoHeaderIpv4(Bytes.u32(f, IP_SOURCE), Bytes.u32(f, IP_DESTINATION), protocol(f), length);
        Bytes.putU16(f, field, Checksum.complement(Checksum.add(sum, f, at, length)));
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message + "; were the captures made by capture.sh?");
        }
    }
}
