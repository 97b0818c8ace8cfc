package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
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
 * The raw packet socket device as a configurable {@link Device} service: one per factory configuration of PID
 * {@code smol.phy.raw}, on one end of a veth pair inside a namespace the test creates (and deletes). Needs
 * root; skipped, saying so, without.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class RawDeviceServiceTest {
    static final String PID = "smol.phy.raw";
    /** The veth end the device opens. */
    static final String DEVICE_END = "smolv0";
    /** The veth end whose kernel counters show what the device sent. */
    static final String PEER_END = "smolv1";

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
        ns = Netns.create("oraw");
        ns.check("ip", "link", "add", DEVICE_END, "type", "veth", "peer", "name", PEER_END);
        for (String end : new String[] {DEVICE_END, PEER_END}) {
            // IPv6 off: no router solicitation or MLD report crosses, only what a test sends
            ns.check("sysctl", "-qw", "net.ipv6.conf." + end + ".disable_ipv6=1");
            ns.check("ip", "link", "set", end, "up");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (services != null) {
                services.deleteConfigurations("raw-on", "raw-sent", "raw-good");
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void aRawConfigurationRegistersADeviceOnTheInterfaceInsideTheNamespace() throws Exception {
        services.configure(PID, "raw-on", Map.of("interface", DEVICE_END, "netns", ns.name(), "name", "raw-on"));

        ServiceReference<Device> ref = services.awaitDevice("raw-on");
        assertThat(ref.getProperty(DeviceProperties.KIND)).isEqualTo("raw");
        assertThat(ref.getProperty(DeviceProperties.MEDIUM)).isEqualTo("ethernet");
        assertThat(ref.getProperty(DeviceProperties.MTU)).isEqualTo(1500);
    }

    @Test
    void framesTheDeviceTransmitsAreReceivedOnTheOtherEndOfTheVeth() throws Exception {
        services.configure(PID, "raw-sent", Map.of("interface", DEVICE_END, "netns", ns.name(), "name", "raw-sent"));
        ServiceReference<Device> ref = services.awaitDevice("raw-sent");
        long before = receivedPackets();
        Device device = context.getService(ref);
        try {
            byte[] frame = CableDeviceServiceTest.broadcastFrame((byte) 0x3c);
            for (int i = 0; i < 5; i++) {
                assertThat(device.transmit(frame, 0, frame.length, 0)).isTrue();
            }
        } finally {
            context.ungetService(ref);
        }

        DeviceServices.awaitUntil(() -> receivedPackets() >= before + 5,
                () -> "the 5 frames sent to reach " + PEER_END + " (received before: " + before + ", now: "
                        + receivedPackets() + ")");
    }

    @Test
    void aMissingInterfaceIsRefusedClearlyWhileAGoodConfigurationBesideItWorks() throws Exception {
        try (DeviceServices.Log log = new DeviceServices.Log(logReader)) {
            services.configure(PID, "raw-unset", Map.of("netns", ns.name(), "name", "raw-unset"));
            services.configure(PID, "raw-absent",
                    Map.of("interface", "smolnone0", "netns", ns.name(), "name", "raw-absent"));
            services.configure(PID, "raw-good", Map.of("interface", DEVICE_END, "netns", ns.name(), "name", "raw-good"));

            services.awaitDevice("raw-good");
            log.awaitException("'raw-unset'", "configure the interface to open");
            log.awaitException("'raw-absent'", "no interface called smolnone0");
            assertThat(services.devices("raw-unset")).isEmpty();
            assertThat(services.devices("raw-absent")).isEmpty();
        }
    }

    /** The kernel's count of frames received on {@link #PEER_END}. */
    long receivedPackets() {
        return Long.parseLong(ns.check("cat", "/sys/class/net/" + PEER_END + "/statistics/rx_packets").trim());
    }
}
