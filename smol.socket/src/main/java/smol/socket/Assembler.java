package smol.socket;

/**
 * Tracks which bytes past a reassembly point have arrived, for TCP out-of-order data: up to
 * {@link #capacity()} ranges of received bytes (and so as many holes before them), in arrays sized
 * at creation. Offsets count bytes after the reassembly point (the receive ring's tail, RCV.NXT).
 * The idea is smoltcp's assembler; the code is ours. Not thread-safe; allocates nothing after
 * construction.
 */
public final class Assembler {
    /** The ranges TCP keeps by default: 4 holes, as the brief for smol asks at least. */
    public static final int DEFAULT_CAPACITY = 4;

    // Sorted, disjoint, non-adjacent ranges [start[i], end[i]); one spare slot for a range at offset 0,
    // which the caller removes at once with removeFront().
    private final int[] start;
    private final int[] end;
    private final int capacity;
    private int count;

    /** Creates an assembler of {@link #DEFAULT_CAPACITY} ranges. */
    public Assembler() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * Creates an assembler that keeps up to {@code capacity} ranges of received bytes apart from the
     * reassembly point.
     *
     * @throws IllegalArgumentException when capacity is below 1
     */
    public Assembler(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("assembler capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.start = new int[capacity + 1];
        this.end = new int[capacity + 1];
    }

    /** Returns how many separate ranges (and so holes) it can keep. */
    public int capacity() {
        return capacity;
    }

    /** Returns the number of ranges held now. */
    public int rangeCount() {
        return count;
    }

    /** Returns the start offset of range {@code i}, 0 ≤ i &lt; {@link #rangeCount()}, ranges in order. */
    public int rangeStart(int i) {
        return start[i];
    }

    /** Returns the end offset (exclusive) of range {@code i}. */
    public int rangeEnd(int i) {
        return end[i];
    }

    /** Returns true when no out-of-order bytes are held. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** Forgets every range. */
    public void clear() {
        count = 0;
    }

    /**
     * Records that bytes {@code [offset, offset + length)} arrived, merging with the ranges they touch.
     * Returns false, changing nothing, when that would need more than {@link #capacity()} ranges not
     * starting at offset 0 (a range at offset 0 is always taken: {@link #removeFront()} takes it away).
     *
     * @throws IllegalArgumentException when offset or length is negative
     */
    public boolean add(int offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad assembler range: offset " + offset + " length " + length);
        }
        if (length == 0) {
            return true;
        }
        int addEnd = offset + length;
        // first range that ends at or after the new start (touching ranges merge)
        int first = 0;
        while (first < count && end[first] < offset) {
            first++;
        }
        // ranges first..last-1 touch or overlap the new one
        int last = first;
        while (last < count && start[last] <= addEnd) {
            last++;
        }
        int merged = last - first;
        int newCount = count - merged + 1;
        int newStart = merged > 0 ? Math.min(offset, start[first]) : offset;
        if (newCount > capacity && newStart != 0) {
            return false;
        }
        int newEnd = merged > 0 ? Math.max(addEnd, end[last - 1]) : addEnd;
        // shift the ranges after the merged group into place
        int shift = 1 - merged;
        if (shift > 0) {
            for (int i = count - 1; i >= last; i--) {
                start[i + shift] = start[i];
                end[i + shift] = end[i];
            }
        } else if (shift < 0) {
            for (int i = last; i < count; i++) {
                start[i + shift] = start[i];
                end[i + shift] = end[i];
            }
        }
        start[first] = newStart;
        end[first] = newEnd;
        count = newCount;
        return true;
    }

    /**
     * When a range starts at offset 0, removes it, moves the reassembly point past it (every other
     * offset shrinks by its length) and returns its length; else returns 0.
     */
    public int removeFront() {
        if (count == 0 || start[0] != 0) {
            return 0;
        }
        int n = end[0];
        for (int i = 1; i < count; i++) {
            start[i - 1] = start[i] - n;
            end[i - 1] = end[i] - n;
        }
        count--;
        return n;
    }

    /** Returns the ranges as {@code [start, end)} pairs, e.g. {@code [2, 4) [6, 9)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append('[').append(start[i]).append(", ").append(end[i]).append(')');
        }
        return sb.toString();
    }
}
