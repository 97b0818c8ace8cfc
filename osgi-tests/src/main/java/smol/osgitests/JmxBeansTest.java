package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.osgitests.DeviceServices.awaitUntil;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogReaderService;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.phy.Cable;

/**
 * Each interface component's JMX beans on the platform MBean server, as JConsole or a JMX exporter reads
 * them: {@code smol:type=Interface,name=<name>} and {@code smol:type=SocketSet,name=<name>} appear with the
 * interface, move with its traffic, and disappear with it.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class JmxBeansTest {
    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    LogReaderService logReader;

    final InterfaceComponentTest rig = new InterfaceComponentTest();
    final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @AfterEach
    void cleanUp() throws Exception {
        rig.cleanUp();
    }

    @Test
    void theBeansComeWithTheInterfaceCountItsTrafficAndGoWithIt() throws Exception {
        rig.context = context;
        rig.configAdmin = configAdmin;
        rig.logReader = logReader;
        Cable cable = InterfaceComponentTest.cable(1500);
        rig.register(cable.a(), "c-left", 0);
        rig.register(cable.b(), "c-right", 0);
        Configuration left = rig.configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");
        rig.configureInterface("right", "192.168.70.2/24", "c-right", "02-00-00-00-00-0b");
        rig.awaitInterface("left", s -> s.iface().linkUp());
        ObjectName iface = new ObjectName("smol:type=Interface,name=left");
        ObjectName sockets = new ObjectName("smol:type=SocketSet,name=left");
        assertThat(server.isRegistered(iface)).isTrue();
        assertThat(server.isRegistered(sockets)).isTrue();
        assertThat(server.getAttribute(iface, "Mac")).isEqualTo("02-00-00-00-00-0a");
        assertThat((String[]) server.getAttribute(iface, "Addresses")).containsExactly("192.168.70.1/24");
        assertThat(server.getAttribute(iface, "WantedDevice")).isEqualTo("c-left");
        assertThat(server.getAttribute(iface, "LinkUp")).isEqualTo(true);
        long framesOutBefore = (Long) server.getAttribute(iface, "FramesOut");
        long bytesOutBefore = (Long) server.getAttribute(sockets, "BytesOut");

        InterfaceComponentTest.Connection c = rig.connect();
        c.client().outputStream().write("counted\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.readLine()).isEqualTo("counted");

        assertThat((Long) server.getAttribute(iface, "FramesOut")).isGreaterThan(framesOutBefore + 2);
        assertThat((Long) server.getAttribute(sockets, "BytesOut")).isGreaterThanOrEqualTo(bytesOutBefore + 8);
        assertThat((Long) server.getAttribute(sockets, "PacketsIn")).isPositive();
        assertThat((Integer) server.getAttribute(sockets, "Sockets")).isEqualTo(1);
        assertThat(states((TabularData) server.getAttribute(sockets, "SocketsByState")))
                .containsEntry("tcp ESTABLISHED", 1);
        assertThat(states((TabularData) server.getAttribute(iface, "DropsByReason"))).isNotEmpty();

        left.delete();

        awaitUntil(() -> !server.isRegistered(iface) && !server.isRegistered(sockets),
                () -> "the beans of a deleted interface to go");
    }

    /** An MXBean map attribute (open type: a table of key and value rows) as a map. */
    static Map<String, Object> states(TabularData table) {
        Map<String, Object> map = new java.util.TreeMap<>();
        for (Object row : table.values()) {
            CompositeData d = (CompositeData) row;
            map.put((String) d.get("key"), d.get("value"));
        }
        return map;
    }
}
