package smol.iface.internal;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import smol.iface.InterfaceRuntime;
import smol.iface.SocketSetService;

/**
 * Makes the socket-set service bundle-scoped: each bundle that gets it receives a scope of the runtime named
 * after the bundle ({@code symbolic-name [id]}, unique in the framework and what {@code lb} shows), and the
 * framework's unget — the bundle released the service, or stopped — closes that scope, ending its sockets.
 */
final class SocketSetServiceFactory implements ServiceFactory<SocketSetService> {
    private final InterfaceRuntime runtime;

    SocketSetServiceFactory(InterfaceRuntime runtime) {
        this.runtime = runtime;
    }

    /** Returns the owner's name of {@code bundle}'s sockets. */
    static String ownerOf(Bundle bundle) {
        return bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
    }

    @Override
    public SocketSetService getService(Bundle bundle, ServiceRegistration<SocketSetService> registration) {
        return runtime.scope(ownerOf(bundle));
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<SocketSetService> registration,
            SocketSetService service) {
        service.close();
    }
}
