package smol.runtime.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The runtime's exit status, handed to the bnd launcher: registered as a {@code Callable} service with
 * {@code main.thread=true}, it is called on the launcher's main thread, which then stops the framework and
 * exits the JVM with the value returned. {@link #call} blocks until {@link #exit} is called, once.
 *
 * <p>Thread-safe: {@link #exit} may come from any thread, before or during {@link #call}.
 */
public final class LauncherExit implements Callable<Integer> {
    /**
     * What a main callable returns for the bnd launcher to forget it and wait for another (the launcher's
     * {@code RELISTEN_FOR_MAIN_CALLABLE}): this bundle stopped alone, the framework runs on.
     */
    static final int RELISTEN = 198;

    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile int status;

    /** Creates an exit status not yet decided. */
    public LauncherExit() {}

    /**
     * Waits until the status is decided and returns it. The launcher reads the declared return type, which must be
     * {@code Integer}.
     *
     * @throws InterruptedException when the launcher's main thread is interrupted while waiting
     */
    @Override
    public Integer call() throws InterruptedException {
        decided.await();
        return status;
    }

    /** Decides the status; the first call wins. */
    void exit(int status) {
        if (decided.getCount() > 0) {
            this.status = status;
            decided.countDown();
        }
    }
}
