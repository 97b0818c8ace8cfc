package smol.wire;

/**
 * The meaningful fields of an Ethernet/IPv4 ARP request or reply (RFC 826): operation, sender and
 * target MAC and IPv4 addresses. Reusable: each {@link #parse} overwrites every field, and
 * {@link #request}, {@link #reply} and {@link #announcement} set every field for a packet to send.
 */
public final class ArpRepr {
    private int operation;
    private long senderMac;
    private int senderIp;
    private long targetMac;
    private int targetIp;

    /**
     * Reads {@code packet} into this repr. Returns {@link Malformed#TRUNCATED} as
     * {@link ArpPacket#check()} does; {@link Malformed#UNSUPPORTED} unless it is Ethernet/IPv4
     * (hardware type 1, protocol type 0x0800, lengths 6 and 4) and a request or a reply; else
     * {@code null}.
     */
    public Malformed parse(ArpPacket packet) {
        Malformed m = packet.check();
        if (m != null) {
            return m;
        }
        int op = packet.operation();
        if (!packet.isEthernetIpv4() || (op != ArpPacket.REQUEST && op != ArpPacket.REPLY)) {
            return Malformed.UNSUPPORTED;
        }
        operation = op;
        senderMac = packet.senderMac();
        senderIp = packet.senderIp();
        targetMac = packet.targetMac();
        targetIp = packet.targetIp();
        return null;
    }

    /**
     * Writes the 28-byte Ethernet/IPv4 packet into {@code packet}, which must be at least
     * {@link #bufferLength()} long; bytes after them (padding) are left alone.
     */
    public void emit(ArpPacket packet) {
        packet.setHardwareType(ArpPacket.HARDWARE_ETHERNET);
        packet.setProtocolType(EtherType.IPV4);
        packet.setHardwareLength(6);
        packet.setProtocolLength(4);
        packet.setOperation(operation);
        packet.setSenderMac(senderMac);
        packet.setSenderIp(senderIp);
        packet.setTargetMac(targetMac);
        packet.setTargetIp(targetIp);
    }

    /** Returns the length {@link #emit} writes, 28 bytes. */
    public int bufferLength() {
        return ArpPacket.ETHERNET_IPV4_LEN;
    }

    /**
     * Makes this a request asking who has {@code targetIp}, from {@code senderMac} /
     * {@code senderIp}; the target MAC is zero (unknown). Returns this.
     */
    public ArpRepr request(long senderMac, int senderIp, int targetIp) {
        return set(ArpPacket.REQUEST, senderMac, senderIp, 0, targetIp);
    }

    /**
     * Makes this a reply telling {@code targetMac} / {@code targetIp} (the asker) that
     * {@code senderIp} is at {@code senderMac}. Returns this.
     */
    public ArpRepr reply(long senderMac, int senderIp, long targetMac, int targetIp) {
        return set(ArpPacket.REPLY, senderMac, senderIp, targetMac, targetIp);
    }

    /**
     * Makes this an ARP announcement (RFC 5227 §3, a gratuitous request): {@code mac} claims
     * {@code ip}, which is both sender and target address; the target MAC is zero. Returns this.
     */
    public ArpRepr announcement(long mac, int ip) {
        return set(ArpPacket.REQUEST, mac, ip, 0, ip);
    }

    private ArpRepr set(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        this.operation = operation;
        this.senderMac = senderMac;
        this.senderIp = senderIp;
        this.targetMac = targetMac;
        this.targetIp = targetIp;
        return this;
    }

    /**
     * Returns true for a gratuitous ARP: sender and target IPv4 address are the same (RFC 5227 §3
     * announcement, or the reply form some hosts send); such a packet updates caches rather than
     * asks.
     */
    public boolean isGratuitous() {
        return senderIp == targetIp;
    }

    /** Returns the operation, {@link ArpPacket#REQUEST} or {@link ArpPacket#REPLY}. */
    public int operation() {
        return operation;
    }

    /** Sets the operation, {@link ArpPacket#REQUEST} or {@link ArpPacket#REPLY}; returns this. */
    public ArpRepr operation(int operation) {
        this.operation = operation;
        return this;
    }

    /** Returns the sender MAC (low 48 bits). */
    public long senderMac() {
        return senderMac;
    }

    /** Sets the sender MAC (low 48 bits); returns this. */
    public ArpRepr senderMac(long mac) {
        this.senderMac = mac;
        return this;
    }

    /** Returns the sender IPv4 address, first octet highest. */
    public int senderIp() {
        return senderIp;
    }

    /** Sets the sender IPv4 address, first octet highest; returns this. */
    public ArpRepr senderIp(int address) {
        this.senderIp = address;
        return this;
    }

    /** Returns the target MAC (low 48 bits); zero in a request. */
    public long targetMac() {
        return targetMac;
    }

    /** Sets the target MAC (low 48 bits); returns this. */
    public ArpRepr targetMac(long mac) {
        this.targetMac = mac;
        return this;
    }

    /** Returns the target IPv4 address, first octet highest. */
    public int targetIp() {
        return targetIp;
    }

    /** Sets the target IPv4 address, first octet highest; returns this. */
    public ArpRepr targetIp(int address) {
        this.targetIp = address;
        return this;
    }

    /**
     * Returns {@code ARP request src=02-00-00-00-00-01/10.0.0.1 tgt=00-00-00-00-00-00/10.0.0.2}
     * ({@code ARP reply …} for a reply, {@code ARP op=N …} for another operation), followed by
     * {@code  gratuitous} when {@link #isGratuitous()}.
     */
    @Override
    public String toString() {
        String op = switch (operation) {
            case ArpPacket.REQUEST -> "request";
            case ArpPacket.REPLY -> "reply";
            default -> "op=" + operation;
        };
        return "ARP " + op + " src=" + EthernetAddress.toString(senderMac) + "/" + Ipv4Address.toString(senderIp)
                + " tgt=" + EthernetAddress.toString(targetMac) + "/" + Ipv4Address.toString(targetIp)
                + (isGratuitous() ? " gratuitous" : "");
    }
}
