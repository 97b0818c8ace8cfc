package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The RFC 6298 estimator on its own: samples, back-off, the 3 s fallback. */
class RttEstimatorTest {
    private final RttEstimator rtt = new RttEstimator(1_000_000, 200_000, 60_000_000, 1_000);

    @Test
    void theFirstSampleSetsTheSmoothedRttAndHalfOfItAsVariation() {
        rtt.sample(400_000, 1);

        // RFC 6298 §2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + max(G, 4 RTTVAR)
        assertThat(rtt.smoothedRtt()).isEqualTo(400_000);
        assertThat(rtt.retransmitTimeout()).isEqualTo(400_000 + 4 * 200_000);
        assertThat(rtt.measured()).isTrue();
    }

    @Test
    void laterSamplesMoveTheEstimateByAnEighthAndTheVariationByAQuarter() {
        rtt.sample(400_000, 1);
        rtt.sample(800_000, 1);

        // RFC 6298 §2.3: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, SRTT = 7/8 SRTT + 1/8 R'
        assertThat(rtt.smoothedRtt()).isEqualTo(450_000);
        assertThat(rtt.retransmitTimeout()).isEqualTo(450_000 + 4 * 250_000);
    }

    @Test
    void severalSamplesPerRoundTripWeighEachLess() {
        rtt.sample(400_000, 1);
        rtt.sample(800_000, 4); // RFC 7323 Appendix G: alpha / ExpectedSamples

        assertThat(rtt.smoothedRtt()).isEqualTo((31L * 400_000 + 800_000) / 32);
    }

    @Test
    void theTimeoutStaysWithinItsBoundsAndBacksOffByDoubling() {
        rtt.sample(1_000, 1);
        assertThat(rtt.retransmitTimeout()).isEqualTo(200_000);
        for (int i = 0; i < 20; i++) {
            rtt.backOff();
        }
        assertThat(rtt.retransmitTimeout()).isEqualTo(60_000_000);
        rtt.sample(1_000, 1);
        assertThat(rtt.retransmitTimeout()).as("a valid sample ends the back-off").isEqualTo(200_000);
    }

    @Test
    void theFallbackAppliesOnlyWithoutASample() {
        rtt.backOff();
        rtt.fallBackUnlessMeasured(3_000_000);
        assertThat(rtt.retransmitTimeout()).isEqualTo(3_000_000);

        rtt.reset();
        rtt.sample(10_000, 1);
        rtt.fallBackUnlessMeasured(3_000_000);
        assertThat(rtt.retransmitTimeout()).isEqualTo(200_000);
    }
}
