package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PacketBufferTest {

    private static byte[] bytes(int len, int first) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    private static byte[] dequeueAll(PacketBuffer buffer) {
        byte[] out = new byte[buffer.peekLength()];
        assertThat(buffer.dequeue(out, 0, out.length)).isEqualTo(out.length);
        return out;
    }

    @Test
    void packetsComeOutInTheOrderTheyWentInWithTheirMetadata() {
        PacketBuffer buffer = new PacketBuffer(4, 64);
        assertThat(buffer.enqueue(0x0a000001, 1000, 7L, bytes(3, 1), 0, 3)).isTrue();
        assertThat(buffer.enqueue(0x0a000002, 2000, -1L, bytes(5, 10), 0, 5)).isTrue();
        assertThat(buffer.count()).isEqualTo(2);
        assertThat(buffer.payloadBytes()).isEqualTo(8);

        assertThat(buffer.peekAddress()).isEqualTo(0x0a000001);
        assertThat(buffer.peekPort()).isEqualTo(1000);
        assertThat(buffer.peekTag()).isEqualTo(7L);
        assertThat(dequeueAll(buffer)).containsExactly(1, 2, 3);

        assertThat(buffer.peekAddress()).isEqualTo(0x0a000002);
        assertThat(buffer.peekPort()).isEqualTo(2000);
        assertThat(buffer.peekTag()).isEqualTo(-1L);
        assertThat(dequeueAll(buffer)).containsExactly(10, 11, 12, 13, 14);
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.payloadBytes()).isZero();
    }

    @Test
    void fillsUpToTheLastSlot() {
        PacketBuffer buffer = new PacketBuffer(3, 64);
        for (int i = 0; i < 3; i++) {
            assertThat(buffer.enqueue(i, i, i, bytes(2, i), 0, 2)).isTrue();
        }
        assertThat(buffer.isFull()).isTrue();
        assertThat(buffer.enqueue(9, 9, 9, bytes(1, 0), 0, 1)).as("no slot left").isFalse();
        assertThat(buffer.enqueue(9, 9, 9, new byte[0], 0, 0)).as("not even for an empty payload").isFalse();
        assertThat(buffer.count()).isEqualTo(3);
    }

    @Test
    void isFullByBytesWhileSlotsRemain() {
        PacketBuffer buffer = new PacketBuffer(8, 10);
        assertThat(buffer.enqueue(1, 1, 0, bytes(6, 0), 0, 6)).isTrue();
        assertThat(buffer.enqueue(2, 2, 0, bytes(5, 0), 0, 5)).as("11 bytes in 10").isFalse();
        assertThat(buffer.enqueue(2, 2, 0, bytes(4, 0), 0, 4)).as("exactly full").isTrue();
        assertThat(buffer.isFull()).isFalse();
        assertThat(buffer.enqueue(3, 3, 0, bytes(1, 0), 0, 1)).isFalse();
        assertThat(buffer.count()).isEqualTo(2);
        assertThat(buffer.payloadBytes()).isEqualTo(10);
    }

    @Test
    void aPayloadLargerThanTheAreaNeverFits() {
        PacketBuffer buffer = new PacketBuffer(2, 10);
        assertThat(buffer.enqueue(1, 1, 0, bytes(11, 0), 0, 11)).isFalse();
        assertThat(buffer.enqueue(1, 1, 0, bytes(10, 0), 0, 10)).as("the whole area").isTrue();
    }

    @Test
    void zeroLengthPayloadsNeedOnlyASlot() {
        PacketBuffer buffer = new PacketBuffer(3, 4);
        assertThat(buffer.enqueue(1, 1, 0, bytes(4, 0), 0, 4)).isTrue();
        assertThat(buffer.enqueue(2, 2, 0, new byte[0], 0, 0)).as("area full, slot free").isTrue();
        assertThat(buffer.enqueue(3, 3, 0, new byte[0], 0, 0)).isTrue();
        assertThat(buffer.enqueue(4, 4, 0, new byte[0], 0, 0)).isFalse();

        assertThat(dequeueAll(buffer)).containsExactly(0, 1, 2, 3);
        assertThat(buffer.peekAddress()).isEqualTo(2);
        assertThat(buffer.peekLength()).isZero();
        assertThat(buffer.dequeue(new byte[8], 0, 8)).isZero();
        assertThat(buffer.peekAddress()).isEqualTo(3);
        assertThat(buffer.dequeue(new byte[0], 0, 0)).isZero();
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void wrapsToTheStartWhenTheTailIsTooShortLeavingItUnused() {
        PacketBuffer buffer = new PacketBuffer(8, 10);
        assertThat(buffer.enqueue(1, 1, 0, bytes(4, 0), 0, 4)).isTrue();  // [0,4)
        assertThat(buffer.enqueue(2, 2, 0, bytes(4, 4), 0, 4)).isTrue();  // [4,8)
        dequeueAll(buffer);                                                // head at 4
        // 3 bytes fit nowhere after 8 (2 left) but do at the start: the tail [8,10) goes unused.
        assertThat(buffer.enqueue(3, 3, 0, bytes(3, 20), 0, 3)).isTrue();
        assertThat(buffer.payloadBytes()).isEqualTo(7);
        // Free now: only [3,4): one byte, though 10 − 7 = 3 bytes are not payload.
        assertThat(buffer.enqueue(4, 4, 0, bytes(2, 0), 0, 2)).isFalse();
        assertThat(buffer.enqueue(4, 4, 0, bytes(1, 30), 0, 1)).isTrue();

        assertThat(dequeueAll(buffer)).containsExactly(4, 5, 6, 7);
        assertThat(dequeueAll(buffer)).containsExactly(20, 21, 22);
        assertThat(buffer.peekOffset()).isEqualTo(3);
        // The skipped tail came back with the packet after it: [4,10) is free again.
        assertThat(buffer.enqueue(5, 5, 0, bytes(6, 40), 0, 6)).isTrue();
        assertThat(dequeueAll(buffer)).containsExactly(30);
        assertThat(dequeueAll(buffer)).containsExactly(40, 41, 42, 43, 44, 45);
    }

    @Test
    void eachPayloadIsContiguousInTheStorage() {
        PacketBuffer buffer = new PacketBuffer(8, 10);
        buffer.enqueue(1, 1, 0, bytes(7, 0), 0, 7);
        dequeueAll(buffer);
        // An empty buffer starts over at 0, so 9 bytes fit in one run.
        assertThat(buffer.enqueue(2, 2, 0, bytes(9, 50), 0, 9)).isTrue();
        assertThat(buffer.peekOffset()).isZero();
        byte[] storage = buffer.payloadStorage();
        for (int i = 0; i < 9; i++) {
            assertThat(storage[buffer.peekOffset() + i]).isEqualTo((byte) (50 + i));
        }
    }

    @Test
    void slotsWrapAround() {
        PacketBuffer buffer = new PacketBuffer(2, 100);
        for (int i = 0; i < 10; i++) {
            assertThat(buffer.enqueue(i, i, i, bytes(3, i), 0, 3)).isTrue();
            if (i > 0) {
                assertThat(buffer.peekAddress()).isEqualTo(i - 1);
                assertThat(dequeueAll(buffer)).containsExactly(i - 1, i, i + 1);
            }
        }
        assertThat(buffer.count()).isEqualTo(1);
    }

    @Test
    void dequeueIntoAShortArrayCopiesThePrefixAndDropsTheRest() {
        PacketBuffer buffer = new PacketBuffer(2, 16);
        buffer.enqueue(1, 1, 0, bytes(6, 1), 0, 6);
        buffer.enqueue(2, 2, 0, bytes(2, 9), 0, 2);
        byte[] dst = new byte[5];
        assertThat(buffer.dequeue(dst, 1, 4)).isEqualTo(4);
        assertThat(dst).containsExactly(0, 1, 2, 3, 4);
        assertThat(buffer.peekAddress()).isEqualTo(2);
    }

    @Test
    void reserveHandsOutTheOffsetToWriteTheLengthAt() {
        PacketBuffer buffer = new PacketBuffer(2, 8);
        int at = buffer.reserve(5, 6, 7, 3);
        assertThat(at).isZero();
        buffer.payloadStorage()[at] = 42;
        assertThat(buffer.reserve(5, 6, 7, 6)).as("3 + 6 > 8").isEqualTo(-1);
        assertThat(buffer.count()).isEqualTo(1);
        assertThat(dequeueAll(buffer)).startsWith(42);
    }

    @Test
    void emptyBufferReportsEmptyAndRefusesPeeks() {
        PacketBuffer buffer = new PacketBuffer(1, 1);
        assertThat(buffer.dequeue(new byte[1], 0, 1)).isEqualTo(-1);
        assertThatThrownBy(buffer::peekLength).isInstanceOf(IllegalStateException.class).hasMessageContaining("empty");
        assertThatThrownBy(buffer::remove).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clearForgetsEverything() {
        PacketBuffer buffer = new PacketBuffer(2, 4);
        buffer.enqueue(1, 1, 0, bytes(4, 0), 0, 4);
        buffer.enqueue(1, 1, 0, bytes(0, 0), 0, 0);
        buffer.clear();
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.payloadBytes()).isZero();
        assertThat(buffer.enqueue(1, 1, 0, bytes(4, 0), 0, 4)).isTrue();
    }

    @Test
    void misuseIsReportedWithTheBadValue() {
        assertThatThrownBy(() -> new PacketBuffer(0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> new PacketBuffer(1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity");
        PacketBuffer buffer = new PacketBuffer(1, 10);
        assertThatThrownBy(() -> buffer.reserve(0, 0, 0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> buffer.enqueue(0, 0, 0, new byte[2], 1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(buffer.isEmpty()).isTrue();
    }
}
