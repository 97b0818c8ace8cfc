package smol.phy;

/**
 * What a {@link FaultInjector} does to frames, as the options of smoltcp's examples ({@code --drop-chance},
 * {@code --corrupt-chance}, {@code --size-limit}, {@code --tx-rate-limit}, {@code --rx-rate-limit},
 * {@code --shaping-interval}), plus a delay line as Linux's netem ({@code delay 20ms 5ms}). An immutable
 * value; {@link #NONE} changes nothing, and the {@code with…} methods derive variants from it.
 *
 * @param dropChance chance of losing each frame, in each direction, 0..1
 * @param corruptChance chance of changing one octet of each frame that is not lost, in each direction, 0..1
 * @param sizeLimit frames longer than this many bytes are lost, in each direction; 0: no limit
 * @param txRateLimit at most this many frames transmitted per shaping interval; 0: no limit
 * @param rxRateLimit at most this many frames received per shaping interval; 0: no limit
 * @param shapingIntervalMicros the rate limits' interval in microseconds, at least 1
 * @param delayMicros how long each frame is held, in each direction, in microseconds,
 *     0..{@value #MAX_DELAY_MICROS}; 0: none
 * @param jitterMicros each frame's delay varies uniformly within ±this many microseconds, so that frames
 *     overtake one another; 0..{@code delayMicros} (a frame is never released before it came)
 * @param delaySlots the most frames the delay line holds in each direction, 1..{@value #MAX_DELAY_SLOTS};
 *     a frame that finds it full is lost (and counted). Each slot is an array of the device's largest
 *     frame, made when a delay is first configured: memory is twice {@code delaySlots} times that frame
 */
public record FaultConfig(double dropChance, double corruptChance, int sizeLimit, int txRateLimit, int rxRateLimit,
        long shapingIntervalMicros, long delayMicros, long jitterMicros, int delaySlots) {

    /** The longest delay: a minute, longer than any link a stack should be tested on. */
    public static final long MAX_DELAY_MICROS = 60_000_000;
    /**
     * The delay line's size unless configured: 256 frames each way, 20 ms of a 64 KiB TCP window of
     * 1514-byte frames several times over (about 390 KB each way at MTU 1500).
     */
    public static final int DEFAULT_DELAY_SLOTS = 256;
    /** The largest delay line, in frames each way. */
    public static final int MAX_DELAY_SLOTS = 65_536;

    /**
     * No faults, no limits, no delay, a shaping interval of one second (so a rate limit reads as frames per
     * second) and {@link #DEFAULT_DELAY_SLOTS} for a delay set later.
     */
    public static final FaultConfig NONE = new FaultConfig(0, 0, 0, 0, 0, 1_000_000, 0, 0, DEFAULT_DELAY_SLOTS);

    /**
     * Creates a configuration.
     *
     * @throws IllegalArgumentException when a chance is outside 0..1 (or NaN), a limit is negative, the
     *     shaping interval is below 1 microsecond, the delay is outside 0..{@value #MAX_DELAY_MICROS}, the
     *     jitter outside 0..delay, or the slots outside 1..{@value #MAX_DELAY_SLOTS}; the message names
     *     the value
     */
    public FaultConfig {
        checkChance("drop chance", dropChance);
        checkChance("corrupt chance", corruptChance);
        checkLimit("size limit", sizeLimit);
        checkLimit("tx rate limit", txRateLimit);
        checkLimit("rx rate limit", rxRateLimit);
        if (shapingIntervalMicros < 1) {
            throw new IllegalArgumentException(
                    "shaping interval must be at least 1 microsecond: " + shapingIntervalMicros);
        }
        if (delayMicros < 0 || delayMicros > MAX_DELAY_MICROS) {
            throw new IllegalArgumentException(
                    "delay must be within 0.." + MAX_DELAY_MICROS + " microseconds: " + delayMicros);
        }
        if (jitterMicros < 0 || jitterMicros > delayMicros) {
            throw new IllegalArgumentException("jitter must be within 0..delay (" + delayMicros
                    + " microseconds; set the delay first): " + jitterMicros);
        }
        if (delaySlots < 1 || delaySlots > MAX_DELAY_SLOTS) {
            throw new IllegalArgumentException(
                    "delay slots must be within 1.." + MAX_DELAY_SLOTS + ": " + delaySlots);
        }
    }

    private static void checkChance(String name, double chance) {
        // Written so that NaN fails too.
        if (!(chance >= 0 && chance <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1: " + chance);
        }
    }

    private static void checkLimit(String name, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException(name + " must be 0 (no limit) or more: " + limit);
        }
    }

    /** Returns this configuration with the given drop chance (0..1). */
    public FaultConfig withDropChance(double chance) {
        return new FaultConfig(chance, corruptChance, sizeLimit, txRateLimit, rxRateLimit, shapingIntervalMicros,
                delayMicros, jitterMicros, delaySlots);
    }

    /** Returns this configuration with the given corrupt chance (0..1). */
    public FaultConfig withCorruptChance(double chance) {
        return new FaultConfig(dropChance, chance, sizeLimit, txRateLimit, rxRateLimit, shapingIntervalMicros,
                delayMicros, jitterMicros, delaySlots);
    }

    /** Returns this configuration with the given size limit in bytes (0: none). */
    public FaultConfig withSizeLimit(int bytes) {
        return new FaultConfig(dropChance, corruptChance, bytes, txRateLimit, rxRateLimit, shapingIntervalMicros,
                delayMicros, jitterMicros, delaySlots);
    }

    /** Returns this configuration with the given transmit limit in frames per interval (0: none). */
    public FaultConfig withTxRateLimit(int frames) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, frames, rxRateLimit, shapingIntervalMicros,
                delayMicros, jitterMicros, delaySlots);
    }

    /** Returns this configuration with the given receive limit in frames per interval (0: none). */
    public FaultConfig withRxRateLimit(int frames) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, txRateLimit, frames, shapingIntervalMicros,
                delayMicros, jitterMicros, delaySlots);
    }

    /** Returns this configuration with the given shaping interval in microseconds (at least 1). */
    public FaultConfig withShapingIntervalMicros(long micros) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, txRateLimit, rxRateLimit, micros,
                delayMicros, jitterMicros, delaySlots);
    }

    /**
     * Returns this configuration with the given delay in microseconds, each way (0: none, at most
     * {@value #MAX_DELAY_MICROS}); the jitter must not exceed it, so lower the jitter first when lowering both.
     */
    public FaultConfig withDelayMicros(long micros) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, txRateLimit, rxRateLimit, shapingIntervalMicros,
                micros, jitterMicros, delaySlots);
    }

    /** Returns this configuration with the given jitter in microseconds (0..the delay: set the delay first). */
    public FaultConfig withJitterMicros(long micros) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, txRateLimit, rxRateLimit, shapingIntervalMicros,
                delayMicros, micros, delaySlots);
    }

    /** Returns this configuration with a delay line of the given frames each way (1..{@value #MAX_DELAY_SLOTS}). */
    public FaultConfig withDelaySlots(int slots) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, txRateLimit, rxRateLimit, shapingIntervalMicros,
                delayMicros, jitterMicros, slots);
    }
}
