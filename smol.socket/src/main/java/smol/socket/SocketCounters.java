package smol.socket;

/**
 * A socket's statistics: packets and bytes in and out, retransmissions, and drops by reason. Each
 * {@code counters()} accessor says what it covers: the socket's life (every connection or binding it
 * had), or, for TCP, the current connection alone ({@link TcpSocket#connectionCounters()}). Read-only to
 * applications: only the socket counts. Written by the socket on the poll thread; read them under the
 * socket set's lock (the runtime's) for a consistent view.
 */
public final class SocketCounters {
    /** Where every count also goes (the socket's life totals), or null. */
    private final SocketCounters total;
    private long packetsIn;
    private long packetsOut;
    private long bytesIn;
    private long bytesOut;
    private long retransmissions;
    private final long[] drops = new long[SocketDrop.values().length];

    /** Creates counters at zero. */
    SocketCounters() {
        this(null);
    }

    /** Creates counters at zero that also add every count to {@code total}. */
    SocketCounters(SocketCounters total) {
        this.total = total;
    }

    /** Counts a received packet carrying {@code payloadBytes} bytes of payload. */
    void received(int payloadBytes) {
        packetsIn++;
        bytesIn += payloadBytes;
        if (total != null) {
            total.received(payloadBytes);
        }
    }

    /** Counts a sent packet carrying {@code payloadBytes} bytes of payload. */
    void sent(int payloadBytes) {
        packetsOut++;
        bytesOut += payloadBytes;
        if (total != null) {
            total.sent(payloadBytes);
        }
    }

    /** Counts a retransmitted TCP segment (also counted by {@link #sent}). */
    void retransmitted() {
        retransmissions++;
        if (total != null) {
            total.retransmitted();
        }
    }

    /** Counts a dropped packet. */
    void dropped(SocketDrop reason) {
        drops[reason.ordinal()]++;
        if (total != null) {
            total.dropped(reason);
        }
    }

    /** Adds every count of {@code other} to these (not to their totals): for a set's sum over its sockets. */
    void add(SocketCounters other) {
        packetsIn += other.packetsIn;
        packetsOut += other.packetsOut;
        bytesIn += other.bytesIn;
        bytesOut += other.bytesOut;
        retransmissions += other.retransmissions;
        for (int i = 0; i < drops.length; i++) {
            drops[i] += other.drops[i];
        }
    }

    /** Sets every count back to zero (not the totals): a new connection starts. */
    void clear() {
        packetsIn = 0;
        packetsOut = 0;
        bytesIn = 0;
        bytesOut = 0;
        retransmissions = 0;
        java.util.Arrays.fill(drops, 0);
    }

    /** Returns the packets (datagrams or segments) received. */
    public long packetsIn() {
        return packetsIn;
    }

    /** Returns the packets (datagrams or segments) sent, retransmissions included. */
    public long packetsOut() {
        return packetsOut;
    }

    /** Returns the payload bytes received. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Returns the payload bytes sent, retransmissions included. */
    public long bytesOut() {
        return bytesOut;
    }

    /** Returns the TCP segments sent again. */
    public long retransmissions() {
        return retransmissions;
    }

    /** Returns how many packets were dropped for {@code reason}. */
    public long drops(SocketDrop reason) {
        return drops[reason.ordinal()];
    }

    /** Returns the drops summed over every reason. */
    public long totalDrops() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder()
                .append("in=").append(packetsIn).append('/').append(bytesIn).append("B")
                .append(" out=").append(packetsOut).append('/').append(bytesOut).append("B")
                .append(" retransmissions=").append(retransmissions);
        for (SocketDrop reason : SocketDrop.values()) {
            if (drops[reason.ordinal()] != 0) {
                sb.append(" drop.").append(reason.name().toLowerCase(java.util.Locale.ROOT)).append('=')
                        .append(drops[reason.ordinal()]);
            }
        }
        return sb.toString();
    }
}
