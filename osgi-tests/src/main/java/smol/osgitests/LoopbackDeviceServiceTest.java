package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.osgitests.DeviceServices.awaitUntil;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.phy.Device;
import smol.phy.DeviceProperties;

/**
 * The loopback as a configurable {@link Device} service: one service per factory configuration of PID
 * {@code smol.phy.loopback}, carrying the {@link DeviceProperties}. Runs inside Felix with SCR and
 * Configuration Admin; every test makes configurations of its own, named after the test, and deletes them.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class LoopbackDeviceServiceTest {
    static final String PID = "smol.phy.loopback";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    LogReaderService logReader;

    final List<Configuration> made = new ArrayList<>();

    @AfterEach
    void deleteConfigurations() throws Exception {
        for (Configuration c : made) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it itself
            }
        }
    }

    @Test
    void aFactoryConfigurationRegistersADeviceWithItsProperties() throws Exception {
        configure("factory-new", "lo-new", 9000);

        ServiceReference<Device> ref = awaitDevice("lo-new", r -> true);
        assertThat(ref.getProperty(DeviceProperties.NAME)).isEqualTo("lo-new");
        assertThat(ref.getProperty(DeviceProperties.KIND)).isEqualTo("loopback");
        assertThat(ref.getProperty(DeviceProperties.MEDIUM)).isEqualTo("ethernet");
        assertThat(ref.getProperty(DeviceProperties.MTU)).isEqualTo(9000);
        Device device = context.getService(ref);
        try {
            assertThat(device.capabilities().mtu()).isEqualTo(9000);
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    void updatingTheMtuReplacesTheServiceWithANewDevice() throws Exception {
        Configuration c = configure("factory-update", "lo-update", 1500);
        ServiceReference<Device> before = awaitDevice("lo-update", r -> true);

        c.update(properties("lo-update", 4000));

        // The component has no modified method: an update re-registers, as a new service with a new device.
        ServiceReference<Device> after = awaitDevice("lo-update",
                r -> Integer.valueOf(4000).equals(r.getProperty(DeviceProperties.MTU)));
        assertThat(after.getProperty("service.id")).isNotEqualTo(before.getProperty("service.id"));
        assertThat(devices("lo-update")).hasSize(1);
        Device device = context.getService(after);
        try {
            assertThat(device.capabilities().mtu()).isEqualTo(4000);
        } finally {
            context.ungetService(after);
        }
    }

    @Test
    void deletingTheConfigurationUnregistersTheDevice() throws Exception {
        Configuration c = configure("factory-delete", "lo-delete", 1500);
        awaitDevice("lo-delete", r -> true);

        c.delete();

        awaitUntil(() -> devices("lo-delete").isEmpty(), () -> "the device of a deleted configuration to go away");
    }

    @Test
    void aBadMtuIsLoggedAndRegistersNothingWhileAGoodConfigurationBesideItWorks() throws Exception {
        List<LogEntry> entries = new CopyOnWriteArrayList<>();
        LogListener listener = entries::add;
        logReader.addLogListener(listener);
        try {
            configure("factory-bad", "lo-bad", 10);
            configure("factory-good", "lo-good", 1500);

            awaitDevice("lo-good", r -> true);
            awaitUntil(() -> entries.stream().anyMatch(LoopbackDeviceServiceTest::reportsTheBadMtu),
                    () -> "SCR to log the refused MTU; logged: " + entries.stream().map(e -> e.getMessage() + " / " + e.getException()).toList());
            assertThat(devices("lo-bad")).isEmpty();
        } finally {
            logReader.removeLogListener(listener);
        }
    }

    /** An entry whose exception (or a cause of it) names the configuration's device and its refused MTU. */
    static boolean reportsTheBadMtu(LogEntry e) {
        for (Throwable t = e.getException(); t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("lo-bad") && m.contains("mtu") && m.contains("'10'")) {
                return true;
            }
        }
        return false;
    }

    Configuration configure(String alias, String name, int mtu) throws Exception {
        Configuration c = configAdmin.getFactoryConfiguration(PID, alias, "?");
        made.add(c);
        c.update(properties(name, mtu));
        return c;
    }

    static Dictionary<String, Object> properties(String name, int mtu) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("name", name);
        p.put("mtu", mtu);
        return p;
    }

    List<ServiceReference<Device>> devices(String name) throws InvalidSyntaxException {
        return List.copyOf(context.getServiceReferences(Device.class, "(" + DeviceProperties.NAME + "=" + name + ")"));
    }

    ServiceReference<Device> awaitDevice(String name, Predicate<ServiceReference<Device>> matching) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ServiceReference<Device> r : devices(name)) {
                if (matching.test(r)) {
                    return r;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no matching Device service named " + name + " within " + TIMEOUT);
    }
}
