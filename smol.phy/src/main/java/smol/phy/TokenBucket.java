package smol.phy;

/**
 * A rate limit of at most {@code limit} frames per interval, on the caller's clock: the bucket holds
 * {@code limit} tokens, each frame takes one, and the bucket is refilled when an interval has passed since
 * the last refill (as smoltcp's fault injector does). Not thread-safe; allocation-free.
 */
final class TokenBucket {
    private int tokens;
    private long refilledAt;
    private boolean started;

    /**
     * Takes a token at {@code nowMicros} and returns true, or returns false when none is left. A limit of
     * 0 means no limit: always true, nothing counted.
     */
    boolean take(int limit, long intervalMicros, long nowMicros) {
        if (limit == 0) {
            return true;
        }
        if (!started || nowMicros - refilledAt >= intervalMicros) {
            tokens = limit;
            refilledAt = nowMicros;
            started = true;
        }
        if (tokens > 0) {
            tokens--;
            return true;
        }
        return false;
    }

    /**
     * Returns when the bucket refills, on the caller's clock, while it is empty under a limit; otherwise
     * {@link Long#MIN_VALUE}: a frame may go now.
     */
    long emptyUntil(int limit, long intervalMicros) {
        if (limit == 0 || !started || tokens > 0) {
            return Long.MIN_VALUE;
        }
        return refilledAt + intervalMicros;
    }

    /** Returns the token a frame took when that frame did not go after all. */
    void giveBack(int limit) {
        if (limit > 0 && tokens < limit) {
            tokens++;
        }
    }

    /** Forgets the bucket's state: the next {@link #take} starts a full interval. */
    void reset() {
        started = false;
    }
}
