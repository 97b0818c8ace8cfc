package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RingBufferTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void storedBytesCanBeReadInPlaceUpToTheWrap() {
        RingBuffer ring = new RingBuffer(8);
        ring.write(bytes(0, 0, 0, 0, 0, 0), 0, 6);
        ring.skip(5);
        ring.write(bytes(1, 2, 3, 4, 5), 0, 5); // stored: [0] at index 5, then 1 2 at 6..7, 3 4 5 at 0..2
        assertThat(ring.contiguousAt(0)).isEqualTo(3);
        assertThat(ring.contiguousAt(1)).isEqualTo(2);
        assertThat(ring.contiguousAt(3)).isEqualTo(3);
        assertThat(ring.storage()[ring.indexOf(3)]).isEqualTo((byte) 3);
        assertThat(ring.contiguousAt(6)).isZero();
    }

    @Test
    void writeThenReadReturnsTheSameBytes() {
        RingBuffer ring = new RingBuffer(8);
        assertThat(ring.write(bytes(1, 2, 3), 0, 3)).isEqualTo(3);
        assertThat(ring.length()).isEqualTo(3);
        assertThat(ring.free()).isEqualTo(5);
        byte[] out = new byte[3];
        assertThat(ring.read(out, 0, 3)).isEqualTo(3);
        assertThat(out).containsExactly(1, 2, 3);
        assertThat(ring.isEmpty()).isTrue();
    }

    @Test
    void writeStopsAtCapacityAndReportsHowMuchFit() {
        RingBuffer ring = new RingBuffer(4);
        assertThat(ring.write(bytes(1, 2, 3, 4, 5, 6), 0, 6)).isEqualTo(4);
        assertThat(ring.isFull()).isTrue();
        assertThat(ring.write(bytes(7), 0, 1)).isZero();
    }

    @Test
    void writeAndReadWrapAroundTheEnd() {
        RingBuffer ring = new RingBuffer(5);
        ring.write(bytes(1, 2, 3, 4), 0, 4);
        ring.skip(3);
        // Head at 3: these four bytes go to positions 4, 0, 1, 2.
        assertThat(ring.write(bytes(5, 6, 7, 8), 0, 4)).isEqualTo(4);
        assertThat(ring.isFull()).isTrue();
        byte[] out = new byte[5];
        assertThat(ring.read(out, 0, 5)).isEqualTo(5);
        assertThat(out).containsExactly(4, 5, 6, 7, 8);
    }

    @Test
    void readCopiesAtMostWhatIsStored() {
        RingBuffer ring = new RingBuffer(4);
        ring.write(bytes(9, 8), 0, 2);
        byte[] out = new byte[6];
        assertThat(ring.read(out, 1, 5)).isEqualTo(2);
        assertThat(out).containsExactly(0, 9, 8, 0, 0, 0);
        assertThat(ring.read(out, 0, 6)).isZero();
    }

    @Test
    void peekReadsAtAnOffsetWithoutConsuming() {
        RingBuffer ring = new RingBuffer(6);
        ring.write(bytes(0, 0, 0, 0), 0, 4);
        ring.skip(4);
        ring.write(bytes(1, 2, 3, 4, 5), 0, 5); // wraps after 2 bytes
        byte[] out = new byte[3];
        assertThat(ring.peek(1, out, 0, 3)).isEqualTo(3);
        assertThat(out).containsExactly(2, 3, 4);
        assertThat(ring.peek(3, out, 0, 3)).as("only 2 bytes past offset 3").isEqualTo(2);
        assertThat(out).startsWith(4, 5);
        assertThat(ring.peek(5, out, 0, 3)).as("offset at the tail").isZero();
        assertThat(ring.peek(-1, out, 0, 3)).as("negative offset").isZero();
        assertThat(ring.length()).isEqualTo(5);
    }

    @Test
    void writeAtStoresPastTheTailUntilCommitted() {
        RingBuffer ring = new RingBuffer(8);
        ring.write(bytes(1, 2), 0, 2);
        // Bytes 5..6 of the stream arrive before 3..4.
        assertThat(ring.writeAt(2, bytes(5, 6), 0, 2)).isEqualTo(2);
        assertThat(ring.length()).as("not readable yet").isEqualTo(2);
        assertThat(ring.writeAt(0, bytes(3, 4), 0, 2)).isEqualTo(2);
        ring.commit(4);
        byte[] out = new byte[6];
        assertThat(ring.read(out, 0, 6)).isEqualTo(6);
        assertThat(out).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void writeAtStopsAtCapacityAndWrapsAroundTheEnd() {
        RingBuffer ring = new RingBuffer(5);
        ring.write(bytes(0, 0, 0), 0, 3);
        ring.skip(3);
        ring.write(bytes(1), 0, 1); // head 3, tail 4
        assertThat(ring.writeAt(1, bytes(3, 4, 5, 6), 0, 4)).as("room for 3 past offset 1").isEqualTo(3);
        assertThat(ring.writeAt(4, bytes(9), 0, 1)).as("offset at capacity").isZero();
        assertThat(ring.writeAt(-1, bytes(9), 0, 1)).as("negative offset").isZero();
        ring.writeAt(0, bytes(2), 0, 1);
        ring.commit(4);
        byte[] out = new byte[5];
        assertThat(ring.read(out, 0, 5)).isEqualTo(5);
        assertThat(out).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void skipDropsFromTheHead() {
        RingBuffer ring = new RingBuffer(4);
        ring.write(bytes(1, 2, 3), 0, 3);
        ring.skip(2);
        byte[] out = new byte[1];
        ring.read(out, 0, 1);
        assertThat(out).containsExactly(3);
        ring.skip(0);
        assertThat(ring.isEmpty()).isTrue();
    }

    @Test
    void clearForgetsEveryByte() {
        RingBuffer ring = new RingBuffer(3);
        ring.write(bytes(1, 2, 3), 0, 3);
        ring.clear();
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.free()).isEqualTo(3);
    }

    @Test
    void misuseNamesTheBadValue() {
        assertThatThrownBy(() -> new RingBuffer(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        RingBuffer ring = new RingBuffer(4);
        ring.write(bytes(1, 2), 0, 2);
        assertThatThrownBy(() -> ring.skip(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3");
        assertThatThrownBy(() -> ring.skip(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ring.commit(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3").hasMessageContaining("2 free");
        assertThatThrownBy(() -> ring.commit(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ring.length()).isEqualTo(2);
    }
}
