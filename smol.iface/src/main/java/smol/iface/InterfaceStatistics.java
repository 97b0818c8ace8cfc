package smol.iface;

import java.util.EnumMap;
import java.util.Locale;
import smol.wire.Malformed;

/**
 * An interface's counters: frames and bytes in and out, drops by {@link IfaceDrop} reason (and the
 * {@link Malformed} reason of malformed ones), and the answers the interface gives by itself. Counters
 * only grow (a long does not wrap in any realistic uptime). Written on the poll thread; read them under
 * the runtime's lock for a consistent view, or copy them there with {@link #snapshot()} and read the copy
 * on any thread.
 *
 * <p>Every received frame counts once in {@link #framesIn()} and then either once in
 * {@link #framesAccepted()} or once among the receive-side drops: {@code framesIn == framesAccepted +
 * receivedDrops}.
 */
public final class InterfaceStatistics {
    private long framesIn;
    private long bytesIn;
    private long framesOut;
    private long bytesOut;
    private long framesAccepted;
    private long arpRequestsSent;
    private long arpRequestsAnswered;
    private long arpAnnouncementsSent;
    private long icmpEchoAnswered;
    private long portUnreachablesSent;
    private long rstsSent;
    private final long[] drops = new long[IfaceDrop.values().length];
    private final long[] malformed = new long[Malformed.values().length];

    /** Created by the interface that owns the counters. */
    InterfaceStatistics() {}

    void countFrameIn(int length) {
        framesIn++;
        bytesIn += length;
    }

    void countFrameOut(int length) {
        framesOut++;
        bytesOut += length;
    }

    void countAccepted() {
        framesAccepted++;
    }

    void countDrop(IfaceDrop reason) {
        drops[reason.ordinal()]++;
    }

    void countMalformed(Malformed reason) {
        drops[IfaceDrop.MALFORMED.ordinal()]++;
        malformed[reason.ordinal()]++;
    }

    void countArpRequestSent() {
        arpRequestsSent++;
    }

    void countArpRequestAnswered() {
        arpRequestsAnswered++;
    }

    void countArpAnnouncementSent() {
        arpAnnouncementsSent++;
    }

    void countIcmpEchoAnswered() {
        icmpEchoAnswered++;
    }

    void countPortUnreachableSent() {
        portUnreachablesSent++;
    }

    void countRstSent() {
        rstsSent++;
    }

    /** Returns the frames received from the device, whatever became of them. */
    public long framesIn() {
        return framesIn;
    }

    /** Returns the bytes of the frames received, Ethernet headers included. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Returns the frames the device took for transmission. */
    public long framesOut() {
        return framesOut;
    }

    /** Returns the bytes of the frames transmitted, Ethernet headers included. */
    public long bytesOut() {
        return bytesOut;
    }

    /** Returns the received frames that were not dropped: ARP handled, ICMP answered, a socket took it. */
    public long framesAccepted() {
        return framesAccepted;
    }

    /** Returns how many frames or packets were dropped for {@code reason}. */
    public long drops(IfaceDrop reason) {
        return drops[reason.ordinal()];
    }

    /** Returns how many frames were dropped as {@link IfaceDrop#MALFORMED} because of {@code reason}. */
    public long malformed(Malformed reason) {
        return malformed[reason.ordinal()];
    }

    /** Returns the drops of received frames, summed over every receive-side reason. */
    public long receivedDrops() {
        return sum(true);
    }

    /** Returns the packets that could not be sent, summed over every send-side reason. */
    public long sendDrops() {
        return sum(false);
    }

    private long sum(boolean received) {
        long total = 0;
        for (IfaceDrop reason : IfaceDrop.values()) {
            if (reason.received() == received) {
                total += drops[reason.ordinal()];
            }
        }
        return total;
    }

    /** Returns the ARP requests sent to resolve a next hop. */
    public long arpRequestsSent() {
        return arpRequestsSent;
    }

    /** Returns the ARP requests for our addresses that were answered with a reply. */
    public long arpRequestsAnswered() {
        return arpRequestsAnswered;
    }

    /** Returns the gratuitous ARP announcements sent when a device was attached. */
    public long arpAnnouncementsSent() {
        return arpAnnouncementsSent;
    }

    /** Returns the ICMP echo requests answered with an echo reply. */
    public long icmpEchoAnswered() {
        return icmpEchoAnswered;
    }

    /** Returns the ICMP port unreachable messages sent for UDP datagrams no socket took. */
    public long portUnreachablesSent() {
        return portUnreachablesSent;
    }

    /** Returns the TCP resets sent for segments no socket took. */
    public long rstsSent() {
        return rstsSent;
    }

    /**
     * Returns the counters now, copied into an immutable record that any thread may keep and read. Call it
     * where nothing counts meanwhile (the poll thread, or under the runtime's lock), so that the copy is
     * consistent. Allocates: for the shell, JMX and tests.
     */
    public InterfaceStatisticsSnapshot snapshot() {
        EnumMap<IfaceDrop, Long> dropCounts = new EnumMap<>(IfaceDrop.class);
        for (IfaceDrop reason : IfaceDrop.values()) {
            dropCounts.put(reason, drops[reason.ordinal()]);
        }
        EnumMap<Malformed, Long> malformedCounts = new EnumMap<>(Malformed.class);
        for (Malformed reason : Malformed.values()) {
            malformedCounts.put(reason, malformed[reason.ordinal()]);
        }
        return new InterfaceStatisticsSnapshot(framesIn, bytesIn, framesOut, bytesOut, framesAccepted,
                arpRequestsSent, arpRequestsAnswered, arpAnnouncementsSent, icmpEchoAnswered,
                portUnreachablesSent, rstsSent, dropCounts, malformedCounts);
    }

    /**
     * Returns the counters on one line, e.g. {@code in=3/162B out=2/140B accepted=2 arp.requests=0 …
     * drop.not_for_us=1}, non-zero drops only. Allocates: for the shell and for tests.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder()
                .append("in=").append(framesIn).append('/').append(bytesIn).append('B')
                .append(" out=").append(framesOut).append('/').append(bytesOut).append('B')
                .append(" accepted=").append(framesAccepted)
                .append(" arp.requests=").append(arpRequestsSent)
                .append(" arp.answered=").append(arpRequestsAnswered)
                .append(" arp.announcements=").append(arpAnnouncementsSent)
                .append(" echo.answered=").append(icmpEchoAnswered)
                .append(" port.unreachables=").append(portUnreachablesSent)
                .append(" rsts=").append(rstsSent);
        for (IfaceDrop reason : IfaceDrop.values()) {
            if (drops[reason.ordinal()] != 0) {
                sb.append(" drop.").append(reason.name().toLowerCase(Locale.ROOT)).append('=')
                        .append(drops[reason.ordinal()]);
            }
        }
        for (Malformed reason : Malformed.values()) {
            if (malformed[reason.ordinal()] != 0) {
                sb.append(" malformed.").append(reason.name().toLowerCase(Locale.ROOT)).append('=')
                        .append(malformed[reason.ordinal()]);
            }
        }
        return sb.toString();
    }
}
