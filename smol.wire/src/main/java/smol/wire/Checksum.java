package smol.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * <p>Sums are 16-bit one's complement values held in the low bits of an int. A header is valid when
 * the sum over it (checksum field included) folds to {@code 0xffff}.
 */
public final class Checksum {
    // Reads eight bytes at once, big-endian, from any index of a byte[].
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Checksum() {}

    /**
     * Adds {@code len} bytes starting at {@code off} to the running 32-bit sum {@code acc} and returns
     * the new, unfolded sum. An odd last byte is padded with a zero on its right (RFC 1071 §4.1).
     * The data may be split into several calls only at even lengths.
     */
    public static long add(long acc, byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        // Sixteen bytes per step, each eight added as two 32-bit words into a 64-bit accumulator:
        // since 2^16 = 1 (mod 2^16 - 1), a 32-bit word folds to the sum of its 16-bit halves, so the
        // carries can all be folded once at the end (RFC 1071 §2(C), "deferred carries"). Two
        // accumulators keep the two additions independent, which the JIT compiles into a steadier
        // loop than one (measured on the MTU 1500 loopback benchmark).
        long acc2 = 0;
        for (; i + 16 <= end; i += 16) {
            long v = (long) LONGS.get(b, i);
            long w = (long) LONGS.get(b, i + 8);
            acc += (v >>> 32) + (v & 0xffff_ffffL);
            acc2 += (w >>> 32) + (w & 0xffff_ffffL);
        }
        acc += acc2;
        if (i + 8 <= end) {
            long v = (long) LONGS.get(b, i);
            acc += (v >>> 32) + (v & 0xffff_ffffL);
            i += 8;
        }
        for (; i + 2 <= end; i += 2) {
            acc += (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
        }
        if (i < end) {
            acc += (b[i] & 0xff) << 8;
        }
        return acc;
    }

    /** Folds a running sum to 16 bits with end-around carry. */
    public static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** Returns the one's complement sum of {@code len} bytes at {@code off}, folded to 16 bits. */
    public static int sum(byte[] b, int off, int len) {
        return fold(add(0, b, off, len));
    }

    /** Returns the checksum to store in a header: the complement of the folded sum, 0..0xffff. */
    public static int complement(long acc) {
        return ~fold(acc) & 0xffff;
    }

    /**
     * Returns the running sum of the IPv4 pseudo-header (RFC 793 §3.1, RFC 768) for a transport
     * segment of {@code length} bytes: source, destination, zero, protocol, length.
     */
    public static long pseudoHeaderIpv4(int src, int dst, int protocol, int length) {
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
    }

    /**
     * Updates a stored checksum for one 16-bit field that changed from {@code oldField} to
     * {@code newField}, without summing the rest again (RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')).
     */
    public static int update(int checksum, int oldField, int newField) {
        long acc = (~checksum & 0xffff) + (~oldField & 0xffff) + (newField & 0xffff);
        return ~fold(acc) & 0xffff;
    }

    /** Updates a stored checksum for one 32-bit field (an IPv4 address) that changed. */
    public static int update32(int checksum, int oldField, int newField) {
        return update(update(checksum, oldField >>> 16, newField >>> 16), oldField & 0xffff, newField & 0xffff);
    }
}
