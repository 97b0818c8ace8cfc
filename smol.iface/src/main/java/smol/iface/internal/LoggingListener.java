package smol.iface.internal;

import org.osgi.service.log.Logger;
import smol.iface.RuntimeListener;
import smol.iface.RuntimeSocket;

/** Reports the problems an interface's loop survives to the OSGi log, naming the interface. */
final class LoggingListener implements RuntimeListener {
    private final Logger logger;
    private final String name;

    LoggingListener(Logger logger, String name) {
        this.logger = logger;
        this.name = name;
    }

    @Override
    public void callbackFailed(RuntimeSocket socket, Throwable failure) {
        logger.warn("interface {}: readiness callback of {} threw", name, socket, failure);
    }

    @Override
    public void callbackSlow(RuntimeSocket socket, long elapsedNanos) {
        logger.warn("interface {}: readiness callback of {} blocked the loop for {} us", name, socket,
                elapsedNanos / 1000);
    }

    @Override
    public void pollFailed(Throwable failure) {
        logger.error("interface {}: a poll threw; the loop goes on", name, failure);
    }
}
