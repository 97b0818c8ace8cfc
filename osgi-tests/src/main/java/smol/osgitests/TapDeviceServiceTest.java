package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogReaderService;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.phy.Device;
import smol.phy.DeviceProperties;
import smol.testsupport.Netns;

/**
 * The TAP device as a configurable {@link Device} service: one per factory configuration of PID
 * {@code smol.phy.tap}, each TAP made inside a namespace the test creates (and deletes), so that nothing
 * here touches the host's interfaces. Needs root and {@code /dev/net/tun}; skipped, saying so, without.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class TapDeviceServiceTest {
    static final String PID = "smol.phy.tap";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    LogReaderService logReader;

    DeviceServices services;
    Netns ns;

    @BeforeEach
    void setUp() {
        Netns.requireRootAndTun();
        services = new DeviceServices(context, configAdmin);
        ns = Netns.create("otap");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (services != null) {
                services.deleteConfigurations("tap-seen", "tap-gone", "tap-good");
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void aTapConfigurationRegistersADeviceThatTheKernelSeesInsideTheNamespace() throws Exception {
        services.configure(PID, "tap-seen", Map.of("interface", "smoltap0", "netns", ns.name(), "name", "tap-seen"));

        ServiceReference<Device> ref = services.awaitDevice("tap-seen");
        assertThat(ref.getProperty(DeviceProperties.KIND)).isEqualTo("tap");
        assertThat(ref.getProperty(DeviceProperties.MEDIUM)).isEqualTo("ethernet");
        assertThat(ref.getProperty(DeviceProperties.MTU)).isEqualTo(1500);
        assertThat(ns.check("ip", "-d", "link", "show", "smoltap0")).contains("smoltap0").contains("tun type tap");
    }

    @Test
    void deletingTheConfigurationUnregistersTheDeviceAndTheTapDisappears() throws Exception {
        Configuration c = services.configure(PID, "tap-gone",
                Map.of("interface", "smoltap1", "netns", ns.name(), "name", "tap-gone"));
        services.awaitDevice("tap-gone");
        assertThat(ns.run("ip", "link", "show", "smoltap1").exit()).isZero();

        c.delete();

        DeviceServices.awaitUntil(() -> services.devices("tap-gone").isEmpty(),
                () -> "the device of a deleted configuration to go away");
        DeviceServices.awaitUntil(() -> ns.run("ip", "link", "show", "smoltap1").exit() != 0,
                () -> "the non-persistent TAP to disappear once its device closed");
    }

    @Test
    void refusedConfigurationsAreLoggedAndRegisterNothingWhileAGoodOneBesideThemWorks() throws Exception {
        ns.check("ip", "link", "add", "smolveth0", "type", "veth", "peer", "name", "smolveth1");
        String missingNamespace = ns.name() + "-missing";
        try (DeviceServices.Log log = new DeviceServices.Log(logReader)) {
            services.configure(PID, "tap-nons",
                    Map.of("interface", "smoltap2", "netns", missingNamespace, "name", "tap-nons"));
            services.configure(PID, "tap-taken",
                    Map.of("interface", "smolveth0", "netns", ns.name(), "name", "tap-taken"));
            services.configure(PID, "tap-long",
                    Map.of("interface", "smoltap-far-too-long", "netns", ns.name(), "name", "tap-long"));
            services.configure(PID, "tap-blank", Map.of("interface", "", "netns", ns.name(), "name", "tap-blank"));
            services.configure(PID, "tap-good", Map.of("interface", "smoltap3", "netns", ns.name(), "name", "tap-good"));

            services.awaitDevice("tap-good");
            log.awaitException("'tap-nons'", "no network namespace '" + missingNamespace + "'");
            log.awaitException("'tap-taken'", "smolveth0", "is not a TAP");
            log.awaitException("'tap-long'", "too long");
            log.awaitException("'tap-blank'", "configure the TAP's name");
            assertThat(services.devices("tap-nons")).isEmpty();
            assertThat(services.devices("tap-taken")).isEmpty();
            assertThat(services.devices("tap-long")).isEmpty();
            assertThat(services.devices("tap-blank")).isEmpty();
            assertThat(ns.check("ip", "-o", "link", "show", "type", "tun")).doesNotContain("tap0");
            assertThat(ns.check("ip", "-d", "link", "show", "smolveth0")).contains("veth");
            assertThat(ns.run("ip", "link", "show", "smoltap2").exit()).isNotZero();
        }
    }
}
