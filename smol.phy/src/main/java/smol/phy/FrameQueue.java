package smol.phy;

import java.util.Objects;

/**
 * A fixed queue of frames for one producer thread and one consumer thread (they may be the same): each
 * slot is preallocated at the largest frame length, frames are copied in and out, nothing is allocated
 * per frame. The producer alone writes {@code tail}, the consumer alone writes {@code head}; both are
 * volatile, so a frame's bytes written before the tail moves are visible to the consumer that sees it
 * move, and a slot is reused only after the consumer has moved the head past it.
 */
final class FrameQueue {
    private final byte[][] slots;
    private final int[] lengths;
    private final int maxFrameLength;
    private final Doorbell consumerBell;
    private final Doorbell producerBell;
    /** Index of the next frame to read; written by the consumer only. */
    private volatile long head;
    /** Index of the next slot to fill; written by the producer only. */
    private volatile long tail;

    /**
     * Creates a queue of {@code capacity} frames of up to {@code maxFrameLength} bytes each, which rings
     * {@code consumerBell} whenever a frame arrives and {@code producerBell} whenever a slot frees up (the
     * same bell for a queue that one device both fills and empties).
     */
    FrameQueue(int capacity, int maxFrameLength, Doorbell consumerBell, Doorbell producerBell) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1 frame: " + capacity);
        }
        if (maxFrameLength < 1) {
            throw new IllegalArgumentException("max frame length must be positive: " + maxFrameLength);
        }
        this.slots = new byte[capacity][maxFrameLength];
        this.lengths = new int[capacity];
        this.maxFrameLength = maxFrameLength;
        this.consumerBell = Objects.requireNonNull(consumerBell, "consumerBell");
        this.producerBell = Objects.requireNonNull(producerBell, "producerBell");
    }

    /** Returns how many frames the queue holds at most. */
    int capacity() {
        return slots.length;
    }

    /** Returns the longest frame a slot holds, in bytes. */
    int maxFrameLength() {
        return maxFrameLength;
    }

    /** Returns true when no frame is waiting. Any thread; exact for the consumer. */
    boolean isEmpty() {
        return head == tail;
    }

    /** Returns true when every slot holds a frame. Any thread; exact for the producer. */
    boolean isFull() {
        long h = head;
        return tail - h == slots.length;
    }

    /** Returns how many frames are waiting; a snapshot when read by another thread than producer and consumer. */
    int size() {
        long h = head;
        return (int) (tail - h);
    }

    /**
     * Copies a frame in; returns false when the queue is full. Producer only. The caller has checked that
     * {@code 0 < len <= maxFrameLength()} and the bounds.
     */
    boolean offer(byte[] buf, int off, int len) {
        long t = tail;
        if (t - head == slots.length) {
            return false;
        }
        int slot = (int) (t % slots.length);
        System.arraycopy(buf, off, slots[slot], 0, len);
        lengths[slot] = len;
        tail = t + 1; // publishes the bytes above
        consumerBell.frameArrived();
        return true;
    }

    /** Returns the length of the frame at the head, or 0 when the queue is empty. Consumer only. */
    int peekLength() {
        long h = head;
        if (h == tail) {
            return 0;
        }
        return lengths[(int) (h % slots.length)];
    }

    /** Copies the head frame to {@code buf} at {@code off} and removes it; the caller has checked it fits. Consumer only. */
    int poll(byte[] buf, int off) {
        long h = head;
        int slot = (int) (h % slots.length);
        int len = lengths[slot];
        System.arraycopy(slots[slot], 0, buf, off, len);
        head = h + 1; // frees the slot for the producer
        producerBell.roomMade();
        return len;
    }

    /** Removes the head frame without reading it. Consumer only; the queue is not empty. */
    void skip() {
        head = head + 1;
        producerBell.roomMade();
    }
}
