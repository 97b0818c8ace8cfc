package smol.iface;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import smol.wire.Malformed;

/**
 * The values of an {@link InterfaceStatistics} at one instant, as {@link InterfaceStatistics#snapshot()}
 * copies them: immutable, safe to keep and to pass between threads. The fields mean what the accessors of
 * {@link InterfaceStatistics} of the same names say.
 *
 * @param framesIn the frames received from the device, whatever became of them
 * @param bytesIn the bytes of the frames received, Ethernet headers included
 * @param framesOut the frames the device took for transmission
 * @param bytesOut the bytes of the frames transmitted, Ethernet headers included
 * @param framesAccepted the received frames that were not dropped
 * @param arpRequestsSent the ARP requests sent to resolve a next hop
 * @param arpRequestsAnswered the ARP requests for our addresses answered with a reply
 * @param arpAnnouncementsSent the gratuitous ARP announcements sent
 * @param icmpEchoAnswered the ICMP echo requests answered
 * @param portUnreachablesSent the ICMP port unreachable messages sent
 * @param rstsSent the TCP resets sent for segments no socket took
 * @param drops the frames or packets dropped, by reason: every {@link IfaceDrop} a key, unmodifiable
 * @param malformed the frames dropped as {@link IfaceDrop#MALFORMED}, by reason: every {@link Malformed} a
 *     key, unmodifiable
 */
public record InterfaceStatisticsSnapshot(long framesIn, long bytesIn, long framesOut, long bytesOut,
        long framesAccepted, long arpRequestsSent, long arpRequestsAnswered, long arpAnnouncementsSent,
        long icmpEchoAnswered, long portUnreachablesSent, long rstsSent, Map<IfaceDrop, Long> drops,
        Map<Malformed, Long> malformed) {

    /**
     * Copies the maps into unmodifiable ones holding every reason (0 for those they lack).
     *
     * @throws NullPointerException when a map is null
     */
    public InterfaceStatisticsSnapshot {
        drops = everyReason(IfaceDrop.class, drops);
        malformed = everyReason(Malformed.class, malformed);
    }

    private static <E extends Enum<E>> Map<E, Long> everyReason(Class<E> type, Map<E, Long> counts) {
        EnumMap<E, Long> copy = new EnumMap<>(type);
        for (E reason : type.getEnumConstants()) {
            copy.put(reason, counts.getOrDefault(reason, 0L));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** Returns how many frames or packets were dropped for {@code reason}. */
    public long drops(IfaceDrop reason) {
        return drops.get(reason);
    }

    /** Returns how many frames were dropped as {@link IfaceDrop#MALFORMED} because of {@code reason}. */
    public long malformed(Malformed reason) {
        return malformed.get(reason);
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
        for (Map.Entry<IfaceDrop, Long> e : drops.entrySet()) {
            if (e.getKey().received() == received) {
                total += e.getValue();
            }
        }
        return total;
    }

    /**
     * Returns the counters on one line as {@link InterfaceStatistics#toString()} does, e.g.
     * {@code in=3/162B out=2/140B accepted=2 arp.requests=0 … drop.not_for_us=1}, non-zero drops only.
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
        appendNonZero(sb, " drop.", drops);
        appendNonZero(sb, " malformed.", malformed);
        return sb.toString();
    }

    private static void appendNonZero(StringBuilder sb, String prefix, Map<? extends Enum<?>, Long> counts) {
        counts.forEach((reason, count) -> {
            if (count != 0) {
                sb.append(prefix).append(reason.name().toLowerCase(Locale.ROOT)).append('=').append(count);
            }
        });
    }
}
