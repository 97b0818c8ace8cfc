package smol.wire;

/**
 * The meaningful fields of a TCP segment: ports, sequence and acknowledgement numbers, flags, window,
 * urgent pointer, the options smol understands, and the payload. Reusable: each {@link #parse}
 * overwrites every field, and the SACK blocks live in arrays owned by this repr, so parsing allocates
 * nothing.
 *
 * <p>The payload is a slice of someone else's array, never copied by this class: after
 * {@link #parse} it points into the parsed packet's buffer (valid while that buffer is), and
 * {@link #emit} copies it into the packet being written.
 *
 * <p>{@link #emit} lays the options out as Linux does, each group padded with No-Operations to
 * 4 bytes: MSS; timestamps (led by SACK-permitted when both are set, else by two NOPs), or
 * SACK-permitted alone (after two NOPs); window scale (after one NOP); SACK blocks (after two NOPs).
 */
public final class TcpRepr {
    // RFC 9293 §3.1: at most 40 option bytes follow the fixed header
    private static final int MAX_OPTIONS_LEN = TcpPacket.MAX_HEADER_LEN - TcpPacket.HEADER_LEN;

    private int srcPort;
    private int dstPort;
    private int seq;
    private int ack;
    private int flags;
    private int window;
    private int urgentPointer;
    private int mss;
    private int windowScale = -1;
    private boolean sackPermitted;
    private boolean timestamps;
    private int tsVal;
    private int tsEcr;
    private int sackCount;
    private final int[] sackLeft = new int[TcpOptions.MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[TcpOptions.MAX_SACK_BLOCKS];
    private byte[] payloadBuffer;
    private int payloadOffset;
    private int payloadLength;

    private final TcpOptions options = new TcpOptions();

    /**
     * Reads {@code packet} into this repr. Returns what {@link TcpPacket#check()} returns when the
     * lengths are wrong, {@link Malformed#BAD_CHECKSUM} when {@code verifyChecksum} is set and the
     * checksum over the IPv4 pseudo-header ({@code src}, {@code dst}) fails,
     * {@link Malformed#BAD_OPTION} for a malformed option (see {@link TcpOptions}), else {@code null}.
     * Options of unknown kinds are skipped; of a repeated option the last counts. On failure the fields
     * are left as they were.
     */
    public Malformed parse(TcpPacket packet, int src, int dst, boolean verifyChecksum) {
        Malformed m = packet.check();
        if (m != null) {
            return m;
        }
        if (verifyChecksum && !packet.verifyChecksum(src, dst)) {
            return Malformed.BAD_CHECKSUM;
        }
        // A first walk only validates, so that a bad option leaves this repr untouched.
        options.wrap(packet);
        while (options.next()) {
            // nothing: next() validates each option
        }
        if (options.malformed() != null) {
            return options.malformed();
        }
        srcPort = packet.srcPort();
        dstPort = packet.dstPort();
        seq = packet.seq();
        ack = packet.ack();
        flags = packet.flags();
        window = packet.window();
        urgentPointer = packet.urgentPointer();
        payloadBuffer = packet.buffer();
        payloadOffset = packet.payloadOffset();
        payloadLength = packet.payloadLength();
        mss = 0;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackCount = 0;
        options.wrap(packet);
        while (options.next()) {
            switch (options.kind()) {
                case TcpOptions.MSS:
                    mss = options.mss();
                    break;
                case TcpOptions.WINDOW_SCALE:
                    windowScale = options.windowScale();
                    break;
                case TcpOptions.SACK_PERMITTED:
                    sackPermitted = true;
                    break;
                case TcpOptions.TIMESTAMPS:
                    timestamps = true;
                    tsVal = options.tsVal();
                    tsEcr = options.tsEcr();
                    break;
                case TcpOptions.SACK:
                    sackCount = options.sackBlockCount();
                    for (int i = 0; i < sackCount; i++) {
                        sackLeft[i] = options.sackLeft(i);
                        sackRight[i] = options.sackRight(i);
                    }
                    break;
                default:
                    break; // RFC 9293 §3.1: options a receiver does not implement are ignored
            }
        }
        return null;
    }

    /**
     * Writes the header, options and payload into {@code packet}, which must be wrapped over exactly
     * {@link #bufferLength()} bytes (the checksum covers the view). With {@code fillChecksum} the
     * checksum over the IPv4 pseudo-header ({@code src}, {@code dst}) is computed; without, the field
     * is 0, for a device that computes it.
     */
    public void emit(TcpPacket packet, int src, int dst, boolean fillChecksum) {
        int headerLength = headerLength();
        packet.setSrcPort(srcPort);
        packet.setDstPort(dstPort);
        packet.setSeq(seq);
        packet.setAck(ack);
        packet.setDataOffset(headerLength / 4);
        packet.setFlags(flags);
        packet.setWindow(window);
        packet.setChecksum(0);
        packet.setUrgentPointer(urgentPointer);
        writeOptions(packet.buffer(), packet.optionsOffset());
        if (payloadLength > 0) {
            System.arraycopy(payloadBuffer, payloadOffset, packet.buffer(), packet.offset() + headerLength, payloadLength);
        }
        if (fillChecksum) {
            packet.fillChecksum(src, dst);
        }
    }

    private void writeOptions(byte[] b, int at) {
        if (mss != 0) {
            at = put4(b, at, TcpOptions.MSS, 4, mss >>> 8, mss);
        }
        if (timestamps) {
            at = sackPermitted
                    ? put4(b, at, TcpOptions.SACK_PERMITTED, 2, TcpOptions.TIMESTAMPS, 10)
                    : put4(b, at, TcpOptions.NOP, TcpOptions.NOP, TcpOptions.TIMESTAMPS, 10);
            Bytes.putU32(b, at, tsVal);
            Bytes.putU32(b, at + 4, tsEcr);
            at += 8;
        } else if (sackPermitted) {
            at = put4(b, at, TcpOptions.NOP, TcpOptions.NOP, TcpOptions.SACK_PERMITTED, 2);
        }
        if (windowScale >= 0) {
            at = put4(b, at, TcpOptions.NOP, TcpOptions.WINDOW_SCALE, 3, windowScale);
        }
        int blocks = sackBlocksEmitted();
        if (blocks > 0) {
            at = put4(b, at, TcpOptions.NOP, TcpOptions.NOP, TcpOptions.SACK, 2 + 8 * blocks);
            for (int i = 0; i < blocks; i++) {
                Bytes.putU32(b, at, sackLeft[i]);
                Bytes.putU32(b, at + 4, sackRight[i]);
                at += 8;
            }
        }
    }

    private static int put4(byte[] b, int at, int b0, int b1, int b2, int b3) {
        b[at] = (byte) b0;
        b[at + 1] = (byte) b1;
        b[at + 2] = (byte) b2;
        b[at + 3] = (byte) b3;
        return at + 4;
    }

    private int optionsLengthWithoutSack() {
        int length = mss != 0 ? 4 : 0;
        if (timestamps) {
            length += 12;
        } else if (sackPermitted) {
            length += 4;
        }
        if (windowScale >= 0) {
            length += 4;
        }
        return length;
    }

    /**
     * Returns how many of the {@link #sackCount()} SACK blocks {@link #emit} writes: as many as fit in
     * the 40 option bytes beside the other options (3 with timestamps, 2 with MSS, timestamps and
     * window scale too). RFC 2018 §4 puts the most recent block first, so the last ones are dropped.
     */
    public int sackBlocksEmitted() {
        int room = (MAX_OPTIONS_LEN - optionsLengthWithoutSack() - 4) / 8;
        return Math.min(sackCount, room);
    }

    /** Returns the header's length in bytes as {@link #emit} writes it, options included: 20..60, a multiple of 4. */
    public int headerLength() {
        int blocks = sackBlocksEmitted();
        return TcpPacket.HEADER_LEN + optionsLengthWithoutSack() + (blocks > 0 ? 4 + 8 * blocks : 0);
    }

    /** Returns the number of bytes {@link #emit} writes: header, options and payload. */
    public int bufferLength() {
        return headerLength() + payloadLength;
    }

    /** Returns the sequence space the segment occupies: payload length, plus 1 for SYN, plus 1 for FIN. */
    public int segmentLength() {
        return payloadLength + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
    }

    /** Resets every field to zero or absent and the payload to none; returns this. */
    public TcpRepr clear() {
        srcPort = 0;
        dstPort = 0;
        seq = 0;
        ack = 0;
        flags = 0;
        window = 0;
        urgentPointer = 0;
        mss = 0;
        windowScale = -1;
        sackPermitted = false;
        timestamps = false;
        tsVal = 0;
        tsEcr = 0;
        sackCount = 0;
        payloadBuffer = null;
        payloadOffset = 0;
        payloadLength = 0;
        return this;
    }

    /** Returns the source port, 0..65535. */
    public int srcPort() {
        return srcPort;
    }

    /** Sets the source port (0..65535); returns this. */
    public TcpRepr srcPort(int port) {
        this.srcPort = port;
        return this;
    }

    /** Returns the destination port, 0..65535. */
    public int dstPort() {
        return dstPort;
    }

    /** Sets the destination port (0..65535); returns this. */
    public TcpRepr dstPort(int port) {
        this.dstPort = port;
        return this;
    }

    /** Returns the sequence number (32 bits as an int). */
    public int seq() {
        return seq;
    }

    /** Sets the sequence number (32 bits as an int); returns this. */
    public TcpRepr seq(int seq) {
        this.seq = seq;
        return this;
    }

    /** Returns the acknowledgement number (32 bits as an int). */
    public int ack() {
        return ack;
    }

    /** Sets the acknowledgement number (32 bits as an int); returns this. */
    public TcpRepr ack(int ack) {
        this.ack = ack;
        return this;
    }

    /** Returns the flags: {@link TcpFlags} bits, 0..255. */
    public int flags() {
        return flags;
    }

    /** Sets the flags ({@link TcpFlags} bits, 0..255); returns this. */
    public TcpRepr flags(int flags) {
        this.flags = flags;
        return this;
    }

    /** Returns the window field, 0..65535, unscaled. */
    public int window() {
        return window;
    }

    /** Sets the window field (0..65535, unscaled); returns this. */
    public TcpRepr window(int window) {
        this.window = window;
        return this;
    }

    /** Returns the urgent pointer, 0..65535. */
    public int urgentPointer() {
        return urgentPointer;
    }

    /** Sets the urgent pointer (0..65535); returns this. */
    public TcpRepr urgentPointer(int pointer) {
        this.urgentPointer = pointer;
        return this;
    }

    /** Returns the MSS option's value, 1..65535, or 0 when the option is absent. */
    public int mss() {
        return mss;
    }

    /** Sets the MSS option (1..65535; 0 leaves it out); returns this. */
    public TcpRepr mss(int mss) {
        this.mss = mss;
        return this;
    }

    /** Returns the window scale option's shift count as sent, 0..255, or -1 when absent. */
    public int windowScale() {
        return windowScale;
    }

    /** Sets the window scale option's shift count (0..14 per RFC 7323; -1 leaves it out); returns this. */
    public TcpRepr windowScale(int shift) {
        this.windowScale = shift;
        return this;
    }

    /** Returns true when the SACK-permitted option is present. */
    public boolean sackPermitted() {
        return sackPermitted;
    }

    /** Sets whether the SACK-permitted option is present; returns this. */
    public TcpRepr sackPermitted(boolean permitted) {
        this.sackPermitted = permitted;
        return this;
    }

    /** Returns true when the timestamps option is present. */
    public boolean hasTimestamps() {
        return timestamps;
    }

    /** Returns TSval (32 bits as an int), 0 when the timestamps option is absent. */
    public int tsVal() {
        return tsVal;
    }

    /** Returns TSecr (32 bits as an int), 0 when the timestamps option is absent. */
    public int tsEcr() {
        return tsEcr;
    }

    /** Sets the timestamps option, present with TSval {@code tsVal} and TSecr {@code tsEcr}; returns this. */
    public TcpRepr timestamps(int tsVal, int tsEcr) {
        this.timestamps = true;
        this.tsVal = tsVal;
        this.tsEcr = tsEcr;
        return this;
    }

    /** Leaves the timestamps option out; returns this. */
    public TcpRepr clearTimestamps() {
        this.timestamps = false;
        this.tsVal = 0;
        this.tsEcr = 0;
        return this;
    }

    /** Returns the number of SACK blocks, 0..4. */
    public int sackCount() {
        return sackCount;
    }

    /** Returns the left edge of SACK block {@code i}, 0 &le; i &lt; {@link #sackCount()}. */
    public int sackLeft(int i) {
        return sackLeft[i];
    }

    /** Returns the right edge (the sequence number after the block) of SACK block {@code i}. */
    public int sackRight(int i) {
        return sackRight[i];
    }

    /**
     * Appends a SACK block from {@code left} up to (not including) {@code right}; returns this. The
     * most recently received block goes first (RFC 2018 §4).
     *
     * @throws IllegalStateException when 4 blocks are already there
     */
    public TcpRepr addSackBlock(int left, int right) {
        if (sackCount == TcpOptions.MAX_SACK_BLOCKS) {
            throw new IllegalStateException("a TCP segment carries at most 4 SACK blocks");
        }
        sackLeft[sackCount] = left;
        sackRight[sackCount] = right;
        sackCount++;
        return this;
    }

    /** Removes all SACK blocks; returns this. */
    public TcpRepr clearSackBlocks() {
        sackCount = 0;
        return this;
    }

    /** Returns the array holding the payload (null when there is none). */
    public byte[] payloadBuffer() {
        return payloadBuffer;
    }

    /** Returns the payload's offset in {@link #payloadBuffer()}. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Returns the payload's length in bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    /**
     * Sets the payload to {@code len} bytes of {@code buf} from {@code off}, without copying: the
     * caller keeps them unchanged until {@link #emit}; returns this.
     */
    public TcpRepr payload(byte[] buf, int off, int len) {
        this.payloadBuffer = buf;
        this.payloadOffset = off;
        this.payloadLength = len;
        return this;
    }

    /**
     * Returns the segment on one line, e.g. {@code TCP src=40000 dst=6969 syn ack seq=123 ack=456
     * win=64240 len=0 mss=1460 sack-permitted wscale=7 ts=123,0 sack=100-200,300-400}: the set flags
     * as words, numbers unsigned, {@code urg=N} after len when URG is set, options only when present.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TCP src=").append(srcPort).append(" dst=").append(dstPort);
        if ((flags & 0xff) != 0) {
            text.append(' ').append(TcpFlags.words(flags));
        }
        text.append(" seq=").append(Integer.toUnsignedString(seq));
        text.append(" ack=").append(Integer.toUnsignedString(ack));
        text.append(" win=").append(window);
        text.append(" len=").append(payloadLength);
        if ((flags & TcpFlags.URG) != 0) {
            text.append(" urg=").append(urgentPointer);
        }
        if (mss != 0) {
            text.append(" mss=").append(mss);
        }
        if (sackPermitted) {
            text.append(" sack-permitted");
        }
        if (windowScale >= 0) {
            text.append(" wscale=").append(windowScale);
        }
        if (timestamps) {
            text.append(" ts=").append(Integer.toUnsignedString(tsVal)).append(',').append(Integer.toUnsignedString(tsEcr));
        }
        for (int i = 0; i < sackCount; i++) {
            text.append(i == 0 ? " sack=" : ",");
            text.append(Integer.toUnsignedString(sackLeft[i])).append('-').append(Integer.toUnsignedString(sackRight[i]));
        }
        return text.toString();
    }
}
