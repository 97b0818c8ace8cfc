package smol.wire;

/**
 * Big-endian (network order) reads and writes of unsigned fields in a {@code byte[]}.
 *
 * <p>Callers check bounds first (a view's {@code check()}); these methods do no checking of their
 * own beyond the JVM's array bounds.
 */
public final class Bytes {
    private Bytes() {}

    /** Returns the unsigned byte at {@code i}, 0..255. */
    public static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    /** Returns the unsigned 16-bit big-endian value at {@code i}, 0..65535. */
    public static int u16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
    }

    /** Returns the 32-bit big-endian value at {@code i} (as a Java int, so possibly negative). */
    public static int u32(byte[] b, int i) {
        return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    /** Returns the 48-bit big-endian value at {@code i} (a MAC address) in the low bits of a long. */
    public static long u48(byte[] b, int i) {
        return (long) u16(b, i) << 32 | (u32(b, i + 2) & 0xffffffffL);
    }

    /** Writes the low 8 bits of {@code v} at {@code i}. */
    public static void putU8(byte[] b, int i, int v) {
        b[i] = (byte) v;
    }

    /** Writes the low 16 bits of {@code v} big-endian at {@code i}. */
    public static void putU16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
    }

    /** Writes {@code v} big-endian at {@code i}. */
    public static void putU32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /** Writes the low 48 bits of {@code v} big-endian at {@code i}. */
    public static void putU48(byte[] b, int i, long v) {
        putU16(b, i, (int) (v >>> 32));
        putU32(b, i + 2, (int) v);
    }
}
