package smol.examples.internal.shell;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import smol.iface.ArpEntry;
import smol.iface.IfaceDrop;
import smol.iface.InterfaceSnapshot;
import smol.iface.InterfaceStatisticsSnapshot;
import smol.iface.Ipv4Route;
import smol.iface.RuntimeSnapshot;
import smol.socket.SocketCountersSnapshot;
import smol.socket.SocketSnapshot;
import smol.wire.Ipv4Cidr;

/**
 * The text of the stack commands, made from snapshots and service properties alone: what
 * {@link StackCommands} prints, apart from where it gets them. Every method returns whole lines, each
 * ending with a line separator.
 */
final class StackReports {
    private static final String NL = System.lineSeparator();

    /** A Device service as {@code smol:devices} shows it; {@code bound} when it is the best of its name. */
    record DeviceInfo(String name, String kind, String medium, String mtu, long serviceId, int ranking,
            boolean bound) {}

    private StackReports() {}

    /**
     * Returns {@code smol:ifconfig}'s block for one interface: name, link and MTU; MAC, addresses, gateway and
     * routes; the device wanted and bound (or that it waits for it); frames and bytes each way with the
     * protocol counters; the drops by reason, non-zero ones only.
     */
    static String ifconfig(String name, String wantedDevice, RuntimeSnapshot snapshot) {
        InterfaceSnapshot iface = snapshot.iface();
        InterfaceStatisticsSnapshot stats = iface.statistics();
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(": link ").append(iface.linkUp() ? "up" : "down").append(", mtu ").append(iface.mtu())
                .append(", runtime ").append(snapshot.phase()).append(", sockets ").append(snapshot.sockets().size())
                .append('/').append(snapshot.socketCapacity()).append(NL);
        sb.append("    ether ").append(iface.mac()).append(NL);
        for (Ipv4Cidr cidr : iface.addresses()) {
            sb.append("    inet ").append(cidr).append(NL);
        }
        if (iface.gateway() != null) {
            sb.append("    gateway ").append(iface.gateway()).append(NL);
        }
        for (Ipv4Route route : iface.routes()) {
            sb.append("    route ").append(route).append(NL);
        }
        String wanted = wantedDevice == null ? "?" : wantedDevice;
        if (iface.linkUp()) {
            sb.append("    device ").append(wanted).append(", bound: ").append(iface.device()).append(NL);
        } else {
            sb.append("    device ").append(wanted).append(", none bound: waiting for a Device service with ")
                    .append("smol.device.name=").append(wanted).append(NL);
        }
        sb.append("    RX frames ").append(stats.framesIn()).append("  bytes ").append(stats.bytesIn())
                .append("  accepted ").append(stats.framesAccepted()).append("  dropped ").append(stats.receivedDrops())
                .append(NL);
        sb.append("    TX frames ").append(stats.framesOut()).append("  bytes ").append(stats.bytesOut())
                .append("  not sent ").append(stats.sendDrops()).append(NL);
        sb.append("    ARP requests ").append(stats.arpRequestsSent()).append("  answered ")
                .append(stats.arpRequestsAnswered()).append("  announcements ").append(stats.arpAnnouncementsSent())
                .append("  neighbours ").append(iface.arpTable().size()).append(NL);
        sb.append("    ICMP echoes answered ").append(stats.icmpEchoAnswered()).append("  port unreachables sent ")
                .append(stats.portUnreachablesSent()).append("  TCP resets sent ").append(stats.rstsSent()).append(NL);
        sb.append("    drops").append(nonZero(stats.drops())).append(NL);
        if (stats.drops(IfaceDrop.MALFORMED) != 0) {
            sb.append("    malformed").append(nonZero(stats.malformed())).append(NL);
        }
        return sb.toString();
    }

    /** The non-zero counts as {@code " reason=n reason=n"}, or {@code " none"}. */
    private static String nonZero(Map<? extends Enum<?>, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((reason, count) -> {
            if (count != 0) {
                sb.append(' ').append(reason.name().toLowerCase(Locale.ROOT)).append('=').append(count);
            }
        });
        return sb.length() == 0 ? " none" : sb.toString();
    }

    /** Returns {@code smol:arp}'s table: interface, address, MAC, seconds until the entry expires. */
    static String arp(List<Interfaces.Known> interfaces) {
        Table table = new Table("INTERFACE", "ADDRESS", "MAC", "EXPIRES");
        for (Interfaces.Known k : interfaces) {
            InterfaceSnapshot iface = k.service().snapshot().iface();
            for (ArpEntry entry : iface.arpTable()) {
                long micros = entry.expiresAtMicros() - iface.polledAtMicros();
                table.row(k.name(), entry.address(), entry.mac(),
                        String.format(Locale.ROOT, "in %.1f s", Math.max(0, micros) / 1e6));
            }
        }
        return table.isEmpty() ? "no neighbours" + NL : table.toString();
    }

    /**
     * Returns {@code smol:sockets}' table: per socket its interface, slot, owner, type, state, endpoints,
     * queue fill (bytes for TCP, packets otherwise: queued/capacity), packets and bytes in and out,
     * retransmissions and drops.
     */
    static String sockets(List<Interfaces.Known> interfaces) {
        Table table = new Table("INTERFACE", "SLOT", "OWNER", "TYPE", "STATE", "LOCAL", "REMOTE", "RX-Q", "TX-Q",
                "IN", "OUT", "RETRANS", "DROPS");
        for (Interfaces.Known k : interfaces) {
            for (SocketSnapshot s : k.service().snapshot().sockets()) {
                SocketCountersSnapshot c = s.counters();
                table.row(k.name(), s.slot(), s.owner(), s.kind().name().toLowerCase(Locale.ROOT)
                                + (s.retiring() ? " (retiring)" : ""),
                        s.state(), s.local(), s.remote(), fill(s.rxQueued(), s.rxCapacity()),
                        fill(s.txQueued(), s.txCapacity()),
                        c == null ? null : c.packetsIn() + "/" + c.bytesIn() + "B",
                        c == null ? null : c.packetsOut() + "/" + c.bytesOut() + "B",
                        c == null ? null : c.retransmissions(),
                        c == null ? null : c.drops());
            }
        }
        return table.isEmpty() ? "no sockets" + NL : table.toString();
    }

    private static String fill(int queued, int capacity) {
        return queued < 0 ? null : queued + "/" + capacity;
    }

    /**
     * Returns {@code smol:devices}' table: per Device service its name, kind, medium, MTU, service id and
     * ranking, and the interfaces that want it: bound (the best of its name, while their link is up),
     * standing by (another of its name is bound), or waiting (their link is down).
     */
    static String devices(List<DeviceInfo> devices, List<Interfaces.Known> interfaces) {
        Table table = new Table("NAME", "KIND", "MEDIUM", "MTU", "SERVICE.ID", "RANKING", "USED BY");
        devices.stream().sorted(Comparator.comparing(DeviceInfo::name).thenComparing(DeviceInfo::serviceId))
                .forEach(d -> table.row(d.name(), d.kind(), d.medium(), d.mtu(), d.serviceId(), d.ranking(),
                        usedBy(d, interfaces)));
        return table.isEmpty() ? "no Device services" + NL : table.toString();
    }

    private static String usedBy(DeviceInfo device, List<Interfaces.Known> interfaces) {
        StringBuilder sb = new StringBuilder();
        for (Interfaces.Known k : interfaces) {
            if (!device.name().equals(k.wantedDevice())) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(k.name());
            if (!device.bound()) {
                sb.append(" (standby)");
            } else if (!k.service().snapshot().iface().linkUp()) {
                sb.append(" (link down)");
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
