package smol.wire;

/**
 * A view of an ARP packet (RFC 826) inside a byte array; re-point it with {@link #wrap} (no
 * allocation). The fixed part (hardware and protocol types and lengths, operation) is read for any
 * ARP; the addresses are read in the Ethernet/IPv4 layout only (6-byte MACs, 4-byte IPv4 addresses).
 *
 * <p>Call {@link #check()} before the accessors; once it returned {@code null} none of them can fail.
 * Bytes after the addresses (Ethernet pads an ARP frame to 60 bytes) are accepted and ignored.
 */
public final class ArpPacket extends ByteView {
    // RFC 826 packet layout: byte offsets of the fixed part
    private static final int HARDWARE_TYPE = 0;
    private static final int PROTOCOL_TYPE = 2;
    private static final int HARDWARE_LENGTH = 4;
    private static final int PROTOCOL_LENGTH = 5;
    private static final int OPERATION = 6;
    // ... then the addresses, here for hardware length 6 and protocol length 4
    private static final int SENDER_MAC = 8;
    private static final int SENDER_IP = 14;
    private static final int TARGET_MAC = 18;
    private static final int TARGET_IP = 24;

    /** Length of the fixed part before the addresses, 8 bytes. */
    public static final int HEADER_LEN = 8;
    /** Length of an Ethernet/IPv4 ARP packet, 28 bytes. */
    public static final int ETHERNET_IPV4_LEN = 28;

    /** Hardware type 1, Ethernet. */
    public static final int HARDWARE_ETHERNET = 1;
    /** Operation 1, request. */
    public static final int REQUEST = 1;
    /** Operation 2, reply. */
    public static final int REPLY = 2;

    private static final int MAC_LEN = 6;
    private static final int IPV4_LEN = 4;

    /** Points this view at {@code len} bytes of {@code buf} starting at {@code off}; returns this. */
    public ArpPacket wrap(byte[] buf, int off, int len) {
        set(buf, off, len);
        return this;
    }

    /**
     * Returns {@link Malformed#TRUNCATED} when the bytes cannot hold the fixed part or the four
     * addresses its lengths announce (8 + 2 × (hardware length + protocol length) bytes), else
     * {@code null}.
     */
    public Malformed check() {
        if (len < HEADER_LEN || len < packetLength()) {
            return Malformed.TRUNCATED;
        }
        return null;
    }

    /** Returns the length the fixed part announces: 8 + 2 × (hardware length + protocol length), 8..1028. */
    public int packetLength() {
        return HEADER_LEN + 2 * (hardwareLength() + protocolLength());
    }

    /** Returns the hardware type, 0..65535 ({@link #HARDWARE_ETHERNET} for Ethernet). */
    public int hardwareType() {
        return Bytes.u16(buf, off + HARDWARE_TYPE);
    }

    /** Returns the protocol type, an EtherType ({@link EtherType#IPV4} for IPv4). */
    public int protocolType() {
        return Bytes.u16(buf, off + PROTOCOL_TYPE);
    }

    /** Returns the hardware address length in bytes, 0..255 (6 for Ethernet). */
    public int hardwareLength() {
        return Bytes.u8(buf, off + HARDWARE_LENGTH);
    }

    /** Returns the protocol address length in bytes, 0..255 (4 for IPv4). */
    public int protocolLength() {
        return Bytes.u8(buf, off + PROTOCOL_LENGTH);
    }

    /** Returns the operation, 0..65535 ({@link #REQUEST}, {@link #REPLY}; others are RARP and friends). */
    public int operation() {
        return Bytes.u16(buf, off + OPERATION);
    }

    /** Returns true for Ethernet hardware, IPv4 protocol and their lengths, 6 and 4: the ARP smol handles. */
    public boolean isEthernetIpv4() {
        return hardwareType() == HARDWARE_ETHERNET && protocolType() == EtherType.IPV4 && hasEthernetIpv4Lengths();
    }

    // The address accessors need these lengths; with them check() has seen all 28 bytes.
    private boolean hasEthernetIpv4Lengths() {
        return hardwareLength() == MAC_LEN && protocolLength() == IPV4_LEN;
    }

    /** Returns the sender MAC (low 48 bits), or 0 when the lengths are not 6 and 4. */
    public long senderMac() {
        return hasEthernetIpv4Lengths() ? Bytes.u48(buf, off + SENDER_MAC) : 0;
    }

    /** Returns the sender IPv4 address (first octet highest), or 0 when the lengths are not 6 and 4. */
    public int senderIp() {
        return hasEthernetIpv4Lengths() ? Bytes.u32(buf, off + SENDER_IP) : 0;
    }

    /** Returns the target MAC (low 48 bits), or 0 when the lengths are not 6 and 4. */
    public long targetMac() {
        return hasEthernetIpv4Lengths() ? Bytes.u48(buf, off + TARGET_MAC) : 0;
    }

    /** Returns the target IPv4 address (first octet highest), or 0 when the lengths are not 6 and 4. */
    public int targetIp() {
        return hasEthernetIpv4Lengths() ? Bytes.u32(buf, off + TARGET_IP) : 0;
    }

    /** Sets the hardware type. */
    public void setHardwareType(int type) {
        Bytes.putU16(buf, off + HARDWARE_TYPE, type);
    }

    /** Sets the protocol type (an EtherType). */
    public void setProtocolType(int type) {
        Bytes.putU16(buf, off + PROTOCOL_TYPE, type);
    }

    /** Sets the hardware address length in bytes. */
    public void setHardwareLength(int length) {
        Bytes.putU8(buf, off + HARDWARE_LENGTH, length);
    }

    /** Sets the protocol address length in bytes. */
    public void setProtocolLength(int length) {
        Bytes.putU8(buf, off + PROTOCOL_LENGTH, length);
    }

    /** Sets the operation. */
    public void setOperation(int operation) {
        Bytes.putU16(buf, off + OPERATION, operation);
    }

    // The address setters write the Ethernet/IPv4 layout: the view must hold 28 bytes.

    /** Sets the sender MAC from the low 48 bits of {@code mac} (Ethernet/IPv4 layout, 28 bytes needed). */
    public void setSenderMac(long mac) {
        Bytes.putU48(buf, off + SENDER_MAC, mac);
    }

    /** Sets the sender IPv4 address (Ethernet/IPv4 layout, 28 bytes needed). */
    public void setSenderIp(int address) {
        Bytes.putU32(buf, off + SENDER_IP, address);
    }

    /** Sets the target MAC from the low 48 bits of {@code mac} (Ethernet/IPv4 layout, 28 bytes needed). */
    public void setTargetMac(long mac) {
        Bytes.putU48(buf, off + TARGET_MAC, mac);
    }

    /** Sets the target IPv4 address (Ethernet/IPv4 layout, 28 bytes needed). */
    public void setTargetIp(int address) {
        Bytes.putU32(buf, off + TARGET_IP, address);
    }
}
