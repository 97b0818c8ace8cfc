package smol.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import smol.iface.FrameDirection;

/** The queue between an interface's loop thread and a capture's thread: copies, bounds, drops. */
class FrameQueueTest {
    private final byte[] frame = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void aFrameIsCopiedIntoItsSlotAndTheSlotIsFreedOnRelease() {
        FrameQueue queue = new FrameQueue(2, 64, 0, Thread.currentThread());

        queue.onFrame(FrameDirection.OUT, frame, 2, 5, 0);
        frame[2] = 99; // the interface reuses its buffer after the call

        int slot = queue.peek();
        assertThat(slot).isNotNegative();
        assertThat(Arrays.copyOfRange(queue.bytes(), queue.offset(slot), queue.offset(slot) + queue.capturedLength(slot)))
                .containsExactly(3, 4, 5, 6, 7);
        assertThat(queue.outgoing(slot)).isTrue();
        assertThat(queue.originalLength(slot)).isEqualTo(5);
        queue.release();
        assertThat(queue.peek()).isEqualTo(-1);
    }

    @Test
    void whenEverySlotIsTakenTheNextFrameIsDroppedAndCounted() {
        FrameQueue queue = new FrameQueue(2, 64, 0, Thread.currentThread());

        for (int i = 0; i < 5; i++) {
            queue.onFrame(FrameDirection.IN, frame, 0, frame.length, 0);
        }

        assertThat(queue.queued()).isEqualTo(2);
        assertThat(queue.dropped()).isEqualTo(3);
        queue.release();
        queue.onFrame(FrameDirection.IN, frame, 0, frame.length, 0);
        assertThat(queue.queued()).isEqualTo(3);
    }

    @Test
    void aFrameLongerThanTheSnaplenIsCutAndKeepsItsOriginalLength() {
        FrameQueue queue = new FrameQueue(1, 4, 0, Thread.currentThread());

        queue.onFrame(FrameDirection.IN, frame, 0, frame.length, 0);

        int slot = queue.peek();
        assertThat(queue.capturedLength(slot)).isEqualTo(4);
        assertThat(queue.originalLength(slot)).isEqualTo(10);
        assertThat(queue.outgoing(slot)).isFalse();
    }

    @Test
    void afterItsLimitTheQueueTakesNoMoreFramesNorCountsThemAsDropped() {
        FrameQueue queue = new FrameQueue(8, 64, 2, Thread.currentThread());

        for (int i = 0; i < 4; i++) {
            queue.onFrame(FrameDirection.IN, frame, 0, frame.length, 0);
        }

        assertThat(queue.queued()).isEqualTo(2);
        assertThat(queue.dropped()).isZero();
        assertThat(queue.limitReached()).isTrue();
    }

    @Test
    void takingAndDroppingFramesAllocatesNothing() {
        assumeThat(ManagementFactory.getThreadMXBean()).isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FrameQueue queue = new FrameQueue(16, 64, 0, Thread.currentThread());
        for (int i = 0; i < 20_000; i++) { // warm up, so that the measured loop runs compiled
            queue.onFrame(FrameDirection.IN, frame, 0, frame.length, i);
            if (i % 3 == 0 && queue.peek() >= 0) {
                queue.release();
            }
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            queue.onFrame(FrameDirection.IN, frame, 0, frame.length, i);
            if (i % 3 == 0 && queue.peek() >= 0) {
                queue.release();
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(queue.dropped()).isPositive();
        // Less than a byte per frame: nothing per frame. A Java 25 run counted 144 bytes in all, once, from the
        // JVM itself (a frame allocating anything would be 160 KB here).
        assertThat(allocated).isLessThan(10_000);
    }
}
