package smol.socket;

/**
 * A fixed-capacity byte ring: bytes are written at the tail and read from the head, first in first
 * out. Never grows. Not thread-safe.
 *
 * <p>Besides plain {@link #write}/{@link #read}, it lets TCP keep sent-but-unacknowledged data in
 * place: {@link #peek} reads at an offset from the head without consuming, {@link #writeAt} stores
 * out-of-order data past the tail without making it readable, and {@link #commit}/{@link #skip}
 * move the tail and head.
 */
public final class RingBuffer {
    private final byte[] storage;
    private int head;
    private int length;

    /**
     * Creates a ring of {@code capacity} bytes.
     *
     * @throws IllegalArgumentException when capacity is below 1
     */
    public RingBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("ring capacity must be at least 1: " + capacity);
        }
        storage = new byte[capacity];
    }

    /** Returns the capacity in bytes. */
    public int capacity() {
        return storage.length;
    }

    /** Returns the bytes stored (readable). */
    public int length() {
        return length;
    }

    /** Returns the free space in bytes. */
    public int free() {
        return storage.length - length;
    }

    /** Returns true when nothing is stored. */
    public boolean isEmpty() {
        return length == 0;
    }

    /** Returns true when no byte can be added. */
    public boolean isFull() {
        return length == storage.length;
    }

    /** Forgets every byte. */
    public void clear() {
        head = 0;
        length = 0;
    }

    /** Appends up to {@code len} bytes of {@code src} at {@code off}; returns how many fit. */
    public int write(byte[] src, int off, int len) {
        int n = Math.min(len, free());
        copyIn(length, src, off, n);
        length += n;
        return n;
    }

    /**
     * Stores up to {@code len} bytes at {@code offset} bytes past the current tail, without making
     * them readable; returns how many fit before the capacity. For data that arrived out of order.
     */
    public int writeAt(int offset, byte[] src, int off, int len) {
        int start = length + offset;
        if (offset < 0 || start >= storage.length) {
            return 0;
        }
        int n = Math.min(len, storage.length - start);
        copyIn(start, src, off, n);
        return n;
    }

    /** Makes {@code n} more bytes past the tail readable (after {@link #writeAt}); {@code n ≤ free()}. */
    public void commit(int n) {
        if (n < 0 || n > free()) {
            throw new IllegalArgumentException("cannot commit " + n + " bytes with " + free() + " free");
        }
        length += n;
    }

    /** Reads and removes up to {@code len} bytes into {@code dst} at {@code off}; returns how many. */
    public int read(byte[] dst, int off, int len) {
        int n = peek(0, dst, off, len);
        skip(n);
        return n;
    }

    /** Copies up to {@code len} bytes starting {@code offset} bytes after the head, without removing them. */
    public int peek(int offset, byte[] dst, int off, int len) {
        if (offset < 0 || offset >= length) {
            return 0;
        }
        int n = Math.min(len, length - offset);
        int start = (head + offset) % storage.length;
        int first = Math.min(n, storage.length - start);
        System.arraycopy(storage, start, dst, off, first);
        System.arraycopy(storage, 0, dst, off + first, n - first);
        return n;
    }

    /** Removes {@code n} bytes from the head (for data acknowledged or consumed); {@code n ≤ length()}. */
    public void skip(int n) {
        if (n < 0 || n > length) {
            throw new IllegalArgumentException("cannot skip " + n + " of " + length + " bytes");
        }
        head = (head + n) % storage.length;
        length -= n;
        // The head is not reset when the ring drains: out-of-order bytes may sit past the tail.
    }

    /**
     * Returns the index in {@link #storage()} of the byte {@code offset} bytes after the head, for a
     * caller in this package that reads stored bytes in place.
     */
    int indexOf(int offset) {
        return (head + offset) % storage.length;
    }

    /** Returns how many stored bytes lie in one piece from {@code offset} bytes after the head (0 past the end). */
    int contiguousAt(int offset) {
        if (offset < 0 || offset >= length) {
            return 0;
        }
        return Math.min(length - offset, storage.length - indexOf(offset));
    }

    /** Returns the ring's array, for reading stored bytes in place within this package; never write through it. */
    byte[] storage() {
        return storage;
    }

    private void copyIn(int fromHead, byte[] src, int off, int n) {
        int start = (head + fromHead) % storage.length;
        int first = Math.min(n, storage.length - start);
        System.arraycopy(src, off, storage, start, first);
        System.arraycopy(src, off + first, storage, 0, n - first);
    }
}
