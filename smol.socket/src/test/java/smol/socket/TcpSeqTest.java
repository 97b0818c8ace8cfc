package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Sequence arithmetic modulo 2^32 against long arithmetic. */
class TcpSeqTest {

    @Property
    void addingAndDiffingAreInverse(@ForAll int seq, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int n) {
        assertThat(TcpSeq.diff(TcpSeq.add(seq, n), seq)).isEqualTo(n);
        assertThat(TcpSeq.add(seq, n)).isEqualTo((int) ((seq & 0xffffffffL) + n));
    }

    @Property
    void orderFollowsTheDistanceAcrossTheWrap(@ForAll int seq, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int n) {
        int later = TcpSeq.add(seq, n);
        assertThat(TcpSeq.lessThan(seq, later)).isTrue();
        assertThat(TcpSeq.lessOrEqual(seq, later)).isTrue();
        assertThat(TcpSeq.greaterThan(later, seq)).isTrue();
        assertThat(TcpSeq.greaterOrEqual(later, seq)).isTrue();
        assertThat(TcpSeq.lessThan(later, seq)).isFalse();
        assertThat(TcpSeq.max(seq, later)).isEqualTo(later);
        assertThat(TcpSeq.min(later, seq)).isEqualTo(seq);
    }

    @Property
    void aNumberIsNeitherBeforeNorAfterItself(@ForAll int seq) {
        assertThat(TcpSeq.lessThan(seq, seq)).isFalse();
        assertThat(TcpSeq.greaterThan(seq, seq)).isFalse();
        assertThat(TcpSeq.lessOrEqual(seq, seq)).isTrue();
    }

    @Property
    void rangesAreHalfOpenAcrossTheWrap(@ForAll int start, @ForAll @IntRange(min = 0, max = 1 << 30) int length,
            @ForAll @IntRange(min = -(1 << 30), max = 1 << 30) int offset) {
        int end = TcpSeq.add(start, length);
        boolean expected = offset >= 0 && offset < length;
        assertThat(TcpSeq.inRange(TcpSeq.add(start, offset), start, end)).isEqualTo(expected);
    }

    @Test
    void wrapsAt2To32() {
        assertThat(TcpSeq.lessThan(0xffff_fff0, 0x10)).isTrue();
        assertThat(TcpSeq.diff(0x10, 0xffff_fff0)).isEqualTo(0x20);
        assertThat(TcpSeq.lessThan(0x7fff_ffff, 0x8000_0000)).isTrue();
    }
}
