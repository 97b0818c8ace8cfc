package smol.examples;

/**
 * The clock a {@link LoopbackTransfer} polls its interfaces with: microseconds since the transfer
 * started, never going back. Either of two kinds:
 * <ul>
 *   <li>wall: follows {@link System#nanoTime()}; what a run without faults measures;</li>
 *   <li>virtual: never reads the wall clock. Time passes only as frames are sent, at a modelled link
 *       rate of {@value #LINK_BITS_PER_MICROSECOND} bits per microsecond (10 Gbit/s), counting every byte
 *       the interfaces hand to their devices (lost frames too: they took their time on the link), all
 *       devices together as one shared medium. The same calls therefore give the same times on every
 *       run and every machine, which makes a seeded fault run repeat exactly.</li>
 * </ul>
 * On both, {@link #skip} moves the clock forward when nothing can happen before a timer, so that the
 * transfer does not wait for it.
 *
 * <p>Not thread-safe: used by the transfer's one thread.
 */
final class TransferClock {
    /** The virtual clock's modelled link rate: 10,000 bits per microsecond, 10 Gbit/s. */
    static final long LINK_BITS_PER_MICROSECOND = 10_000;

    private final boolean virtual;
    private long originNanos;
    private long skippedMicros;

    private TransferClock(boolean virtual) {
        this.virtual = virtual;
    }

    /** Returns a clock that follows the wall clock. */
    static TransferClock wall() {
        return new TransferClock(false);
    }

    /** Returns a clock that advances only with the bytes sent and the time skipped. */
    static TransferClock virtual() {
        return new TransferClock(true);
    }

    /** Returns true for a virtual clock. */
    boolean isVirtual() {
        return virtual;
    }

    /** Sets the time to 0 now. */
    void start() {
        originNanos = virtual ? 0 : System.nanoTime();
        skippedMicros = 0;
    }

    /**
     * Returns the time in microseconds since {@link #start()}.
     *
     * @param bytesSent every byte the interfaces have handed to their devices since the start (Ethernet
     *     headers included); only a virtual clock uses it, and it must never decrease
     */
    long nowMicros(long bytesSent) {
        long elapsed = virtual ? bytesSent * 8 / LINK_BITS_PER_MICROSECOND : (System.nanoTime() - originNanos) / 1000;
        return elapsed + skippedMicros;
    }

    /** Moves the clock {@code micros} forward (a negative amount is ignored: time never goes back). */
    void skip(long micros) {
        if (micros > 0) {
            skippedMicros += micros;
        }
    }

    /** Returns the time {@link #skip} has moved the clock forward since the start, in microseconds. */
    long skippedMicros() {
        return skippedMicros;
    }
}
