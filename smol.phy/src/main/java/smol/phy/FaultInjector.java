package smol.phy;

import java.util.Objects;

/**
 * Wraps a device and makes its link worse, as smoltcp's {@code FaultInjector}: it loses frames at random,
 * corrupts them, loses frames over a size limit, and limits the frame rate in each direction (see
 * {@link FaultConfig}). Its capabilities report {@link ChecksumCapabilities#ALL} whatever the wrapped
 * device says, since corrupted frames must be caught by the stack's checksums.
 *
 * <p>What happens to a frame, in order:
 * <ul>
 *   <li>receive: longer than the size limit → lost; drop chance → lost; over the rx rate → lost (it has
 *       arrived; the device cannot push back, as a policer); corrupt chance → one octet changed. A lost
 *       frame is counted and the next waiting frame is tried, so that a loss does not look like an empty
 *       queue (at most {@value #MAX_FRAMES_PER_RECEIVE} frames per call).</li>
 *   <li>transmit: longer than the size limit → lost (true returned); over the tx rate → refused (false
 *       returned, nothing queued: the stack keeps the frame and tries later, as a shaper); drop chance →
 *       lost (true returned); corrupt chance → one octet changed in a copy, the caller's array is not
 *       touched.</li>
 * </ul>
 * Corruption replaces exactly one octet, at a random position, by a different value. Randomness comes
 * from a generator of its own (SplitMix64) seeded at creation, so the same seed, configuration and calls
 * give the same decisions on every JVM. The rate limits use the {@code nowMicros} arguments: the
 * injector has no clock. Nothing is allocated per frame (one frame-sized scratch array is made at
 * creation).
 *
 * <p>Waiting: after it refused a transmit for the tx rate, {@link #pollAt} reports when the rate allows
 * the next frame, and a wait {@code untilWritable} does not ask the wrapped device for room (time, not
 * the device, lifts the refusal).
 *
 * <p>The wrapped device is replaceable ({@link #attach}/{@link #detach()}), the configuration too
 * ({@link #setConfig}, from any thread: the next frame uses it, the rate limits restart, and a waiting
 * loop is woken). Receive, transmit, pollAt and await come from one thread at a time, as {@link Device}
 * says; counters are plain fields, exact on that thread.
 */
public final class FaultInjector extends WrappedDevice {
    /** The most frames one {@link #receive} reads from the wrapped device while it loses them. */
    public static final int MAX_FRAMES_PER_RECEIVE = 1024;

    /** The largest frame any device carries: MTU 65535 plus the Ethernet header. */
    private static final int MAX_FRAME_LENGTH = 65535 + DeviceCapabilities.ETHERNET_HEADER_LEN;

    private volatile FaultConfig config;
    /** The configuration the polling thread last used: when it differs from {@link #config} the limits restart. */
    private FaultConfig configInUse;
    private long randomState;
    private final TokenBucket rxBucket = new TokenBucket();
    private final TokenBucket txBucket = new TokenBucket();
    /** True from a transmit refused for the tx rate until one is taken (or the limits restart). */
    private boolean txWaitsForRate;
    private final byte[] scratch = new byte[MAX_FRAME_LENGTH];

    /** The frame the last receive returned was corrupted here: its checksum must be verified. */
    private boolean lastCorrupted;
    private long rxDropped;
    private long txDropped;
    private long rxCorrupted;
    private long txCorrupted;
    private long rxOversize;
    private long txOversize;
    private long rxRateLimited;
    private long txRateLimited;

    /**
     * Creates an injector around {@code device} (null: start detached) with the given configuration and
     * random seed.
     *
     * @throws IllegalArgumentException when {@code config} is null
     */
    public FaultInjector(Device device, FaultConfig config, long seed) {
        super(device, true);
        if (config == null) {
            throw new IllegalArgumentException("fault config must be given (FaultConfig.NONE for none)");
        }
        this.config = config;
        this.randomState = seed;
    }

    /** Returns the configuration in force. */
    public FaultConfig config() {
        return config;
    }

    /**
     * Replaces the configuration; the next frame uses it, the rate limits start a new interval, and the
     * loop waiting on this injector is woken to poll again. Safe from any thread.
     *
     * @throws IllegalArgumentException when {@code config} is null
     */
    public void setConfig(FaultConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("fault config must be given (FaultConfig.NONE for none)");
        }
        this.config = config;
        wakeWaiter();
    }

    /**
     * Receives the next frame from the wrapped device that survives the faults (see the class comment),
     * into {@code buf} at {@code off}; returns its length or 0. Returns 0 while detached.
     */
    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        Device d = device();
        if (d == null) {
            return 0;
        }
        FaultConfig c = configInForce();
        lastCorrupted = false;
        for (int i = 0; i < MAX_FRAMES_PER_RECEIVE; i++) {
            int len = d.receive(buf, off, nowMicros);
            if (len <= 0) {
                return 0;
            }
            if (c.sizeLimit() > 0 && len > c.sizeLimit()) {
                rxOversize++;
                continue;
            }
            if (happens(c.dropChance())) {
                rxDropped++;
                continue;
            }
            if (!rxBucket.take(c.rxRateLimit(), c.shapingIntervalMicros(), nowMicros)) {
                rxRateLimited++;
                continue;
            }
            if (happens(c.corruptChance())) {
                corruptOneOctet(buf, off, len);
                rxCorrupted++;
                lastCorrupted = true;
            }
            return len;
        }
        return 0;
    }

    /**
     * Returns {@link ReceivedChecksum#UNKNOWN} for a frame this injector corrupted, so that the stack
     * checks it and catches the damage; the wrapped device's word for any other.
     */
    @Override
    public ReceivedChecksum receivedChecksum() {
        return lastCorrupted ? ReceivedChecksum.UNKNOWN : super.receivedChecksum();
    }

    /**
     * Transmits the frame through the faults (see the class comment). Returns false while detached, when
     * the tx rate is exhausted, or when the wrapped device refuses the frame; true when it was sent or lost.
     *
     * @throws IllegalArgumentException when {@code len} is not positive
     * @throws IndexOutOfBoundsException when {@code off}/{@code len} do not lie inside {@code buf}
     */
    @Override
    public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < 1) {
            throw new IllegalArgumentException("a frame must have at least one byte: len=" + len);
        }
        Device d = device();
        if (d == null) {
            return false;
        }
        FaultConfig c = configInForce();
        if (c.sizeLimit() > 0 && len > c.sizeLimit()) {
            txOversize++;
            return true;
        }
        if (!txBucket.take(c.txRateLimit(), c.shapingIntervalMicros(), nowMicros)) {
            txRateLimited++;
            txWaitsForRate = true;
            return false;
        }
        txWaitsForRate = false;
        if (happens(c.dropChance())) {
            txDropped++;
            return true;
        }
        // A frame too long for any device is left for the wrapped device to refuse, uncorrupted.
        boolean corrupt = happens(c.corruptChance()) && len <= scratch.length;
        boolean sent;
        if (corrupt) {
            System.arraycopy(buf, off, scratch, 0, len);
            corruptOneOctet(scratch, 0, len);
            sent = d.transmit(scratch, 0, len, nowMicros);
        } else {
            sent = d.transmit(buf, off, len, nowMicros);
        }
        if (!sent) {
            // The frame did not go: it must not use up the rate, and it was not corrupted on the wire.
            txBucket.giveBack(c.txRateLimit());
            return false;
        }
        if (corrupt) {
            txCorrupted++;
        }
        return true;
    }

    private FaultConfig configInForce() {
        FaultConfig c = config;
        if (c != configInUse) {
            configInUse = c;
            rxBucket.reset();
            txBucket.reset();
            txWaitsForRate = false;
        }
        return c;
    }

    /**
     * Returns the earlier of the wrapped device's {@link Device#pollAt} and, after a transmit refused for
     * the tx rate, the time the rate allows the next frame (while that is after {@code nowMicros}).
     */
    @Override
    public long pollAt(long nowMicros) {
        long inner = super.pollAt(nowMicros);
        if (!txWaitsForRate || device() == null) {
            return inner;
        }
        FaultConfig c = configInForce(); // a new configuration restarts the limits and ends the wait
        long allowedAt = txBucket.emptyUntil(c.txRateLimit(), c.shapingIntervalMicros());
        // Once that time has come the next transmit refills the bucket: nothing more is due by time.
        return allowedAt > nowMicros ? Math.min(inner, allowedAt) : inner;
    }

    /** A refusal for the tx rate waits for time ({@link #pollAt}), not for room in the wrapped device. */
    @Override
    boolean refusedByDevice() {
        return !txWaitsForRate;
    }

    /** Draws whether an event of the given chance happens; draws nothing for a zero chance. */
    private boolean happens(double chance) {
        return chance > 0 && nextDouble() < chance;
    }

    private void corruptOneOctet(byte[] buf, int off, int len) {
        int index = nextInt(len);
        // XOR with 1..255 always gives a different value.
        buf[off + index] ^= (byte) (1 + nextInt(255));
    }

    // SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, statistically sound, and ours, so that the
    // decisions for a seed do not depend on the JDK's generators.
    private long nextLong() {
        long z = (randomState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Returns a uniform double in [0, 1). */
    private double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Returns an int in [0, bound) for a positive bound (multiply-shift; the bias is below 2^-32). */
    private int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Returns how many received frames were lost by the drop chance. */
    public long rxDropped() {
        return rxDropped;
    }

    /** Returns how many transmitted frames were lost by the drop chance. */
    public long txDropped() {
        return txDropped;
    }

    /** Returns how many received frames had an octet changed. */
    public long rxCorrupted() {
        return rxCorrupted;
    }

    /** Returns how many transmitted frames had an octet changed. */
    public long txCorrupted() {
        return txCorrupted;
    }

    /** Returns how many received frames were lost for being longer than the size limit. */
    public long rxOversize() {
        return rxOversize;
    }

    /** Returns how many transmitted frames were lost for being longer than the size limit. */
    public long txOversize() {
        return txOversize;
    }

    /** Returns how many received frames were lost for exceeding the rx rate limit. */
    public long rxRateLimited() {
        return rxRateLimited;
    }

    /** Returns how many transmits were refused for exceeding the tx rate limit. */
    public long txRateLimited() {
        return txRateLimited;
    }

    /** Returns the counters in one line, e.g. {@code rx dropped=1 corrupted=0 oversize=0 rate-limited=0, tx …}. */
    @Override
    public String toString() {
        return "fault injector: rx dropped=" + rxDropped + " corrupted=" + rxCorrupted + " oversize=" + rxOversize
                + " rate-limited=" + rxRateLimited + ", tx dropped=" + txDropped + " corrupted=" + txCorrupted
                + " oversize=" + txOversize + " rate-limited=" + txRateLimited;
    }
}
