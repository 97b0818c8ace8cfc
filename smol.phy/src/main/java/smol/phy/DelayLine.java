package smol.phy;

import java.util.Arrays;

/**
 * The frames one direction of a {@link FaultInjector} holds back, each with the time it is released: a
 * fixed number of preallocated slots (each a frame-sized array) and a binary min-heap of the occupied
 * ones, ordered by release time and, for equal times, by arrival. So frames whose release times cross
 * come out in the order of those times (a jittery link reorders), and frames with equal times in the
 * order they came.
 *
 * <p>Filling a slot is two steps, so that a frame is copied once, straight into its slot: the caller
 * writes into {@link #freeBuffer()} and then {@link #add}s it. Arrays are made only by {@link #ensure},
 * when the line needs more slots or longer ones (the frames held are kept); nothing per frame. Not
 * thread-safe: one thread at a time, as the device.
 */
final class DelayLine {
    private static final byte[][] NO_FRAMES = new byte[0][];
    private static final int[] NO_INTS = new int[0];
    private static final long[] NO_LONGS = new long[0];
    private static final ReceivedChecksum[] NO_CHECKSUMS = new ReceivedChecksum[0];

    private byte[][] frames = NO_FRAMES;
    private int[] lengths = NO_INTS;
    private long[] releaseAt = NO_LONGS;
    /** The order of arrival, which breaks ties between equal release times. */
    private long[] arrival = NO_LONGS;
    private ReceivedChecksum[] checksums = NO_CHECKSUMS;
    /** The occupied slots as a min-heap on (release time, arrival); {@code heap[0]} is the next due. */
    private int[] heap = NO_INTS;
    /** The free slots, a stack: {@code free[0..freeCount)}. */
    private int[] free = NO_INTS;
    private int size;
    private int freeCount;
    private int frameLength;
    private long arrivals;

    /**
     * Makes sure the line has at least {@code slots} slots of at least {@code length} bytes each; when it
     * must grow, makes new arrays and copies the frames held into them. Does nothing (allocates nothing)
     * when it is big enough.
     */
    void ensure(int slots, int length) {
        int capacity = frames.length;
        if (capacity >= slots && frameLength >= length) {
            return;
        }
        int newCapacity = Math.max(capacity, slots);
        int newLength = Math.max(frameLength, length);
        byte[][] newFrames = new byte[newCapacity][];
        for (int i = 0; i < newCapacity; i++) {
            newFrames[i] = new byte[newLength];
            if (i < capacity) {
                System.arraycopy(frames[i], 0, newFrames[i], 0, lengths[i]);
            }
        }
        frames = newFrames;
        lengths = Arrays.copyOf(lengths, newCapacity);
        releaseAt = Arrays.copyOf(releaseAt, newCapacity);
        arrival = Arrays.copyOf(arrival, newCapacity);
        checksums = Arrays.copyOf(checksums, newCapacity);
        heap = Arrays.copyOf(heap, newCapacity);
        int[] newFree = Arrays.copyOf(free, newCapacity);
        // The new slots are free; the old ones keep their places in the heap and the free stack.
        for (int i = capacity; i < newCapacity; i++) {
            newFree[freeCount++] = i;
        }
        free = newFree;
        frameLength = newLength;
    }

    /** Returns the length of every slot in bytes; 0 before the first {@link #ensure}. */
    int frameLength() {
        return frameLength;
    }

    /** Returns how many frames are held. */
    int size() {
        return size;
    }

    /** Returns true when no frame is held. */
    boolean isEmpty() {
        return size == 0;
    }

    /** Returns true when every slot is taken. */
    boolean isFull() {
        return freeCount == 0;
    }

    /** Returns the array of the slot the next {@link #add} fills, to write a frame into at offset 0. */
    byte[] freeBuffer() {
        return frames[free[freeCount - 1]];
    }

    /**
     * Holds the frame written into {@link #freeBuffer()} ({@code length} bytes) until {@code releaseMicros},
     * with what is known of its checksum.
     */
    void add(int length, long releaseMicros, ReceivedChecksum checksum) {
        int slot = free[--freeCount];
        lengths[slot] = length;
        releaseAt[slot] = releaseMicros;
        arrival[slot] = arrivals++;
        checksums[slot] = checksum;
        int i = size++;
        // Sift up.
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(slot, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = slot;
    }

    /** Returns the release time of the next frame; {@link Long#MAX_VALUE} when none is held. */
    long nextRelease() {
        return size == 0 ? Long.MAX_VALUE : releaseAt[heap[0]];
    }

    /** Returns the array holding the next frame, at offset 0; only while one is held. */
    byte[] nextFrame() {
        return frames[heap[0]];
    }

    /** Returns the length of the next frame; only while one is held. */
    int nextLength() {
        return lengths[heap[0]];
    }

    /** Returns what is known of the next frame's checksum; only while one is held. */
    ReceivedChecksum nextChecksum() {
        return checksums[heap[0]];
    }

    /** Frees the slot of the next frame; only while one is held. */
    void removeNext() {
        int slot = heap[0];
        checksums[slot] = null;
        free[freeCount++] = slot;
        int last = heap[--size];
        // Sift the last one down from the root.
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], last)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
    }

    private boolean before(int slotA, int slotB) {
        long a = releaseAt[slotA];
        long b = releaseAt[slotB];
        return a < b || (a == b && arrival[slotA] < arrival[slotB]);
    }
}
