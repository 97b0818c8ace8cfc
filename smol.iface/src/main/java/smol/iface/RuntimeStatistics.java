package smol.iface;

/**
 * What an {@link InterfaceRuntime}'s loop has done since it was built, as {@link InterfaceRuntime#statistics()}
 * returns it: a snapshot value, safe to keep and to pass between threads.
 *
 * @param polls how many times the loop polled the interface
 * @param callbacks how many readiness callbacks it ran
 * @param callbackFailures how many of them threw (each reported to the {@link RuntimeListener})
 * @param slowCallbacks how many of them ran longer than the slow-callback threshold (each reported)
 * @param pollFailures how many polls threw (each reported; the loop went on)
 */
public record RuntimeStatistics(long polls, long callbacks, long callbackFailures, long slowCallbacks,
        long pollFailures) {

    /** Returns e.g. {@code polls=120 callbacks=4 callbackFailures=0 slowCallbacks=1 pollFailures=0}. */
    @Override
    public String toString() {
        return "polls=" + polls + " callbacks=" + callbacks + " callbackFailures=" + callbackFailures
                + " slowCallbacks=" + slowCallbacks + " pollFailures=" + pollFailures;
    }
}
