package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The ring against a reference model under random operations: the stream as an unbounded tape of
 * bytes indexed by absolute position, with the head and the readable length. Bytes committed without
 * having been written (stale storage) are unknown in the model and not compared.
 */
class RingBufferPropertiesTest {

    /** One operation: which, two numbers whose meaning depends on it, and bytes to write. */
    record Op(int kind, int a, int b, byte[] data) {
        @Override
        public String toString() {
            String[] names = {"write", "read", "peek", "skip", "writeAt", "commit", "clear"};
            return names[kind] + "(" + a + ", " + b + ", " + data.length + " bytes)";
        }
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 6),
                Arbitraries.integers().between(-2, 20),
                Arbitraries.integers().between(0, 20),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20))
                .as(Op::new);
        return op.list().ofMaxSize(60);
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void behavesLikeAnUnboundedTapeWithAWindow(@ForAll @IntRange(min = 1, max = 16) int capacity,
                                               @ForAll("operations") List<Op> ops) {
        RingBuffer ring = new RingBuffer(capacity);
        Map<Long, Byte> tape = new HashMap<>();
        long head = 0;
        int length = 0;
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> { // write
                    int n = ring.write(op.data(), 0, op.data().length);
                    assertThat(n).isEqualTo(Math.min(op.data().length, capacity - length));
                    for (int i = 0; i < n; i++) {
                        tape.put(head + length + i, op.data()[i]);
                    }
                    length += n;
                }
                case 1 -> { // read
                    int len = Math.max(0, op.a());
                    byte[] out = new byte[len];
                    int n = ring.read(out, 0, len);
                    assertThat(n).isEqualTo(Math.min(len, length));
                    assertMatches(tape, head, out, n);
                    head += n;
                    length -= n;
                }
                case 2 -> { // peek
                    byte[] out = new byte[op.b()];
                    int n = ring.peek(op.a(), out, 0, op.b());
                    int expected = op.a() < 0 || op.a() >= length ? 0 : Math.min(op.b(), length - op.a());
                    assertThat(n).isEqualTo(expected);
                    assertMatches(tape, head + Math.max(0, op.a()), out, n);
                }
                case 3 -> { // skip
                    if (op.a() < 0 || op.a() > length) {
                        int n = op.a();
                        assertThatThrownBy(() -> ring.skip(n)).isInstanceOf(IllegalArgumentException.class);
                    } else {
                        ring.skip(op.a());
                        head += op.a();
                        length -= op.a();
                    }
                }
                case 4 -> { // writeAt
                    int n = ring.writeAt(op.a(), op.data(), 0, op.data().length);
                    long start = (long) length + op.a();
                    int expected = op.a() < 0 || start >= capacity ? 0
                            : (int) Math.min(op.data().length, capacity - start);
                    assertThat(n).isEqualTo(expected);
                    for (int i = 0; i < n; i++) {
                        tape.put(head + start + i, op.data()[i]);
                    }
                }
                case 5 -> { // commit
                    if (op.a() < 0 || op.a() > capacity - length) {
                        int n = op.a();
                        assertThatThrownBy(() -> ring.commit(n)).isInstanceOf(IllegalArgumentException.class);
                    } else {
                        ring.commit(op.a());
                        length += op.a();
                    }
                }
                default -> { // clear: the storage keeps stale bytes, which the model no longer knows
                    ring.clear();
                    tape.clear();
                    head = 0;
                    length = 0;
                }
            }
            // Positions before the head can never be read again; after a clear nothing is known.
            final long h = head;
            tape.keySet().removeIf(position -> position < h);
            assertThat(ring.length()).isEqualTo(length);
            assertThat(ring.free()).isEqualTo(capacity - length);
            assertThat(ring.isEmpty()).isEqualTo(length == 0);
            assertThat(ring.isFull()).isEqualTo(length == capacity);
        }
        // Drain: everything the model knows comes out in order.
        byte[] rest = new byte[length];
        assertThat(ring.read(rest, 0, length)).isEqualTo(length);
        assertMatches(tape, head, rest, length);
    }

    private static void assertMatches(Map<Long, Byte> tape, long from, byte[] actual, int n) {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Byte expected = tape.get(from + i);
            if (expected != null && expected != actual[i]) {
                mismatches.add("position " + (from + i) + ": expected " + expected + ", got " + actual[i]);
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
