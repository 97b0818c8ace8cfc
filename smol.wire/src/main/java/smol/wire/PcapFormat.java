package smol.wire;

/**
 * The numbers of the pcap and pcapng file formats, in one place for {@link PcapWriter} and
 * {@link PcapReader}.
 *
 * <p>pcap: pcap-savefile(5) and draft-ietf-opsawg-pcap. pcapng: draft-ietf-opsawg-pcapng.
 */
final class PcapFormat {
    private PcapFormat() {}

    // pcap: file header (24 bytes) then records (16-byte header + captured bytes).
    /** Magic of a pcap file with microsecond timestamps, as read in the file's own byte order. */
    static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    /** Magic of a pcap file with nanosecond timestamps, as read in the file's own byte order. */
    static final int MAGIC_NANOSECONDS = 0xa1b23c4d;
    static final int VERSION_MAJOR = 2;
    static final int VERSION_MINOR = 4;
    static final int FILE_HEADER_LEN = 24;
    // File header offsets: magic 0, version major 4, minor 6, thiszone 8, sigfigs 12, snaplen 16, link type 20.
    static final int FILE_VERSION_MAJOR = 4;
    static final int FILE_VERSION_MINOR = 6;
    static final int FILE_SNAPLEN = 16;
    static final int FILE_LINK_TYPE = 20;
    static final int RECORD_HEADER_LEN = 16;
    // Record header offsets: seconds 0, micro- or nanoseconds 4, captured length 8, original length 12.
    static final int RECORD_SECONDS = 0;
    static final int RECORD_FRACTION = 4;
    static final int RECORD_CAPTURED_LENGTH = 8;
    static final int RECORD_ORIGINAL_LENGTH = 12;
    /** The link type is the low 16 bits of its field; the upper bits carry FCS information. */
    static final int LINK_TYPE_MASK = 0xffff;

    // pcapng: blocks of (type, total length, body, total length), each a multiple of 4 bytes.
    static final int BLOCK_SECTION_HEADER = 0x0a0d0d0a;
    static final int BLOCK_INTERFACE_DESCRIPTION = 0x00000001;
    static final int BLOCK_PACKET = 0x00000002;
    static final int BLOCK_SIMPLE_PACKET = 0x00000003;
    static final int BLOCK_ENHANCED_PACKET = 0x00000006;
    static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
    /** Type and total length before the body, total length again after it. */
    static final int BLOCK_HEADER_LEN = 8;
    static final int BLOCK_TRAILER_LEN = 4;
    static final int BLOCK_MIN_LEN = 12;
    /** Section header body: byte-order magic, major, minor, 64-bit section length, options. */
    static final int SECTION_HEADER_FIXED_LEN = 16;
    /** Interface description body: link type, reserved, snaplen, options. */
    static final int INTERFACE_FIXED_LEN = 8;
    /** Enhanced packet body: interface id, timestamp high, low, captured length, original length. */
    static final int ENHANCED_PACKET_FIXED_LEN = 20;
    /** Obsolete packet body: interface id (16 bits), drops (16), timestamp high, low, captured, original. */
    static final int PACKET_FIXED_LEN = 20;
    /** Simple packet body: original length. */
    static final int SIMPLE_PACKET_FIXED_LEN = 4;
    static final int OPTION_END = 0;
    static final int OPTION_IF_TSRESOL = 9;
    static final int OPTION_IF_TSOFFSET = 14;

    /** Records and blocks longer than this are taken for corruption, not allocated: 256 MiB. */
    static final int MAX_LENGTH = 256 << 20;
}
