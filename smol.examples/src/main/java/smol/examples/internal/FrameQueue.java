package smol.examples.internal;

import java.util.concurrent.locks.LockSupport;
import smol.iface.FrameDirection;
import smol.iface.FrameObserver;

/**
 * A bounded queue of copied frames between an interface's loop thread (the one producer, as a
 * {@link FrameObserver}) and one consumer thread. All its memory is allocated when it is made:
 * {@code capacity} slots of {@code snaplen} bytes each. {@link #onFrame} never blocks and never allocates:
 * it copies the frame (cut to {@code snaplen}) into the next free slot and unparks the consumer, or, when
 * every slot is taken, counts the frame as dropped. After {@code limit} frames it takes no more.
 *
 * <p>The consumer looks at the oldest frame with {@link #peek()}, reads it through the accessors, and
 * frees its slot with {@link #release()}. One producer thread and one consumer thread at a time; the
 * counters may be read from any thread.
 */
final class FrameQueue implements FrameObserver {
    private final int capacity;
    private final int snaplen;
    private final byte[] bytes;
    private final int[] lengths;
    private final long[] timesNanos;
    private final boolean[] outgoing;
    private final long limit;
    /** Wall-clock nanoseconds minus {@link System#nanoTime()}: stamps frames without allocating. */
    private final long epochOffsetNanos;
    private final Thread consumer;

    // Frames ever queued and ever released: the slot of frame n is n % capacity. Each is written by one
    // thread only (tail by the producer, head by the consumer) and read by the other, hence volatile.
    private volatile long tail;
    private volatile long head;
    private volatile long dropped;

    /**
     * Makes a queue of {@code capacity} frames of at most {@code snaplen} bytes each, that takes at most
     * {@code limit} frames in all (0: no limit) and unparks {@code consumer} when a frame comes.
     *
     * @throws IllegalArgumentException when capacity or snaplen is below 1, or the limit negative
     */
    FrameQueue(int capacity, int snaplen, long limit, Thread consumer) {
        if (capacity < 1 || snaplen < 1 || limit < 0) {
            throw new IllegalArgumentException("a frame queue needs a capacity and a snaplen of at least 1 and a"
                    + " limit of at least 0, not " + capacity + ", " + snaplen + ", " + limit);
        }
        this.capacity = capacity;
        this.snaplen = snaplen;
        this.bytes = new byte[Math.multiplyExact(capacity, snaplen)];
        this.lengths = new int[capacity];
        this.timesNanos = new long[capacity];
        this.outgoing = new boolean[capacity];
        this.limit = limit == 0 ? Long.MAX_VALUE : limit;
        this.epochOffsetNanos = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
        this.consumer = consumer;
    }

    /** Copies the frame into the next free slot, or counts it as dropped when none is free; see the class. */
    @Override
    public void onFrame(FrameDirection direction, byte[] buf, int off, int len, long nowMicros) {
        long t = tail;
        if (t >= limit) {
            return;
        }
        if (t - head >= capacity) {
            dropped++; // only this thread writes it
            return;
        }
        int slot = (int) (t % capacity);
        System.arraycopy(buf, off, bytes, slot * snaplen, Math.min(len, snaplen));
        lengths[slot] = len;
        timesNanos[slot] = System.nanoTime() + epochOffsetNanos;
        outgoing[slot] = direction == FrameDirection.OUT;
        tail = t + 1; // publishes the slot to the consumer
        LockSupport.unpark(consumer);
    }

    /** Returns the slot of the oldest frame not yet released, or -1 when the queue is empty. Consumer only. */
    int peek() {
        long h = head;
        return h == tail ? -1 : (int) (h % capacity);
    }

    /** Frees the slot of the oldest frame for the producer. Consumer only, after {@link #peek()} found one. */
    void release() {
        head = head + 1;
    }

    /** Returns the array holding every slot; slot {@code s} starts at {@link #offset offset(s)}. */
    byte[] bytes() {
        return bytes;
    }

    /** Returns where slot {@code slot} starts in {@link #bytes()}. */
    int offset(int slot) {
        return slot * snaplen;
    }

    /** Returns the bytes kept of the frame in {@code slot}: its length, cut to the snaplen. */
    int capturedLength(int slot) {
        return Math.min(lengths[slot], snaplen);
    }

    /** Returns the length the frame in {@code slot} had on the wire (Ethernet header included, no FCS). */
    int originalLength(int slot) {
        return lengths[slot];
    }

    /** Returns when the frame in {@code slot} was seen, in nanoseconds since the epoch. */
    long timeNanos(int slot) {
        return timesNanos[slot];
    }

    /** Returns true when the frame in {@code slot} was transmitted, false when received. */
    boolean outgoing(int slot) {
        return outgoing[slot];
    }

    /** Returns how many frames were queued so far (at most the limit). */
    long queued() {
        return tail;
    }

    /** Returns how many frames were dropped so far because every slot was taken. */
    long dropped() {
        return dropped;
    }

    /** Returns true once the queue took the frames of its limit: no further frame will come. */
    boolean limitReached() {
        return tail >= limit;
    }
}
