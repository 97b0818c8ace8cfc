package smol.phy;

import java.util.Objects;

/**
 * Wraps a device and makes its link worse, as smoltcp's {@code FaultInjector}: it loses frames at random,
 * corrupts them, loses frames over a size limit, limits the frame rate, and delays frames by a fixed time
 * plus jitter (which reorders them), in each direction (see {@link FaultConfig}). Its capabilities report
 * {@link ChecksumCapabilities#ALL} whatever the wrapped device says, since corrupted frames must be caught
 * by the stack's checksums.
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
 *
 * <p>Delay: with a delay configured, a frame that survives the faults above is copied into a slot of the
 * direction's delay line and released at its arrival time plus the delay plus a jitter drawn uniformly
 * from {@code [-jitter, +jitter]} (whole microseconds), so a frame may overtake those before it; frames
 * due at the same time keep their order. A frame that finds the line's {@link FaultConfig#delaySlots}
 * taken is lost ({@link #rxDelayOverflow}, {@link #txDelayOverflow}). Exactly when frames move:
 * <ul>
 *   <li>receive: first every frame waiting in the wrapped device is taken in (at most
 *       {@value #MAX_FRAMES_PER_RECEIVE}), through the faults, into the line with its release time
 *       counted from this call's {@code nowMicros}; then the earliest frame whose release time is at or
 *       before {@code nowMicros} is returned, with the checksum status the wrapped device gave it on
 *       arrival ({@link ReceivedChecksum#UNKNOWN} once corrupted). A frame longer than the caller's
 *       array is lost then, counted as oversize.</li>
 *   <li>transmit: accepted frames (true returned) are held; every receive and transmit call first hands
 *       the wrapped device each held frame that is due, earliest first, with the call's
 *       {@code nowMicros}. When the wrapped device refuses one, it and those after it stay held and are
 *       tried again at the next call, and a wait ends when the device takes frames again.</li>
 * </ul>
 * {@link #pollAt} reports the earliest release time held in either direction (a refused transmit aside,
 * which waits for room, not time). While frames are held, new ones join the line even when the delay is
 * now 0 (released at the next call, perhaps ahead of frames held longer); a transmitted frame longer than
 * a slot (longer than the device's largest frame) is handed on at once, for the device to refuse. The
 * slots' arrays (each as long as the wrapped device's largest frame) are made on the polling thread
 * when a delay is first in force, or when a device with a larger frame is attached, and kept; so a delay
 * line costs twice {@code delaySlots} such arrays.
 *
 * <p>Corruption replaces exactly one octet, at a random position, by a different value. Randomness comes
 * from a generator of its own (SplitMix64) seeded at creation, so the same seed, configuration and calls
 * give the same decisions (and the same jitter) on every JVM. The rate limits and the delay use the
 * {@code nowMicros} arguments: the injector has no clock. Nothing is allocated per frame (one frame-sized
 * scratch array is made at creation; the delay lines' slots when a delay is first used).
 *
 * <p>Waiting: after it refused a transmit for the tx rate, {@link #pollAt} reports when the rate allows
 * the next frame, and a wait {@code untilWritable} does not ask the wrapped device for room (time, not
 * the device, lifts the refusal).
 *
 * <p>The wrapped device is replaceable ({@link #attach}/{@link #detach()}), the configuration too
 * ({@link #setConfig}, from any thread: the next frame uses it, the rate limits restart, and a waiting
 * loop is woken; frames held keep the release times they were given, and held frames stay held while
 * no device is attached, for the next one). Receive, transmit, pollAt and await come from one thread at a
 * time, as {@link Device} says; counters are plain fields, exact on that thread.
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

    /** Frames received from the wrapped device, held until their release times. */
    private final DelayLine rxLine = new DelayLine();
    /** Frames the stack transmitted, held until their release times. */
    private final DelayLine txLine = new DelayLine();
    /** The earliest due transmit was refused by the wrapped device: it waits for room, not time. */
    private boolean txBlocked;

    /**
     * The checksum status of the frame the last receive returned when the injector decides it (corrupted
     * here, or released from the delay line); null: the wrapped device's word for its last frame.
     */
    private ReceivedChecksum lastChecksum;
    private long rxDropped;
    private long txDropped;
    private long rxCorrupted;
    private long txCorrupted;
    private long rxOversize;
    private long txOversize;
    private long rxRateLimited;
    private long txRateLimited;
    private long rxDelayOverflow;
    private long txDelayOverflow;

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
     * loop waiting on this injector is woken to poll again. Frames held in the delay lines keep their
     * release times (a delay of 0 makes new frames due at once); a smaller {@code delaySlots} loses new
     * frames until the lines hold fewer. Safe from any thread.
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
     * Receives the next frame that survives the faults and, with a delay, is due at {@code nowMicros}
     * (see the class comment), into {@code buf} at {@code off}; returns its length or 0. First hands the
     * wrapped device the transmitted frames that are due. Returns 0 while detached.
     */
    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        Device d = device();
        if (d == null) {
            return 0;
        }
        FaultConfig c = configInForce();
        lastChecksum = null;
        prepareLines(c);
        releaseTransmits(d, nowMicros);
        if (c.delayMicros() > 0 || !rxLine.isEmpty()) {
            takeIntoLine(d, c, nowMicros);
            return releaseReceived(buf, off, nowMicros);
        }
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
                lastChecksum = ReceivedChecksum.UNKNOWN;
            }
            return len;
        }
        return 0;
    }

    /**
     * Takes every frame waiting in the wrapped device through the faults into the receive line, straight
     * into a free slot (into the scratch array when the line is full, to be lost there).
     */
    private void takeIntoLine(Device d, FaultConfig c, long nowMicros) {
        for (int i = 0; i < MAX_FRAMES_PER_RECEIVE; i++) {
            boolean room = rxLine.size() < c.delaySlots() && !rxLine.isFull();
            byte[] into = room ? rxLine.freeBuffer() : scratch;
            int len = d.receive(into, 0, nowMicros);
            if (len <= 0) {
                return;
            }
            ReceivedChecksum checksum = d.receivedChecksum();
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
            if (!room) {
                rxDelayOverflow++;
                continue;
            }
            if (happens(c.corruptChance())) {
                corruptOneOctet(into, 0, len);
                rxCorrupted++;
                checksum = ReceivedChecksum.UNKNOWN;
            }
            rxLine.add(len, releaseTime(c, nowMicros), checksum);
        }
    }

    /** Copies the earliest due frame of the receive line into {@code buf}; returns its length, 0 when none is due. */
    private int releaseReceived(byte[] buf, int off, long nowMicros) {
        while (rxLine.nextRelease() <= nowMicros) {
            int len = rxLine.nextLength();
            if (len > buf.length - off) {
                rxOversize++; // as a device drops a frame too long for the caller's array
                rxLine.removeNext();
                continue;
            }
            System.arraycopy(rxLine.nextFrame(), 0, buf, off, len);
            lastChecksum = rxLine.nextChecksum();
            rxLine.removeNext();
            return len;
        }
        return 0;
    }

    /** Hands the wrapped device the due transmitted frames, earliest first, until it refuses one. */
    private void releaseTransmits(Device d, long nowMicros) {
        while (txLine.nextRelease() <= nowMicros) {
            if (!d.transmit(txLine.nextFrame(), 0, txLine.nextLength(), nowMicros)) {
                txBlocked = true;
                return;
            }
            txLine.removeNext();
        }
        txBlocked = false;
    }

    /** Returns when a frame arriving now is released: now plus the delay plus a uniform jitter. */
    private long releaseTime(FaultConfig c, long nowMicros) {
        long jitter = c.jitterMicros();
        // 2 * jitter + 1 fits an int: jitter is at most FaultConfig.MAX_DELAY_MICROS.
        long offset = jitter == 0 ? 0 : nextInt((int) (2 * jitter + 1)) - jitter;
        return nowMicros + c.delayMicros() + offset;
    }

    /**
     * Gives the delay lines their slots when a delay is in force (or frames are held): as many as the
     * configuration says, as long as the device's largest frame. Allocates only when they must grow.
     */
    private void prepareLines(FaultConfig c) {
        if (c.delayMicros() == 0 && rxLine.isEmpty() && txLine.isEmpty()) {
            return;
        }
        int length = capabilities().maxFrameLength();
        rxLine.ensure(c.delaySlots(), length);
        txLine.ensure(c.delaySlots(), length);
    }

    /**
     * Returns {@link ReceivedChecksum#UNKNOWN} for a frame this injector corrupted, so that the stack
     * checks it and catches the damage; for a frame from the delay line, what the wrapped device said of
     * it when it arrived; the wrapped device's word for any other.
     */
    @Override
    public ReceivedChecksum receivedChecksum() {
        ReceivedChecksum c = lastChecksum;
        return c != null ? c : super.receivedChecksum();
    }

    /**
     * Transmits the frame through the faults (see the class comment), after handing the wrapped device the
     * held frames that are due. Returns false while detached, when the tx rate is exhausted, or when the
     * wrapped device refuses the frame (without a delay); true when it was sent, held or lost.
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
        prepareLines(c);
        releaseTransmits(d, nowMicros);
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
        if ((c.delayMicros() > 0 || !txLine.isEmpty()) && len <= txLine.frameLength()) {
            if (txLine.size() >= c.delaySlots() || txLine.isFull()) {
                txDelayOverflow++;
                return true;
            }
            byte[] slot = txLine.freeBuffer();
            System.arraycopy(buf, off, slot, 0, len);
            if (happens(c.corruptChance())) {
                corruptOneOctet(slot, 0, len);
                txCorrupted++;
            }
            txLine.add(len, releaseTime(c, nowMicros), ReceivedChecksum.UNKNOWN);
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
     * Returns the earliest of the wrapped device's {@link Device#pollAt}; after a transmit refused for
     * the tx rate, the time the rate allows the next frame (while that is after {@code nowMicros}); and
     * the earliest release time of the frames held in either delay line (except transmits that wait for
     * the wrapped device to take them: room, not time, moves those). A held frame due at or before
     * {@code nowMicros} is reported until a receive or transmit call releases it, which the next poll of
     * the stack makes. {@link Long#MAX_VALUE} while detached.
     */
    @Override
    public long pollAt(long nowMicros) {
        long at = super.pollAt(nowMicros);
        if (device() == null) {
            return at;
        }
        if (txWaitsForRate) {
            FaultConfig c = configInForce(); // a new configuration restarts the limits and ends the wait
            long allowedAt = txBucket.emptyUntil(c.txRateLimit(), c.shapingIntervalMicros());
            // Once that time has come the next transmit refills the bucket: nothing more is due by time.
            if (txWaitsForRate && allowedAt > nowMicros) {
                at = Math.min(at, allowedAt);
            }
        }
        at = Math.min(at, rxLine.nextRelease());
        if (!txBlocked) {
            at = Math.min(at, txLine.nextRelease());
        }
        return at;
    }

    /** A refusal for the tx rate waits for time ({@link #pollAt}), not for room in the wrapped device. */
    @Override
    boolean refusedByDevice() {
        return !txWaitsForRate;
    }

    /** A held transmit the wrapped device refused waits for room in it. */
    @Override
    boolean waitsForRoom() {
        return txBlocked;
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

    /** Returns how many received frames were lost because the receive delay line was full. */
    public long rxDelayOverflow() {
        return rxDelayOverflow;
    }

    /** Returns how many transmitted frames were lost because the transmit delay line was full. */
    public long txDelayOverflow() {
        return txDelayOverflow;
    }

    /** Returns how many received frames the delay line holds now, not yet due or not yet received. */
    public int rxHeld() {
        return rxLine.size();
    }

    /** Returns how many transmitted frames the delay line holds now, not yet handed to the wrapped device. */
    public int txHeld() {
        return txLine.size();
    }

    /**
     * Returns the counters in one line, e.g. {@code rx dropped=1 corrupted=0 oversize=0 rate-limited=0
     * delay-overflow=0 held=0, tx …}.
     */
    @Override
    public String toString() {
        return "fault injector: rx dropped=" + rxDropped + " corrupted=" + rxCorrupted + " oversize=" + rxOversize
                + " rate-limited=" + rxRateLimited + " delay-overflow=" + rxDelayOverflow + " held=" + rxLine.size()
                + ", tx dropped=" + txDropped + " corrupted=" + txCorrupted + " oversize=" + txOversize
                + " rate-limited=" + txRateLimited + " delay-overflow=" + txDelayOverflow + " held="
                + txLine.size();
    }
}
