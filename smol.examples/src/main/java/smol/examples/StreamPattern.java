package smol.examples;

import java.util.Arrays;

/**
 * The bytes a benchmark stream carries: byte {@code i} of the stream is a fixed pseudo-random function of
 * {@code i} with a period of {@value #PERIOD} bytes (a prime, longer than any TCP window, so that a
 * segment delivered at the wrong offset shows). Held in one array made at creation, so that sending and
 * checking a stretch of the stream copy and compare without allocating. Immutable after creation;
 * safe to share.
 */
final class StreamPattern {
    /** The period of the pattern in bytes: the largest prime below 2^20. */
    static final int PERIOD = 1_048_573;
    /** The longest stretch {@link #offsetOf} leaves contiguous in {@link #bytes()}: 64 KiB. */
    static final int MAX_STRETCH = 1 << 16;

    private final byte[] bytes = new byte[PERIOD + MAX_STRETCH];

    StreamPattern() {
        long state = 0x736d6f6c_62656e63L; // "smolbenc": any fixed seed will do
        for (int i = 0; i < PERIOD; i++) {
            // SplitMix64, one output byte per step: cheap, and no run of the pattern repeats inside a period
            long z = state += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            bytes[i] = (byte) (z ^ (z >>> 31));
        }
        System.arraycopy(bytes, 0, bytes, PERIOD, MAX_STRETCH);
    }

    /**
     * Returns the array holding the pattern: the stream's bytes from {@code position} on are at
     * {@link #offsetOf offsetOf(position)}, contiguous for {@value #MAX_STRETCH} bytes. Do not modify.
     */
    byte[] bytes() {
        return bytes;
    }

    /** Returns where stream byte {@code position} (0 or more) lies in {@link #bytes()}. */
    static int offsetOf(long position) {
        return (int) (position % PERIOD);
    }

    /**
     * Returns the index in {@code buf[off, off + len)} of the first byte that differs from the stream's
     * bytes at {@code position}, or -1 when all match; {@code len} is at most {@value #MAX_STRETCH}.
     * Allocates nothing.
     */
    int mismatch(long position, byte[] buf, int off, int len) {
        int at = offsetOf(position);
        return Arrays.mismatch(buf, off, off + len, bytes, at, at + len);
    }

    /** Returns stream byte {@code position}, 0..255. */
    int byteAt(long position) {
        return bytes[offsetOf(position)] & 0xff;
    }
}
