package smol.socket;

/**
 * The round-trip time estimate of one TCP connection and the retransmission timeout it gives (RFC 6298):
 * the smoothed RTT and its variation, updated by samples (weighted as RFC 7323 Appendix G asks when
 * timestamps give several per round trip), and the timeout's back-off. Times in microseconds. Not
 * thread-safe: it belongs to its socket.
 */
final class RttEstimator {
    private final long initialTimeout;
    private final long minTimeout;
    private final long maxTimeout;
    private final long clockGranularity;

    private long smoothedRtt;
    private long rttVariance;
    private boolean measured;
    private long retransmitTimeout;

    /** An estimator with no sample yet: the timeout is {@code initialTimeout}, kept within min..max. */
    RttEstimator(long initialTimeout, long minTimeout, long maxTimeout, long clockGranularity) {
        this.initialTimeout = initialTimeout;
        this.minTimeout = minTimeout;
        this.maxTimeout = maxTimeout;
        this.clockGranularity = clockGranularity;
        reset();
    }

    /** Forgets every sample: a new connection starts. */
    void reset() {
        smoothedRtt = 0;
        rttVariance = 0;
        measured = false;
        retransmitTimeout = initialTimeout;
    }

    /**
     * Takes a sample of {@code sampleMicros}, as one of {@code weight} samples expected per round trip
     * (1 without timestamps). RFC 6298 §2.2 and §2.3, with RFC 7323 Appendix G's gains alpha/weight and
     * beta/weight; the timeout is recomputed, so a valid sample after timeouts ends the back-off (§5.7).
     */
    void sample(long sampleMicros, int weight) {
        if (!measured) {
            smoothedRtt = sampleMicros;
            rttVariance = sampleMicros / 2;
            measured = true;
        } else {
            rttVariance = ((4L * weight - 1) * rttVariance + Math.abs(smoothedRtt - sampleMicros)) / (4L * weight);
            smoothedRtt = ((8L * weight - 1) * smoothedRtt + sampleMicros) / (8L * weight);
        }
        long rto = smoothedRtt + Math.max(clockGranularity, 4 * rttVariance);
        retransmitTimeout = Math.min(maxTimeout, Math.max(minTimeout, rto));
    }

    /** RFC 6298 §5.5: the timer expired; the timeout doubles, up to the maximum. */
    void backOff() {
        retransmitTimeout = Math.min(maxTimeout, retransmitTimeout * 2);
    }

    /**
     * RFC 6298 §5.7: after a retransmitted SYN and without a sample, the timeout is re-initialized to
     * {@code fallbackMicros} when data transmission begins.
     */
    void fallBackUnlessMeasured(long fallbackMicros) {
        if (!measured) {
            retransmitTimeout = fallbackMicros;
        }
    }

    /** Returns the retransmission timeout (RTO). */
    long retransmitTimeout() {
        return retransmitTimeout;
    }

    /** Returns the smoothed RTT (SRTT), 0 before any sample. */
    long smoothedRtt() {
        return smoothedRtt;
    }

    /** Returns true once a sample was taken. */
    boolean measured() {
        return measured;
    }
}
