package smol.socket;

/**
 * A socket's statistics: packets and bytes in and out, retransmissions, and drops by reason. Counters
 * only grow. Written by the socket on the poll thread; read them under the socket set's lock (the
 * runtime's) for a consistent view.
 */
public final class SocketCounters {
    private long packetsIn;
    private long packetsOut;
    private long bytesIn;
    private long bytesOut;
    private long retransmissions;
    private final long[] drops = new long[SocketDrop.values().length];

    /** Counts a received packet carrying {@code payloadBytes} bytes of payload. */
    public void received(int payloadBytes) {
        packetsIn++;
        bytesIn += payloadBytes;
    }

    /** Counts a sent packet carrying {@code payloadBytes} bytes of payload. */
    public void sent(int payloadBytes) {
        packetsOut++;
        bytesOut += payloadBytes;
    }

    /** Counts a retransmitted TCP segment (also counted by {@link #sent}). */
    public void retransmitted() {
        retransmissions++;
    }

    /** Counts a dropped packet. */
    public void dropped(SocketDrop reason) {
        drops[reason.ordinal()]++;
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
