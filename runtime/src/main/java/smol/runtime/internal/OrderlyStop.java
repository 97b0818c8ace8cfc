package smol.runtime.internal;

import java.util.Hashtable;
import java.util.concurrent.Callable;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ends the runtime in order. SIGTERM stops the framework — every bundle stopped, so every component
 * deactivated and every device closed — and the process then exits with status 0, where the JVM's own
 * handler would exit at once with 143. Any orderly stop of the framework (SIGTERM, {@code stop 0} in the
 * shell, the end of an interactive shell) ends the launcher with status 0, through {@link LauncherExit}.
 * Any other end of the JVM (SIGINT, SIGHUP, {@code System.exit}) still stops the framework first, in a
 * shutdown hook that waits at most {@value #STOP_TIMEOUT_MILLIS} ms, and keeps the JVM's status.
 *
 * <p>Once the framework is stopping, SIGTERM has the JVM's own meaning again: a second one ends a stop that
 * hangs. Stopping this bundle alone gives the signal back and leaves the framework running.
 */
public final class OrderlyStop implements BundleActivator {
    /** How long the shutdown hook waits for the framework to stop. */
    static final long STOP_TIMEOUT_MILLIS = 10_000;

    private static final Signal TERM = new Signal("TERM");

    private Framework framework;
    private LauncherExit exit;
    private Thread hook;
    private SignalHandler previousTermHandler;

    /** Creates the activator; the framework calls it. */
    public OrderlyStop() {}

    /** Offers the exit status to the launcher, then takes over SIGTERM and adds the shutdown hook. */
    @Override
    public void start(BundleContext context) {
        framework = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(Framework.class);
        exit = new LauncherExit();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("main.thread", Boolean.TRUE);
        context.registerService(Callable.class, exit, properties);
        Framework stopped = framework;
        hook = new Thread(() -> stopAndWait(stopped), "smol orderly stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            previousTermHandler = Signal.handle(TERM, signal -> stop(stopped));
        } catch (IllegalArgumentException e) {
            // The JVM keeps SIGTERM for itself (-Xrs): the shutdown hook still stops the framework.
            previousTermHandler = null;
        }
    }

    /**
     * Gives SIGTERM back and removes the hook. When the framework is stopping, the launcher's main thread gets
     * status 0; when only this bundle stops, the launcher waits for another main callable.
     */
    @Override
    public void stop(BundleContext context) {
        if (previousTermHandler != null) {
            Signal.handle(TERM, previousTermHandler);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down and the hook is running: it waits for this very stop.
        }
        exit.exit(framework.getState() == Bundle.STOPPING ? 0 : LauncherExit.RELISTEN);
    }

    /** Starts stopping the framework; returns at once (the framework stops on a thread of its own). */
    private static void stop(Framework framework) {
        try {
            framework.stop();
        } catch (BundleException | RuntimeException e) {
            System.err.println("smol: the framework refused to stop: " + e);
        }
    }

    private static void stopAndWait(Framework framework) {
        stop(framework);
        try {
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
