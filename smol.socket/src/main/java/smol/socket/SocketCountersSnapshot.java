package smol.socket;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The values of a {@link SocketCounters} at one instant: an immutable copy, safe to keep and to pass
 * between threads.
 *
 * @param packetsIn the packets (datagrams or segments) received
 * @param packetsOut the packets sent, retransmissions included
 * @param bytesIn the payload bytes received
 * @param bytesOut the payload bytes sent, retransmissions included
 * @param retransmissions the TCP segments sent again
 * @param drops the packets dropped, every reason summed
 * @param dropsByReason the packets dropped, by reason: every {@link SocketDrop} a key, unmodifiable
 */
public record SocketCountersSnapshot(long packetsIn, long packetsOut, long bytesIn, long bytesOut,
        long retransmissions, long drops, Map<SocketDrop, Long> dropsByReason) {

    /**
     * Copies {@code dropsByReason} into an unmodifiable map holding every reason (0 for those it lacks).
     *
     * @throws IllegalArgumentException when {@code drops} is not the sum of {@code dropsByReason}
     * @throws NullPointerException when {@code dropsByReason} is null
     */
    public SocketCountersSnapshot {
        EnumMap<SocketDrop, Long> copy = new EnumMap<>(SocketDrop.class);
        long sum = 0;
        for (SocketDrop reason : SocketDrop.values()) {
            long count = dropsByReason.getOrDefault(reason, 0L);
            copy.put(reason, count);
            sum += count;
        }
        if (sum != drops) {
            throw new IllegalArgumentException("drops " + drops + " is not the sum by reason, " + sum);
        }
        dropsByReason = Collections.unmodifiableMap(copy);
    }

    /** Returns the values of {@code counters} now; read it where nothing updates it meanwhile (under the set's lock). */
    public static SocketCountersSnapshot of(SocketCounters counters) {
        EnumMap<SocketDrop, Long> drops = new EnumMap<>(SocketDrop.class);
        for (SocketDrop reason : SocketDrop.values()) {
            drops.put(reason, counters.drops(reason));
        }
        return new SocketCountersSnapshot(counters.packetsIn(), counters.packetsOut(), counters.bytesIn(),
                counters.bytesOut(), counters.retransmissions(), counters.totalDrops(), drops);
    }

    /** Returns how many packets were dropped for {@code reason}. */
    public long drops(SocketDrop reason) {
        return dropsByReason.get(reason);
    }

    /** Returns e.g. {@code in=3/120B out=4/2048B retransmissions=1 drops=2 drop.rx_buffer_full=2}, non-zero drops only. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder()
                .append("in=").append(packetsIn).append('/').append(bytesIn).append('B')
                .append(" out=").append(packetsOut).append('/').append(bytesOut).append('B')
                .append(" retransmissions=").append(retransmissions)
                .append(" drops=").append(drops);
        dropsByReason.forEach((reason, count) -> {
            if (count != 0) {
                sb.append(" drop.").append(reason.name().toLowerCase(Locale.ROOT)).append('=').append(count);
            }
        });
        return sb.toString();
    }
}
