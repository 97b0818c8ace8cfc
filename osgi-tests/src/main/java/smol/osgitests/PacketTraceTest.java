package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.osgitests.DeviceServices.awaitUntil;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.service.log.admin.LoggerContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.phy.Cable;

/**
 * Packet tracing of the interface component at TRACE level of the OSGi log: while TRACE is off it costs the
 * loop thread no allocation (measured with the JVM's per-thread allocation counter over a 16 MB transfer);
 * switched on through the Log Service's {@link LoggerAdmin}, every frame is listed.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class PacketTraceTest {
    static final int MEGABYTE = 1 << 20;

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    LogReaderService logReader;

    @InjectService(timeout = 10_000)
    LoggerAdmin loggerAdmin;

    final InterfaceComponentTest rig = new InterfaceComponentTest();
    final List<LogEntry> log = new CopyOnWriteArrayList<>();
    final LogListener listener = log::add;
    Map<String, LogLevel> levelsBefore;

    @AfterEach
    void cleanUp() throws Exception {
        logReader.removeLogListener(listener);
        if (levelsBefore != null) {
            loggerAdmin.getLoggerContext("smol.iface").setLogLevels(levelsBefore);
        }
        rig.cleanUp();
    }

    void startPair() throws Exception {
        rig.context = context;
        rig.configAdmin = configAdmin;
        rig.logReader = logReader;
        Cable cable = InterfaceComponentTest.cable(1500);
        rig.register(cable.a(), "c-left", 0);
        rig.register(cable.b(), "c-right", 0);
        rig.configureInterface("left", "192.168.70.1/24", "c-left", "02-00-00-00-00-0a");
        rig.configureInterface("right", "192.168.70.2/24", "c-right", "02-00-00-00-00-0b");
        rig.awaitInterface("left", s -> s.iface().linkUp());
        rig.awaitInterface("right", s -> s.iface().linkUp());
    }

    @Test
    void withTraceOffTheLoopThreadAllocatesNothingPerPacket() throws Exception {
        startPair();
        LoggerContext smolIface = loggerAdmin.getLoggerContext("smol.iface");
        levelsBefore = smolIface.getLogLevels();
        smolIface.setLogLevels(Map.of(Logger.ROOT_LOGGER_NAME, LogLevel.INFO));
        InterfaceComponentTest.Connection c = rig.connect();
        long loopThread = threadId("smol-runtime left");
        byte[] chunk = new byte[64 * 1024];
        byte[] sink = new byte[64 * 1024];
        Thread reader = new Thread(() -> {
            try {
                InputStream in = c.server().inputStream();
                while (in.read(sink) >= 0) {
                    // drain until the client closes
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, "trace-test-reader");
        reader.start();
        OutputStream out = c.client().outputStream();
        for (int i = 0; i < 4 * MEGABYTE / chunk.length; i++) {
            out.write(chunk); // warm-up: code compiled, rings and tables at their working size
        }
        long before = allocatedBytes(loopThread);
        for (int i = 0; i < 16 * MEGABYTE / chunk.length; i++) {
            out.write(chunk);
        }
        out.flush();
        long allocated = allocatedBytes(loopThread) - before;
        c.client().close();
        reader.join(20_000);

        System.out.printf("PacketTraceTest: the loop thread of left allocated %d bytes while 16 MB went out, TRACE off%n",
                allocated);
        // 16 MB is over 11 000 segments of 1460 bytes each way with their ACKs: an allocation per frame, or
        // a trace message built and dropped, would be hundreds of kilobytes.
        assertThat(allocated).as("bytes allocated by the loop thread of left while 16 MB went out, TRACE off")
                .isLessThan(64 * 1024);
    }

    @Test
    void withTraceOnEveryFrameIsListedInTheLog() throws Exception {
        logReader.addLogListener(listener);
        LoggerContext smolIface = loggerAdmin.getLoggerContext("smol.iface");
        levelsBefore = smolIface.getLogLevels();
        // Before the interfaces start: the level is looked at once a second, and the SYN goes at once.
        smolIface.setLogLevels(Map.of(Logger.ROOT_LOGGER_NAME, LogLevel.TRACE));
        startPair();

        InterfaceComponentTest.Connection c = rig.connect();
        c.client().outputStream().write("traced\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(c.readLine()).isEqualTo("traced");

        awaitUntil(() -> traces().stream().anyMatch(m -> m.startsWith("out ") && m.contains("TCP src=")
                        && m.contains("dst=7000") && m.contains("syn")),
                () -> "the SYN to be traced; traced: " + traces());
        assertThat(traces()).anyMatch(m -> m.startsWith("in ") && m.contains("ARP"));
    }

    List<String> traces() {
        List<String> t = new ArrayList<>();
        for (LogEntry e : log) {
            if (e.getLogLevel() == LogLevel.TRACE && e.getBundle().getSymbolicName().equals("smol.iface")) {
                t.add(e.getMessage());
            }
        }
        return t;
    }

    static long threadId(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t.getId();
            }
        }
        throw new AssertionError("no thread named " + name);
    }

    /** The JVM's count of bytes {@code threadId} allocated (com.sun.management, reached without importing it). */
    static long allocatedBytes(long threadId) throws Exception {
        Class<?> bean = ClassLoader.getPlatformClassLoader().loadClass("com.sun.management.ThreadMXBean");
        Method m = bean.getMethod("getThreadAllocatedBytes", long.class);
        return (long) m.invoke(ManagementFactory.getThreadMXBean(), threadId);
    }
}
