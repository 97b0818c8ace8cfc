package smol.osgitests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import smol.iface.InterfaceService;
import smol.iface.RuntimeSnapshot;
import smol.iface.SocketSetService;
import smol.phy.Device;
import smol.phy.DeviceProperties;

/**
 * What the device service tests share: factory configurations made under a test's own aliases and deleted
 * afterwards, the {@link Device} services found by name, waits on a condition (never a fixed sleep, so that a
 * loaded machine only makes a test slower), and the log entries SCR writes while a test runs.
 */
final class DeviceServices {
    /** How long a condition may take to hold: generous, for a loaded two-core machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final List<Configuration> made = new ArrayList<>();

    DeviceServices(BundleContext context, ConfigurationAdmin configAdmin) {
        this.context = context;
        this.configAdmin = configAdmin;
    }

    /** Makes (or updates) the factory configuration {@code alias} of {@code factoryPid} with {@code properties}. */
    Configuration configure(String factoryPid, String alias, Map<String, Object> properties) throws Exception {
        Configuration c = configAdmin.getFactoryConfiguration(factoryPid, alias, "?");
        made.add(c);
        c.update(new Hashtable<>(properties));
        return c;
    }

    /** Deletes the factory configuration {@code alias} of {@code factoryPid} now (the test's own, made by {@link #configure}). */
    void delete(String factoryPid, String alias) throws Exception {
        configAdmin.getFactoryConfiguration(factoryPid, alias, "?").delete();
    }

    /** Deletes every configuration {@link #configure} made, and waits until their devices are gone. */
    void deleteConfigurations(String... deviceNames) throws Exception {
        for (Configuration c : made) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it itself
            }
        }
        made.clear();
        for (String name : deviceNames) {
            awaitUntil(() -> devices(name).isEmpty(), () -> "the device " + name + " to go away");
        }
    }

    /** Returns the Device services named {@code name} now. */
    List<ServiceReference<Device>> devices(String name) throws InvalidSyntaxException {
        return List.copyOf(context.getServiceReferences(Device.class, "(" + DeviceProperties.NAME + "=" + name + ")"));
    }

    /** Waits for a Device service named {@code name} and returns it. */
    ServiceReference<Device> awaitDevice(String name) throws Exception {
        List<ServiceReference<Device>> found = new ArrayList<>();
        awaitUntil(() -> {
            found.clear();
            found.addAll(devices(name));
            return !found.isEmpty();
        }, () -> "a Device service named " + name);
        return found.get(0);
    }

    /**
     * Waits until the interface service named {@code name} is registered (one of it) and its snapshot satisfies
     * {@code holds}; returns it.
     */
    static InterfaceService awaitInterface(BundleContext context, String name, Predicate<RuntimeSnapshot> holds)
            throws Exception {
        InterfaceService[] found = new InterfaceService[1];
        String filter = "(" + SocketSetService.INTERFACE_NAME + "=" + name + ")";
        awaitUntil(() -> {
            var refs = context.getServiceReferences(InterfaceService.class, filter);
            found[0] = refs.size() == 1 ? context.getService(refs.iterator().next()) : null;
            return found[0] != null && holds.test(found[0].snapshot());
        }, () -> "interface " + name + " as expected; it is "
                + (found[0] == null ? "not registered" : found[0].snapshot().iface()));
        return found[0];
    }

    /** Returns the calling bundle's sockets on the interface named {@code name}, once its component registered them. */
    static SocketSetService socketsOf(BundleContext context, String name) throws Exception {
        String filter = "(" + SocketSetService.INTERFACE_NAME + "=" + name + ")";
        awaitUntil(() -> context.getServiceReferences(SocketSetService.class, filter).size() == 1,
                () -> "the socket-set service of " + name);
        return context.getService(context.getServiceReferences(SocketSetService.class, filter).iterator().next());
    }

    /** A condition to wait for; may throw, which fails the wait. */
    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits until {@code check} holds, polling; fails after {@link #TIMEOUT} saying what it waited for. */
    static void awaitUntil(Check check, Supplier<String> what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("waited " + TIMEOUT + " for " + what.get());
            }
            Thread.sleep(10);
        }
    }

    /** The log entries written while it listens; close it to stop listening. */
    static final class Log implements AutoCloseable {
        private final LogReaderService reader;
        private final List<LogEntry> entries = new CopyOnWriteArrayList<>();
        private final LogListener listener = entries::add;

        Log(LogReaderService reader) {
            this.reader = reader;
            reader.addLogListener(listener);
        }

        /**
         * Waits for an entry whose exception, or a cause of it, has a message containing every one of
         * {@code parts}; fails listing what was logged.
         */
        void awaitException(String... parts) throws Exception {
            awaitUntil(() -> entries.stream().anyMatch(e -> reports(e, parts)),
                    () -> "a logged exception mentioning " + List.of(parts) + "; logged: "
                            + entries.stream().map(e -> e.getMessage() + " / " + e.getException()).toList());
        }

        private static boolean reports(LogEntry e, String... parts) {
            for (Throwable t = e.getException(); t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                boolean all = true;
                for (String part : parts) {
                    all &= message.contains(part);
                }
                if (all) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            reader.removeLogListener(listener);
        }
    }
}
