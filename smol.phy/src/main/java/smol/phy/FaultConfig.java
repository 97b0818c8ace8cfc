package smol.phy;

/**
 * What a {@link FaultInjector} does to frames, as the options of smoltcp's examples ({@code --drop-chance},
 * {@code --corrupt-chance}, {@code --size-limit}, {@code --tx-rate-limit}, {@code --rx-rate-limit},
 * {@code --shaping-interval}). An immutable value; {@link #NONE} changes nothing, and the {@code with…}
 * methods derive variants from it.
 *
 * @param dropChance chance of losing each frame, in each direction, 0..1
 * @param corruptChance chance of changing one octet of each frame that is not lost, in each direction, 0..1
 * @param sizeLimit frames longer than this many bytes are lost, in each direction; 0: no limit
 * @param txRateLimit at most this many frames transmitted per shaping interval; 0: no limit
 * @param rxRateLimit at most this many frames received per shaping interval; 0: no limit
 * @param shapingIntervalMicros the rate limits' interval in microseconds, at least 1
 */
public record FaultConfig(double dropChance, double corruptChance, int sizeLimit, int txRateLimit, int rxRateLimit,
        long shapingIntervalMicros) {

    /** No faults, no limits, a shaping interval of one second (so a rate limit reads as frames per second). */
    public static final FaultConfig NONE = new FaultConfig(0, 0, 0, 0, 0, 1_000_000);

    /**
     * Creates a configuration.
     *
     * @throws IllegalArgumentException when a chance is outside 0..1 (or NaN), a limit is negative, or the
     *     shaping interval is below 1 microsecond; the message names the value
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
        return new FaultConfig(chance, corruptChance, sizeLimit, txRateLimit, rxRateLimit, shapingIntervalMicros);
    }

    /** Returns this configuration with the given corrupt chance (0..1). */
    public FaultConfig withCorruptChance(double chance) {
        return new FaultConfig(dropChance, chance, sizeLimit, txRateLimit, rxRateLimit, shapingIntervalMicros);
    }

    /** Returns this configuration with the given size limit in bytes (0: none). */
    public FaultConfig withSizeLimit(int bytes) {
        return new FaultConfig(dropChance, corruptChance, bytes, txRateLimit, rxRateLimit, shapingIntervalMicros);
    }

    /** Returns this configuration with the given transmit limit in frames per interval (0: none). */
    public FaultConfig withTxRateLimit(int frames) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, frames, rxRateLimit, shapingIntervalMicros);
    }

    /** Returns this configuration with the given receive limit in frames per interval (0: none). */
    public FaultConfig withRxRateLimit(int frames) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, txRateLimit, frames, shapingIntervalMicros);
    }

    /** Returns this configuration with the given shaping interval in microseconds (at least 1). */
    public FaultConfig withShapingIntervalMicros(long micros) {
        return new FaultConfig(dropChance, corruptChance, sizeLimit, txRateLimit, rxRateLimit, micros);
    }
}
