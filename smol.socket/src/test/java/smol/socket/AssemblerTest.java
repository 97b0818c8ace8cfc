package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The assembler against a reference model: a boolean per byte of a window. */
class AssemblerTest {
    private static final int WINDOW = 64;

    /** One step: add [offset, offset + length), or (length 0) take the front away. */
    record Op(int offset, int length) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> add = Combinators.combine(Arbitraries.integers().between(0, WINDOW - 1),
                Arbitraries.integers().between(1, 12)).as(Op::new);
        Arbitrary<Op> front = Arbitraries.just(new Op(0, 0));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, add), net.jqwik.api.Tuple.of(1, front)).list().ofMaxSize(60);
    }

    @Property(tries = 2000)
    void matchesTheModel(@ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 1, max = 6) int capacity) {
        Assembler assembler = new Assembler(capacity);
        boolean[] model = new boolean[WINDOW * 4];
        for (Op op : ops) {
            if (op.length() == 0) {
                int run = 0;
                while (run < model.length && model[run]) {
                    run++;
                }
                assertThat(assembler.removeFront()).isEqualTo(run);
                boolean[] shifted = new boolean[model.length];
                System.arraycopy(model, run, shifted, 0, model.length - run);
                model = shifted;
            } else {
                boolean[] next = model.clone();
                for (int i = op.offset(); i < op.offset() + op.length(); i++) {
                    next[i] = true;
                }
                List<int[]> runs = runs(next);
                boolean added = assembler.add(op.offset(), op.length());
                if (added) {
                    model = next;
                }
                // taken exactly when it fits: at most capacity ranges, or one more starting at offset 0
                boolean fits = runs.size() <= capacity || (runs.size() == capacity + 1 && runs.get(0)[0] == 0);
                assertThat(added).as("taken when it fits").isEqualTo(fits);
            }
            List<int[]> expected = runs(model);
            assertThat(assembler.rangeCount()).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(assembler.rangeStart(i)).isEqualTo(expected.get(i)[0]);
                assertThat(assembler.rangeEnd(i)).isEqualTo(expected.get(i)[1]);
            }
            // the socket removes the front after every add: the spare slot is never kept
            if (!expected.isEmpty() && expected.get(0)[0] == 0) {
                int run = expected.get(0)[1];
                assertThat(assembler.removeFront()).isEqualTo(run);
                boolean[] shifted = new boolean[model.length];
                System.arraycopy(model, run, shifted, 0, model.length - run);
                model = shifted;
            }
            assertThat(assembler.rangeCount()).isLessThanOrEqualTo(capacity);
        }
    }

    private static List<int[]> runs(boolean[] bits) {
        List<int[]> runs = new ArrayList<>();
        int i = 0;
        while (i < bits.length) {
            if (!bits[i]) {
                i++;
                continue;
            }
            int start = i;
            while (i < bits.length && bits[i]) {
                i++;
            }
            runs.add(new int[] {start, i});
        }
        return runs;
    }

    @Test
    void keepsFourHolesAndRefusesAFifth() {
        Assembler assembler = new Assembler();
        assertThat(assembler.add(2, 2)).isTrue();
        assertThat(assembler.add(6, 2)).isTrue();
        assertThat(assembler.add(10, 2)).isTrue();
        assertThat(assembler.add(14, 2)).isTrue();
        assertThat(assembler.add(18, 2)).isFalse();
        assertThat(assembler).hasToString("[2, 4) [6, 8) [10, 12) [14, 16)");
        assertThat(assembler.add(4, 2)).isTrue(); // fills a hole: two ranges merge
        assertThat(assembler).hasToString("[2, 8) [10, 12) [14, 16)");
        assertThat(assembler.removeFront()).isZero();
        assertThat(assembler.add(0, 2)).isTrue();
        assertThat(assembler.removeFront()).isEqualTo(8);
        assertThat(assembler).hasToString("[2, 4) [6, 8)");
    }

    @Test
    void aRangeAtTheFrontIsTakenEvenWhenFull() {
        Assembler assembler = new Assembler(1);
        assertThat(assembler.add(5, 1)).isTrue();
        assertThat(assembler.add(1, 1)).isFalse();
        assertThat(assembler.add(0, 1)).isTrue();
        assertThat(assembler.removeFront()).isEqualTo(1);
        assertThat(assembler).hasToString("[4, 5)");
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Assembler(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Assembler().add(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Assembler().add(3, 0)).isTrue();
    }
}
