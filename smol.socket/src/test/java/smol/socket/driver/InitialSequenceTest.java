package smol.socket.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ISN generators: fixed for tests, RFC 6528 keyed hash plus a 4 µs clock. */
class InitialSequenceTest {

    @Test
    void sipHashMatchesTheReferenceVectorFor16Bytes() {
        // SipHash-2-4 reference (Aumasson and Bernstein), key 00..0f, message 00..0f
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        long m0 = 0x0706050403020100L;
        long m1 = 0x0f0e0d0c0b0a0908L;
        assertThat(InitialSequenceHash.sipHash24(k0, k1, m0, m1)).isEqualTo(0x3f2acc7f57c29bdbL);
    }

    @Test
    void fixedAlwaysAnswersTheSame() {
        InitialSequence isn = InitialSequence.fixed(42);
        assertThat(isn.next(1, 2, 3, 4, 5)).isEqualTo(42);
        assertThat(isn.next(9, 9, 9, 9, 999)).isEqualTo(42);
    }

    @Test
    void keyedIsDeterministicAndAdvancesEveryFourMicroseconds() {
        InitialSequence isn = InitialSequence.keyed(1, 2);
        int at0 = isn.next(0x0a000001, 80, 0x0a000002, 40000, 0);
        assertThat(isn.next(0x0a000001, 80, 0x0a000002, 40000, 0)).isEqualTo(at0);
        assertThat(isn.next(0x0a000001, 80, 0x0a000002, 40000, 3)).isEqualTo(at0);
        assertThat(isn.next(0x0a000001, 80, 0x0a000002, 40000, 4)).isEqualTo(at0 + 1);
        assertThat(isn.next(0x0a000001, 80, 0x0a000002, 40000, 4_000_000)).isEqualTo(at0 + 1_000_000);
    }

    @Test
    void keyedDependsOnTheKeyAndEveryPartOfTheFourTuple() {
        InitialSequence isn = InitialSequence.keyed(1, 2);
        int base = isn.next(0x0a000001, 80, 0x0a000002, 40000, 0);
        assertThat(InitialSequence.keyed(1, 3).next(0x0a000001, 80, 0x0a000002, 40000, 0)).isNotEqualTo(base);
        assertThat(isn.next(0x0a000009, 80, 0x0a000002, 40000, 0)).isNotEqualTo(base);
        assertThat(isn.next(0x0a000001, 81, 0x0a000002, 40000, 0)).isNotEqualTo(base);
        assertThat(isn.next(0x0a000001, 80, 0x0a000003, 40000, 0)).isNotEqualTo(base);
        assertThat(isn.next(0x0a000001, 80, 0x0a000002, 40001, 0)).isNotEqualTo(base);
    }
}
