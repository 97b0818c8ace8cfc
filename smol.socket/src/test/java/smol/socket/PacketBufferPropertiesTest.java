package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The packet buffer against a reference queue of packets under random operations: packets come out
 * in order with their metadata and bytes; an enqueue never exceeds the slots or the payload area, and
 * succeeds whenever the documented guarantee says it must.
 */
class PacketBufferPropertiesTest {

    record Packet(int address, int port, long tag, byte[] payload) {
    }

    /** Enqueue this many bytes (kind 0), dequeue into this many (kind 1), or clear (kind 2). */
    record Op(int kind, int size, int seed) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 20).map(k -> k < 11 ? 0 : k < 20 ? 1 : 2),
                Arbitraries.integers().between(0, 24),
                Arbitraries.integers())
                .as(Op::new);
        return op.list().ofMaxSize(80);
    }

    @Property(edgeCases = EdgeCasesMode.MIXIN)
    void behavesLikeABoundedQueueOfPackets(@ForAll @IntRange(min = 1, max = 6) int slots,
                                           @ForAll @IntRange(min = 1, max = 24) int capacity,
                                           @ForAll("operations") List<Op> ops) {
        PacketBuffer buffer = new PacketBuffer(slots, capacity);
        Deque<Packet> model = new ArrayDeque<>();
        int modelBytes = 0;
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    byte[] payload = new byte[op.size()];
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] = (byte) (op.seed() + i);
                    }
                    Packet p = new Packet(op.seed(), op.seed() & 0xffff, op.seed() * 31L, payload);
                    int largest = model.stream().mapToInt(q -> q.payload().length).max().orElse(0);
                    boolean mustFit = model.size() < slots
                            && modelBytes + op.size() + Math.max(op.size(), largest) <= capacity;
                    boolean mayFit = model.size() < slots && modelBytes + op.size() <= capacity;
                    boolean stored = buffer.enqueue(p.address(), p.port(), p.tag(), payload, 0, payload.length);
                    if (mustFit) {
                        assertThat(stored).as("guaranteed to fit").isTrue();
                    }
                    if (!mayFit) {
                        assertThat(stored).as("cannot fit").isFalse();
                    }
                    if (stored) {
                        model.addLast(p);
                        modelBytes += op.size();
                    }
                }
                case 1 -> {
                    byte[] out = new byte[op.size()];
                    Packet expected = model.pollFirst();
                    if (expected == null) {
                        assertThat(buffer.dequeue(out, 0, out.length)).isEqualTo(-1);
                    } else {
                        assertThat(buffer.peekAddress()).isEqualTo(expected.address());
                        assertThat(buffer.peekPort()).isEqualTo(expected.port());
                        assertThat(buffer.peekTag()).isEqualTo(expected.tag());
                        assertThat(buffer.peekLength()).isEqualTo(expected.payload().length);
                        int n = buffer.dequeue(out, 0, out.length);
                        assertThat(n).isEqualTo(Math.min(out.length, expected.payload().length));
                        assertThat(Arrays.copyOf(out, n)).isEqualTo(Arrays.copyOf(expected.payload(), n));
                        modelBytes -= expected.payload().length;
                    }
                }
                default -> {
                    buffer.clear();
                    model.clear();
                    modelBytes = 0;
                }
            }
            assertThat(buffer.count()).isEqualTo(model.size());
            assertThat(buffer.payloadBytes()).isEqualTo(modelBytes);
            assertThat(buffer.isEmpty()).isEqualTo(model.isEmpty());
            assertThat(buffer.isFull()).isEqualTo(model.size() == slots);
        }
    }
}
