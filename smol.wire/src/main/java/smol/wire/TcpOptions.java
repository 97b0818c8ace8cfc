package smol.wire;

/**
 * An allocation-free cursor over TCP options (RFC 9293 §3.1, RFC 7323, RFC 2018): wrap it over the
 * option bytes, then call {@link #next()} until it returns false, reading the current option with
 * the accessors in between. Reusable: {@link #wrap} starts a new walk.
 *
 * <p>No-operation options are skipped and End of Option List ends the walk. An option whose length is
 * below 2 or runs past the option bytes, or a known kind with a length the RFCs do not allow, stops the
 * walk with {@link #malformed()} set to {@link Malformed#BAD_OPTION}. Unknown kinds are reported with
 * their kind and length, so that a caller can skip them.
 */
public final class TcpOptions {
    /** End of Option List (RFC 9293), one byte. */
    public static final int END = 0;
    /** No-Operation (RFC 9293), one byte: padding between options. */
    public static final int NOP = 1;
    /** Maximum Segment Size (RFC 9293), length 4: a 16-bit size. */
    public static final int MSS = 2;
    /** Window Scale (RFC 7323 §2), length 3: a shift count. */
    public static final int WINDOW_SCALE = 3;
    /** SACK-Permitted (RFC 2018 §2), length 2. */
    public static final int SACK_PERMITTED = 4;
    /** SACK (RFC 2018 §3), length 2 + 8n for n blocks of left and right edges. */
    public static final int SACK = 5;
    /** Timestamps (RFC 7323 §3), length 10: TSval and TSecr. */
    public static final int TIMESTAMPS = 8;
    /** The most SACK blocks an option can carry: 4 fill 34 of the at most 40 option bytes. */
    public static final int MAX_SACK_BLOCKS = 4;

    private byte[] buf;
    private int position;
    private int end;
    private int kind;
    private int start;
    private int length;
    private Malformed malformed;

    /** Starts a walk over the {@code len} option bytes of {@code buf} at {@code off}; returns this. */
    public TcpOptions wrap(byte[] buf, int off, int len) {
        this.buf = buf;
        this.position = off;
        this.end = off + len;
        this.kind = -1;
        this.start = off;
        this.length = 0;
        this.malformed = null;
        return this;
    }

    /**
     * Starts a walk over the options of {@code packet}, which must have passed {@link TcpPacket#check()};
     * returns this.
     */
    public TcpOptions wrap(TcpPacket packet) {
        return wrap(packet.buffer(), packet.optionsOffset(), packet.optionsLength());
    }

    /**
     * Moves to the next option other than No-Operation. Returns false at the end of the option bytes,
     * at End of Option List, or at a malformed option (then {@link #malformed()} says so).
     */
    public boolean next() {
        while (position < end) {
            int at = position;
            int k = buf[at] & 0xff;
            if (k == END) {
                position = end;
                return false;
            }
            if (k == NOP) {
                position = at + 1;
                continue;
            }
            if (at + 1 >= end) {
                return fail();
            }
            int l = buf[at + 1] & 0xff;
            if (l < 2 || l > end - at || !allowedLength(k, l)) {
                return fail();
            }
            kind = k;
            start = at;
            length = l;
            position = at + l;
            return true;
        }
        return false;
    }

    private boolean fail() {
        malformed = Malformed.BAD_OPTION;
        position = end;
        return false;
    }

    private static boolean allowedLength(int kind, int length) {
        switch (kind) {
            case MSS:
                return length == 4;
            case WINDOW_SCALE:
                return length == 3;
            case SACK_PERMITTED:
                return length == 2;
            case SACK:
                return length >= 10 && length <= 2 + 8 * MAX_SACK_BLOCKS && (length - 2) % 8 == 0;
            case TIMESTAMPS:
                return length == 10;
            default:
                return true;
        }
    }

    /** Returns {@link Malformed#BAD_OPTION} when the walk stopped at a malformed option, else {@code null}. */
    public Malformed malformed() {
        return malformed;
    }

    /** Returns the current option's kind, 2..255 (see the constants). */
    public int kind() {
        return kind;
    }

    /** Returns the offset of the current option's kind byte in the wrapped array. */
    public int optionOffset() {
        return start;
    }

    /** Returns the current option's length in bytes, kind and length bytes included. */
    public int optionLength() {
        return length;
    }

    /** Returns the maximum segment size; only when {@link #kind()} is {@link #MSS}. */
    public int mss() {
        return Bytes.u16(buf, start + 2);
    }

    /**
     * Returns the shift count, 0..255 as sent (RFC 7323 §2.3: a receiver uses 14 for anything above 14);
     * only when {@link #kind()} is {@link #WINDOW_SCALE}.
     */
    public int windowScale() {
        return Bytes.u8(buf, start + 2);
    }

    /** Returns TSval (32 bits as an int); only when {@link #kind()} is {@link #TIMESTAMPS}. */
    public int tsVal() {
        return Bytes.u32(buf, start + 2);
    }

    /** Returns TSecr (32 bits as an int); only when {@link #kind()} is {@link #TIMESTAMPS}. */
    public int tsEcr() {
        return Bytes.u32(buf, start + 6);
    }

    /** Returns the number of SACK blocks, 1..4; only when {@link #kind()} is {@link #SACK}. */
    public int sackBlockCount() {
        return (length - 2) / 8;
    }

    /** Returns the left edge (a sequence number) of SACK block {@code i}, 0 &le; i &lt; {@link #sackBlockCount()}. */
    public int sackLeft(int i) {
        return Bytes.u32(buf, start + 2 + 8 * i);
    }

    /** Returns the right edge (the sequence number after the block) of SACK block {@code i}. */
    public int sackRight(int i) {
        return Bytes.u32(buf, start + 6 + 8 * i);
    }
}
