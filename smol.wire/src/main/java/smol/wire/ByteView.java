package smol.wire;

/**
 * A window onto a byte array, the base of every packet view: the array, where the packet starts and
 * how many bytes it may use. A view is re-pointed with its {@code wrap} method, never copied.
 */
public abstract class ByteView {
    byte[] buf;
    int off;
    int len;

    ByteView() {}

    final void set(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = len;
    }

    /** Returns the array this view reads and writes; the caller owns it. */
    public final byte[] buffer() {
        return buf;
    }

    /** Returns the index in {@link #buffer()} where the packet starts. */
    public final int offset() {
        return off;
    }

    /** Returns how many bytes the view covers, from {@link #offset()}. */
    public final int length() {
        return len;
    }
}
