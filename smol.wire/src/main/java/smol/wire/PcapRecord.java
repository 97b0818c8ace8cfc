package smol.wire;

/**
 * One captured frame as a {@link PcapReader} hands it out: when it was seen, how much of it was kept,
 * how long it was on the wire, what its bytes start with, and the bytes.
 *
 * <p>The reader owns this object and its buffer and overwrites both on each {@link PcapReader#next()}:
 * the record and the bytes are valid only until that next call. Copy what must live longer.
 */
public final class PcapRecord {
    private long timestampNanos;
    private int capturedLength;
    private int originalLength;
    private int linkType;
    private byte[] buffer;

    PcapRecord() {}

    void set(long timestampNanos, int capturedLength, int originalLength, int linkType, byte[] buffer) {
        this.timestampNanos = timestampNanos;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.linkType = linkType;
        this.buffer = buffer;
    }

    /**
     * Returns when the frame was captured, in nanoseconds since 1970-01-01T00:00:00Z. Zero for a
     * pcapng Simple Packet Block, which has no timestamp.
     */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** Returns how many bytes of the frame the file holds: the valid part of {@link #buffer()}, 0 or more. */
    public int capturedLength() {
        return capturedLength;
    }

    /**
     * Returns the frame's length on the wire as the file states it; more than {@link #capturedLength()}
     * when the capture cut the frame at its snaplen. Read as unsigned, clamped to {@link Integer#MAX_VALUE}.
     */
    public int originalLength() {
        return originalLength;
    }

    /** Returns the frame's link type, a {@link LinkType} value such as {@link LinkType#ETHERNET}. */
    public int linkType() {
        return linkType;
    }

    /**
     * Returns the reader's buffer holding the frame at indexes {@code 0 .. capturedLength()-1}; it may be
     * longer. Owned by the reader and reused by its next {@link PcapReader#next()}.
     */
    public byte[] buffer() {
        return buffer;
    }

    /**
     * Returns {@code seconds.nanoseconds caplen=N len=N link=NAME}, for example
     * {@code 1700000000.123456789 caplen=98 len=98 link=ethernet}.
     */
    @Override
    public String toString() {
        long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
        long nanos = Math.floorMod(timestampNanos, 1_000_000_000L);
        return String.format("%d.%09d caplen=%d len=%d link=%s", seconds, nanos, capturedLength, originalLength,
                LinkType.name(linkType));
    }
}
