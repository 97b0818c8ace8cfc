package smol.iface.internal;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import smol.iface.InterfaceRuntime;
import smol.iface.InterfaceSnapshot;
import smol.iface.InterfaceStatisticsSnapshot;
import smol.socket.SocketCountersSnapshot;
import smol.socket.SocketSet;
import smol.socket.SocketSnapshot;

/**
 * The JMX beans of one interface on the platform MBean server, {@code smol:type=Interface,name=<name>} and
 * {@code smol:type=SocketSet,name=<name>}: registered when the interface starts, unregistered when it stops,
 * so that JConsole, VisualVM or a JMX exporter see a gateway's stack without code of ours. Each attribute
 * is read from the runtime at the call, on the JMX caller's thread (a snapshot: it allocates, off the packet
 * path).
 */
final class InterfaceBeans implements AutoCloseable {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName interfaceName;
    private final ObjectName socketSetName;

    /**
     * Registers the two beans of {@code runtime}, whose wanted device {@code wantedDevice} supplies.
     *
     * @throws JMException when the names are taken (another interface of the same name in this JVM)
     */
    InterfaceBeans(InterfaceRuntime runtime, Supplier<String> wantedDevice) throws JMException {
        // Plain names stay as they are (smol:type=Interface,name=eth0); others are quoted, as JMX requires.
        String quoted = runtime.name().matches("[A-Za-z0-9._-]+") ? runtime.name() : ObjectName.quote(runtime.name());
        interfaceName = new ObjectName("smol:type=Interface,name=" + quoted);
        socketSetName = new ObjectName("smol:type=SocketSet,name=" + quoted);
        server.registerMBean(new InterfaceBean(runtime, wantedDevice), interfaceName);
        try {
            server.registerMBean(new SocketSetBean(runtime), socketSetName);
        } catch (JMException e) {
            server.unregisterMBean(interfaceName);
            throw e;
        }
    }

    /** Unregisters both beans; those already gone are skipped. */
    @Override
    public void close() {
        for (ObjectName name : new ObjectName[] {interfaceName, socketSetName}) {
            try {
                server.unregisterMBean(name);
            } catch (JMException | RuntimeException gone) {
                // unregistered already
            }
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private record InterfaceBean(InterfaceRuntime runtime, Supplier<String> wanted) implements InterfaceMXBean {
        private InterfaceSnapshot iface() {
            return runtime.snapshot().iface();
        }

        private InterfaceStatisticsSnapshot stats() {
            return iface().statistics();
        }

        @Override
        public String getName() {
            return runtime.name();
        }

        @Override
        public String getMac() {
            return iface().mac().toString();
        }

        @Override
        public String[] getAddresses() {
            return iface().addresses().stream().map(Object::toString).toArray(String[]::new);
        }

        @Override
        public String getWantedDevice() {
            return wanted.get();
        }

        @Override
        public String getDevice() {
            return iface().device();
        }

        @Override
        public boolean isLinkUp() {
            return iface().linkUp();
        }

        @Override
        public int getMtu() {
            return iface().mtu();
        }

        @Override
        public long getFramesIn() {
            return stats().framesIn();
        }

        @Override
        public long getBytesIn() {
            return stats().bytesIn();
        }

        @Override
        public long getFramesOut() {
            return stats().framesOut();
        }

        @Override
        public long getBytesOut() {
            return stats().bytesOut();
        }

        @Override
        public long getReceivedDrops() {
            return stats().receivedDrops();
        }

        @Override
        public long getSendDrops() {
            return stats().sendDrops();
        }

        @Override
        public Map<String, Long> getDropsByReason() {
            Map<String, Long> byReason = new TreeMap<>();
            stats().drops().forEach((reason, count) -> byReason.put(lower(reason), count));
            return byReason;
        }

        @Override
        public Map<String, Long> getMalformedByReason() {
            Map<String, Long> byReason = new TreeMap<>();
            stats().malformed().forEach((reason, count) -> byReason.put(lower(reason), count));
            return byReason;
        }

        @Override
        public int getNeighbours() {
            return iface().arpTable().size();
        }

        @Override
        public long getPolls() {
            return runtime.statistics().polls();
        }
    }

    private record SocketSetBean(InterfaceRuntime runtime) implements SocketSetMXBean {
        private SocketCountersSnapshot totals() {
            return runtime.withSockets(SocketSet::totals);
        }

        @Override
        public int getCapacity() {
            return runtime.snapshot().socketCapacity();
        }

        @Override
        public int getSockets() {
            return runtime.snapshot().sockets().size();
        }

        @Override
        public Map<String, Integer> getSocketsByState() {
            Map<String, Integer> byState = new TreeMap<>();
            for (SocketSnapshot s : runtime.snapshot().sockets()) {
                byState.merge(lower(s.kind()) + (s.state() != null ? " " + s.state() : ""), 1, Integer::sum);
            }
            return byState;
        }

        @Override
        public long getPacketsIn() {
            return totals().packetsIn();
        }

        @Override
        public long getPacketsOut() {
            return totals().packetsOut();
        }

        @Override
        public long getBytesIn() {
            return totals().bytesIn();
        }

        @Override
        public long getBytesOut() {
            return totals().bytesOut();
        }

        @Override
        public long getRetransmissions() {
            return totals().retransmissions();
        }

        @Override
        public long getDrops() {
            return totals().drops();
        }

        @Override
        public Map<String, Long> getDropsByReason() {
            Map<String, Long> byReason = new TreeMap<>();
            totals().dropsByReason().forEach((reason, count) -> byReason.put(lower(reason), count));
            return byReason;
        }
    }
}
