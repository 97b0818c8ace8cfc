package smol.iface;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Hears of the problems an {@link InterfaceRuntime}'s loop survives: an application callback that threw
 * or ran too long, and a poll that threw. Each is also counted in {@link RuntimeStatistics}; the loop goes
 * on whatever a listener does.
 *
 * <p>Thread-safety: called on the runtime's loop thread, with the runtime's lock held, so a listener must
 * not block and must not wait for another thread that uses the runtime. An exception a listener throws
 * is swallowed (the problem stays counted). The default methods log through {@link System.Logger} under
 * the name {@code smol.iface.InterfaceRuntime}, building each message only when that level is enabled.
 */
public interface RuntimeListener {

    /**
     * A readiness callback of {@code socket} threw {@code failure}; the loop caught it and went on. The
     * callback is not run again unless the application arms it again.
     */
    default void callbackFailed(RuntimeSocket socket, Throwable failure) {
        logger().log(Level.WARNING, () -> "readiness callback of " + socket + " threw", failure);
    }

    /**
     * A readiness callback of {@code socket} ran for {@code elapsedNanos}, longer than the runtime's
     * threshold ({@link InterfaceRuntime.Builder#slowCallbackThreshold}): every socket of the interface
     * waited that long.
     */
    default void callbackSlow(RuntimeSocket socket, long elapsedNanos) {
        logger().log(Level.WARNING, () -> "readiness callback of " + socket + " blocked the loop for "
                + elapsedNanos / 1000 + " us");
    }

    /**
     * A poll of the interface threw {@code failure} (a socket of an application's own kind, most likely);
     * the loop caught it and goes on after a short pause, so that a failure repeating at every poll
     * cannot make it spin.
     */
    default void pollFailed(Throwable failure) {
        logger().log(Level.ERROR, "interface poll threw; the loop goes on", failure);
    }

    /** Returns a listener that logs every problem (the default methods). */
    static RuntimeListener logging() {
        return new RuntimeListener() {
            @Override
            public String toString() {
                return "logging runtime listener";
            }
        };
    }

    /** The logger of the default methods; looked up per problem, which is rare. */
    private static Logger logger() {
        return System.getLogger(InterfaceRuntime.class.getName());
    }
}
