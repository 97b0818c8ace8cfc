package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
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

/**
 * The in-memory cable as configurable {@link Device} services: one cable per factory configuration of PID
 * {@code smol.phy.cable}, its two ends registered under the names configured as {@code a} and {@code b}.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class CableDeviceServiceTest {
    static final String PID = "smol.phy.cable";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    LogReaderService logReader;

    DeviceServices services;

    @BeforeEach
    void setUp() {
        services = new DeviceServices(context, configAdmin);
    }

    @AfterEach
    void deleteConfigurations() throws Exception {
        services.deleteConfigurations();
    }

    @Test
    void aConfigurationRegistersBothEndsWithTheirProperties() throws Exception {
        services.configure(PID, "cable-props", Map.of("a", "cab-props-a", "b", "cab-props-b", "mtu", 9000));

        for (String end : new String[] {"cab-props-a", "cab-props-b"}) {
            ServiceReference<Device> ref = services.awaitDevice(end);
            assertThat(ref.getProperty(DeviceProperties.NAME)).isEqualTo(end);
            assertThat(ref.getProperty(DeviceProperties.KIND)).isEqualTo("cable");
            assertThat(ref.getProperty(DeviceProperties.MEDIUM)).isEqualTo("ethernet");
            assertThat(ref.getProperty(DeviceProperties.MTU)).isEqualTo(9000);
        }
    }

    @Test
    void framesTransmittedOnEndAAreReceivedOnEndB() throws Exception {
        services.configure(PID, "cable-frames", Map.of("a", "cab-frames-a", "b", "cab-frames-b"));
        ServiceReference<Device> refA = services.awaitDevice("cab-frames-a");
        ServiceReference<Device> refB = services.awaitDevice("cab-frames-b");
        Device a = context.getService(refA);
        Device b = context.getService(refB);
        try {
            byte[] frame = broadcastFrame((byte) 0x5a);

            assertThat(a.transmit(frame, 0, frame.length, 0)).isTrue();

            byte[] received = new byte[1600];
            int length = b.receive(received, 0, 0);
            assertThat(Arrays.copyOf(received, length)).isEqualTo(frame);
            assertThat(a.receive(received, 0, 0)).as("end a hears nothing of its own").isZero();
        } finally {
            context.ungetService(refA);
            context.ungetService(refB);
        }
    }

    @Test
    void deletingTheConfigurationUnregistersBothEnds() throws Exception {
        Configuration c = services.configure(PID, "cable-delete", Map.of("a", "cab-del-a", "b", "cab-del-b"));
        services.awaitDevice("cab-del-a");
        services.awaitDevice("cab-del-b");

        c.delete();

        DeviceServices.awaitUntil(() -> services.devices("cab-del-a").isEmpty() && services.devices("cab-del-b").isEmpty(),
                () -> "both ends of a deleted cable to go away");
    }

    @Test
    void badConfigurationsAreLoggedAndRegisterNothingWhileAGoodOneBesideThemWorks() throws Exception {
        try (DeviceServices.Log log = new DeviceServices.Log(logReader)) {
            services.configure(PID, "cable-same", Map.of("a", "cab-same", "b", "cab-same"));
            services.configure(PID, "cable-mtu", Map.of("a", "cab-mtu-a", "b", "cab-mtu-b", "mtu", 10));
            services.configure(PID, "cable-good", Map.of("a", "cab-good-a", "b", "cab-good-b"));

            services.awaitDevice("cab-good-a");
            services.awaitDevice("cab-good-b");
            log.awaitException("cab-same", "different names");
            log.awaitException("cab-mtu-a/cab-mtu-b", "mtu", "'10'");
            assertThat(services.devices("cab-same")).isEmpty();
            assertThat(services.devices("cab-mtu-a")).isEmpty();
            assertThat(services.devices("cab-mtu-b")).isEmpty();
        }
    }

    /** A minimum-size Ethernet frame to everyone, from a locally administered MAC, EtherType 0x88b5 (local experimental). */
    static byte[] broadcastFrame(byte fill) {
        byte[] frame = new byte[60];
        Arrays.fill(frame, 0, 6, (byte) 0xff);
        frame[6] = 0x02;
        frame[11] = 0x01;
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb5;
        Arrays.fill(frame, 14, frame.length, fill);
        return frame;
    }
}
