package smol.wire;

/**
 * Lists an Ethernet frame the way a person reads it: one line per layer, nested layers indented by
 * two spaces, fields as {@code key=value}. Never throws, whatever the bytes.
 *
 * <p>The first line of every listing starts at column 0 with {@code EthernetII}, or with a
 * parenthesised reason when the frame is too short to be Ethernet. A layer that is malformed shows its
 * name, the reason in parentheses ({@code truncated}, {@code bad length}, {@code bad option}, …) and the
 * fields it could read; nothing below it is listed. Each {@code len=} is the byte count of that layer's
 * payload.
 *
 * <p>A wrong checksum does not make a layer malformed: an IPv4 header, ICMP, UDP or TCP checksum that
 * does not verify puts {@code (bad checksum)} after the layer's name, then every field follows as for a
 * good packet, and the layers below are listed too. Captured on a host, TCP and UDP checksums are often
 * left to the network card (checksum offload) and so are wrong in the capture: a caller that knows a
 * frame's transport checksum was left to the card says so ({@code checksumOffloaded}), and then a
 * TCP or UDP checksum that does not verify shows {@code (checksum offloaded)} instead, and one that
 * happens to verify shows nothing.
 *
 * <p>Not thread-safe: an instance reuses its views; use one per thread. Printing allocates (it builds
 * text); it is for tools and tests, not for the packet path.
 */
public final class PacketPrinter {
    private final EthernetFrame ethernetFrame = new EthernetFrame();
    private final EthernetRepr ethernet = new EthernetRepr();
    private final ArpPacket arpPacket = new ArpPacket();
    private final ArpRepr arp = new ArpRepr();
    private final Ipv4Packet ipv4Packet = new Ipv4Packet();
    private final Ipv4Repr ipv4 = new Ipv4Repr();
    private final Ipv4Packet quotedPacket = new Ipv4Packet();
    private final Icmpv4Packet icmpPacket = new Icmpv4Packet();
    private final Icmpv4Repr icmp = new Icmpv4Repr();
    private final UdpPacket udpPacket = new UdpPacket();
    private final UdpRepr udp = new UdpRepr();
    private final TcpPacket tcpPacket = new TcpPacket();
    private final TcpRepr tcp = new TcpRepr();

    // What follows a layer's name when its checksum fails (see the class comment).
    private static final String BAD_CHECKSUM = Malformed.BAD_CHECKSUM.text();
    private static final String CHECKSUM_OFFLOADED = "checksum offloaded";

    /** Returns the listing of the frame in {@code len} bytes of {@code buf} at {@code off}, each line ending in a newline. */
    public static String print(byte[] buf, int off, int len) {
        return print(buf, off, len, false);
    }

    /**
     * Returns the listing of the frame in {@code len} bytes of {@code buf} at {@code off}, each line
     * ending in a newline; {@code checksumOffloaded} says the frame's TCP or UDP checksum was left to
     * the network card, so that one that does not verify shows {@code (checksum offloaded)}.
     */
    public static String print(byte[] buf, int off, int len, boolean checksumOffloaded) {
        StringBuilder out = new StringBuilder(256);
        new PacketPrinter().print(buf, off, len, checksumOffloaded, out);
        return out.toString();
    }

    /**
     * Appends the listing of the frame in {@code len} bytes of {@code buf} at {@code off} to {@code out};
     * a TCP or UDP checksum that does not verify shows {@code (bad checksum)}.
     */
    public void print(byte[] buf, int off, int len, StringBuilder out) {
        print(buf, off, len, false, out);
    }

    /**
     * Appends the listing of the frame in {@code len} bytes of {@code buf} at {@code off} to {@code out}.
     * With {@code checksumOffloaded} (the frame's TCP or UDP checksum was left to the network card, as a
     * device reports for a frame its host sent) a TCP or UDP checksum that does not verify shows
     * {@code (checksum offloaded)}, without it {@code (bad checksum)}; every field follows in both cases.
     */
    public void print(byte[] buf, int off, int len, boolean checksumOffloaded, StringBuilder out) {
        int start = out.length();
        try {
            if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
                out.append("(no frame: bad buffer bounds)\n");
                return;
            }
            printEthernet(buf, off, len, checksumOffloaded, out);
        } catch (RuntimeException e) {
            // A bug here must not take down a capture tool: show it in place of the frame, so it gets reported.
            out.setLength(start);
            out.append("(printer error: ").append(e).append(") len=").append(len).append('\n');
        }
    }

    private void printEthernet(byte[] buf, int off, int len, boolean checksumOffloaded, StringBuilder out) {
        EthernetFrame frame = ethernetFrame.wrap(buf, off, len);
        if (frame.check() != null) {
            out.append("(too short for Ethernet: ").append(len).append(len == 1 ? " byte)\n" : " bytes)\n");
            return;
        }
        Malformed m = ethernet.parse(frame);
        if (m != null) {
            int type = frame.etherType();
            out.append("EthernetII (").append(m.text()).append(' ')
                    .append(type <= EtherType.MAX_8023_LENGTH ? "802.3 length field" : EtherType.name(type) + " tag")
                    .append(") src=").append(EthernetAddress.toString(frame.source()))
                    .append(" dst=").append(EthernetAddress.toString(frame.destination()))
                    .append(type <= EtherType.MAX_8023_LENGTH ? " length=" : " type=")
                    .append(type <= EtherType.MAX_8023_LENGTH ? Integer.toString(type) : EtherType.name(type)).append('\n');
            return;
        }
        out.append(ethernet).append('\n');
        int p = frame.payloadOffset();
        int n = frame.payloadLength();
        switch (ethernet.etherType()) {
            case EtherType.IPV4 -> printIpv4(buf, p, n, checksumOffloaded, out, 1);
            case EtherType.ARP -> printArp(buf, p, n, out, 1);
            default -> indent(out, 1).append("(").append(EtherType.name(ethernet.etherType()))
                    .append(" not decoded) len=").append(n).append('\n');
        }
    }

    private void printArp(byte[] buf, int off, int len, StringBuilder out, int depth) {
        ArpPacket packet = arpPacket.wrap(buf, off, len);
        Malformed m = arp.parse(packet);
        if (m == null) {
            indent(out, depth).append(arp).append('\n');
            return;
        }
        indent(out, depth).append("ARP (").append(m.text()).append(')');
        if (len >= 8) {
            out.append(" op=").append(packet.operation());
        }
        out.append('\n');
    }

    private void printIpv4(byte[] buf, int off, int len, boolean checksumOffloaded, StringBuilder out, int depth) {
        Ipv4Packet packet = ipv4Packet.wrap(buf, off, len);
        // The checksum is verified apart, so that a wrong one is shown and the listing goes on (see the class comment).
        Malformed m = ipv4.parse(packet, false);
        if (m != null) {
            indent(out, depth).append("IPv4 (").append(m.text()).append(')');
            if (len >= Ipv4Packet.HEADER_LEN) {
                if (m == Malformed.BAD_VERSION) {
                    out.append(" version=").append(packet.version());
                }
                appendIpv4Fields(packet, out);
            }
            out.append('\n');
            return;
        }
        // The kernel always computes the IPv4 header checksum itself: it is never left to the card.
        appendLayer(indent(out, depth), ipv4.toString(), packet.verifyChecksum() ? null : BAD_CHECKSUM);
        int p = packet.payloadOffset();
        int n = packet.payloadLength();
        if (ipv4.isFragment()) {
            // Fragments are not reassembled: the first shows what its transport header says, the rest their size.
            if (ipv4.fragmentOffset() == 0) {
                printTransportHeader(ipv4.protocol(), buf, p, n, "(first fragment)", out, depth + 1);
            } else {
                indent(out, depth + 1).append("(fragment, not reassembled) len=").append(n).append('\n');
            }
            return;
        }
        int src = ipv4.src();
        int dst = ipv4.dst();
        switch (ipv4.protocol()) {
            case IpProtocol.ICMP -> printIcmp(buf, p, n, out, depth + 1);
            case IpProtocol.UDP -> printUdp(buf, p, n, src, dst, checksumOffloaded, out, depth + 1);
            case IpProtocol.TCP -> printTcp(buf, p, n, src, dst, checksumOffloaded, out, depth + 1);
            default -> indent(out, depth + 1).append("(protocol ").append(IpProtocol.name(ipv4.protocol()))
                    .append(" not decoded) len=").append(n).append('\n');
        }
    }

    private static void appendIpv4Fields(Ipv4Packet packet, StringBuilder out) {
        out.append(" src=").append(Ipv4Address.toString(packet.src()))
                .append(" dst=").append(Ipv4Address.toString(packet.dst()))
                .append(" proto=").append(IpProtocol.name(packet.protocol()))
                .append(" ttl=").append(packet.ttl());
    }

    private void printIcmp(byte[] buf, int off, int len, StringBuilder out, int depth) {
        Icmpv4Packet packet = icmpPacket.wrap(buf, off, len);
        Malformed m = icmp.parse(packet, false);
        if (m != null) {
            indent(out, depth).append("ICMPv4 (").append(m.text()).append(')');
            if (len >= 4) {
                out.append(" type=").append(packet.type()).append(" code=").append(packet.code());
            }
            out.append('\n');
            return;
        }
        appendLayer(indent(out, depth), icmp.toString(), packet.verifyChecksum() ? null : BAD_CHECKSUM);
        if (icmp.kind() == Icmpv4Repr.Kind.DESTINATION_UNREACHABLE) {
            printEmbedded(icmp.dataBuffer(), icmp.dataOffset(), icmp.dataLength(), out, depth + 1);
        }
    }

    /**
     * Lists the original datagram that an ICMP error quotes: its IPv4 header and the first bytes of
     * its payload (RFC 792: at least 8), which are cut short by design, so lengths and checksums are
     * not checked.
     */
    private void printEmbedded(byte[] buf, int off, int len, StringBuilder out, int depth) {
        Ipv4Packet packet = quotedPacket.wrap(buf, off, len);
        Malformed m = packet.checkHeader();
        if (m != null) {
            indent(out, depth).append("IPv4 (").append(m.text()).append(") (quoted) len=").append(len).append('\n');
            return;
        }
        indent(out, depth).append("IPv4");
        appendIpv4Fields(packet, out);
        out.append(" (quoted)\n");
        int p = off + packet.headerLength();
        printTransportHeader(packet.protocol(), buf, p, len - packet.headerLength(), "(quoted)", out, depth + 1);
    }

    /**
     * Lists what can be read of a transport header that is not all there (an ICMP error's quote, the
     * first fragment of a datagram): ports, ICMP type and echo fields; no length or checksum checks.
     */
    private static void printTransportHeader(int protocol, byte[] buf, int p, int n, String note, StringBuilder out,
            int depth) {
        if (n < 4) {
            return;
        }
        switch (protocol) {
            case IpProtocol.UDP -> {
                indent(out, depth).append("UDP src=").append(Bytes.u16(buf, p)).append(" dst=").append(Bytes.u16(buf, p + 2));
                if (n >= UdpPacket.HEADER_LEN) {
                    out.append(" len=").append(Math.max(0, Bytes.u16(buf, p + 4) - UdpPacket.HEADER_LEN));
                }
            }
            case IpProtocol.TCP -> {
                indent(out, depth).append("TCP src=").append(Bytes.u16(buf, p)).append(" dst=").append(Bytes.u16(buf, p + 2));
                if (n >= 8) {
                    out.append(" seq=").append(Integer.toUnsignedString(Bytes.u32(buf, p + 4)));
                }
            }
            case IpProtocol.ICMP -> {
                int type = Bytes.u8(buf, p);
                indent(out, depth).append("ICMPv4");
                if ((type == Icmpv4Packet.ECHO_REQUEST || type == Icmpv4Packet.ECHO_REPLY) && n >= 8) {
                    out.append(type == Icmpv4Packet.ECHO_REQUEST ? " echo request" : " echo reply")
                            .append(" id=").append(Bytes.u16(buf, p + 4)).append(" seq=").append(Bytes.u16(buf, p + 6));
                } else {
                    out.append(" type=").append(type).append(" code=").append(Bytes.u8(buf, p + 1));
                }
            }
            default -> {
                return;
            }
        }
        out.append(' ').append(note).append('\n');
    }

    private void printUdp(byte[] buf, int off, int len, int src, int dst, boolean checksumOffloaded, StringBuilder out,
            int depth) {
        UdpPacket packet = udpPacket.wrap(buf, off, len);
        Malformed m = udp.parse(packet, src, dst, false);
        if (m != null) {
            indent(out, depth).append("UDP (").append(m.text()).append(')');
            if (len >= UdpPacket.HEADER_LEN) {
                out.append(" src=").append(packet.srcPort()).append(" dst=").append(packet.dstPort())
                        .append(" length=").append(packet.datagramLength());
            }
            out.append('\n');
            return;
        }
        appendLayer(indent(out, depth), udp.toString(), transportChecksumMarker(
                packet.verifyChecksum(src, dst), checksumOffloaded));
    }

    private void printTcp(byte[] buf, int off, int len, int src, int dst, boolean checksumOffloaded, StringBuilder out,
            int depth) {
        TcpPacket packet = tcpPacket.wrap(buf, off, len);
        Malformed m = tcp.parse(packet, src, dst, false);
        if (m != null) {
            indent(out, depth).append("TCP (").append(m.text()).append(')');
            if (len >= TcpPacket.HEADER_LEN) {
                out.append(" src=").append(packet.srcPort()).append(" dst=").append(packet.dstPort());
                String flags = TcpFlags.words(packet.flags());
                if (!flags.isEmpty()) {
                    out.append(' ').append(flags);
                }
                out.append(" seq=").append(Integer.toUnsignedString(packet.seq()))
                        .append(" ack=").append(Integer.toUnsignedString(packet.ack()))
                        .append(" win=").append(packet.window());
                if (m == Malformed.BAD_OPTION) {
                    // The lengths checked out: only the options are broken.
                    out.append(" len=").append(packet.payloadLength());
                }
            }
            out.append('\n');
            return;
        }
        appendLayer(indent(out, depth), tcp.toString(), transportChecksumMarker(
                packet.verifyChecksum(src, dst), checksumOffloaded));
    }

    /** Returns what follows a TCP or UDP layer's name: nothing when its checksum verifies, else why not. */
    private static String transportChecksumMarker(boolean verifies, boolean checksumOffloaded) {
        if (verifies) {
            return null;
        }
        return checksumOffloaded ? CHECKSUM_OFFLOADED : BAD_CHECKSUM;
    }

    /**
     * Appends a layer's line {@code text} (its name, a space, its fields) and a newline, with
     * {@code marker} in parentheses after the name unless it is null.
     */
    private static void appendLayer(StringBuilder out, String text, String marker) {
        if (marker == null) {
            out.append(text).append('\n');
            return;
        }
        int nameEnd = text.indexOf(' ');
        if (nameEnd < 0) {
            nameEnd = text.length();
        }
        out.append(text, 0, nameEnd).append(" (").append(marker).append(')').append(text, nameEnd, text.length())
                .append('\n');
    }

    private static StringBuilder indent(StringBuilder out, int depth) {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
        return out;
    }
}
