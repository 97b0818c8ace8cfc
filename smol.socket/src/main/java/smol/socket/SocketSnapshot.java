package smol.socket;

import smol.wire.IpEndpoint;

/**
 * One socket of a {@link SocketSet} at one instant, as {@link SocketSet#snapshot()} reports it: an
 * immutable copy, safe to keep and to pass between threads, for the operator's tables (the shell, JMX).
 *
 * <p>Queue fill is in bytes for TCP (the receive and transmit rings) and in packets for UDP and ICMP
 * (datagrams, or echo requests out and replies in, queued; capacities in slots); -1 for a socket of
 * another kind, which does not report them.
 *
 * @param slot the slot the socket occupies, 0..capacity-1
 * @param handle the handle that names the socket, or null while it is retiring (its owner let it go and
 *     no handle names it any more)
 * @param kind what the socket is
 * @param state the TCP state's name ({@link TcpState}); {@code BOUND} or {@code CLOSED} (unbound) for UDP
 *     and ICMP; null for a socket of another kind
 * @param owner the name of the owner whose {@link SocketSetView} added it, or null when none did
 * @param local the local endpoint (address 0.0.0.0: any of the interface's), or null when there is none
 *     (never opened or bound, and always for ICMP)
 * @param remote the remote endpoint of a TCP connection, or null when there is none
 * @param retiring true when the socket left its owner (a closed view or listener) and only sends its last
 *     segment before it frees its slot
 * @param rxQueued what waits to be read, or -1
 * @param rxCapacity how much the receive queue holds at most, or -1
 * @param txQueued what waits to be sent (TCP: or to be acknowledged), or -1
 * @param txCapacity how much the transmit queue holds at most, or -1
 * @param counters the socket's counters over its life; null for a socket of another kind, which has none
 * @param connectionCounters for TCP, the counters of the current (or last) connection alone; null for
 *     other kinds
 */
public record SocketSnapshot(int slot, SocketHandle handle, SocketKind kind, String state, String owner,
        IpEndpoint local, IpEndpoint remote, boolean retiring, int rxQueued, int rxCapacity, int txQueued,
        int txCapacity, SocketCountersSnapshot counters, SocketCountersSnapshot connectionCounters) {

    /** Copies what {@code socket}, in {@code slot} of a set, shows now; the caller holds the set's lock. */
    static SocketSnapshot of(int slot, SocketHandle handle, String owner, boolean retiring, Socket socket) {
        if (socket instanceof TcpSocket tcp) {
            return new SocketSnapshot(slot, handle, tcp.listener != null ? SocketKind.TCP_LISTENER : SocketKind.TCP,
                    tcp.state().name(), owner, tcp.localEndpoint(), tcp.remoteEndpoint(), retiring,
                    tcp.recvQueue(), tcp.recvCapacity(), tcp.sendQueue(), tcp.sendCapacity(),
                    SocketCountersSnapshot.of(tcp.counters()),
                    SocketCountersSnapshot.of(tcp.connectionCounters()));
        }
        if (socket instanceof UdpSocket udp) {
            return new SocketSnapshot(slot, handle, SocketKind.UDP, udp.isBound() ? "BOUND" : "CLOSED", owner,
                    udp.endpoint(), null, retiring, udp.rxQueued(), udp.rxSlots(), udp.txQueued(),
                    udp.txSlots(), SocketCountersSnapshot.of(udp.counters()), null);
        }
        if (socket instanceof IcmpSocket icmp) {
            return new SocketSnapshot(slot, handle, SocketKind.ICMP, icmp.isBound() ? "BOUND" : "CLOSED", owner,
                    null, null, retiring, icmp.rxQueued(), icmp.rxSlots(), icmp.txQueued(), icmp.txSlots(),
                    SocketCountersSnapshot.of(icmp.counters()), null);
        }
        return new SocketSnapshot(slot, handle, SocketKind.OTHER, null, owner, null, null, retiring,
                -1, -1, -1, -1, null, null);
    }

    /**
     * Returns e.g. {@code 3 TCP ESTABLISHED 10.0.0.1:40000 -> 10.0.0.2:80 owner=com.example.app rx=0
     * tx=12 in=3/120B out=4/2048B retransmissions=1 drops=0}: the fields an operator reads first, unknown
     * ones left out.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(slot).append(' ').append(kind);
        if (state != null) {
            sb.append(' ').append(state);
        }
        if (local != null) {
            sb.append(' ').append(local);
        }
        if (remote != null) {
            sb.append(" -> ").append(remote);
        }
        if (owner != null) {
            sb.append(" owner=").append(owner);
        }
        if (retiring) {
            sb.append(" retiring");
        }
        queue(sb, " rx=", rxQueued, rxCapacity);
        queue(sb, " tx=", txQueued, txCapacity);
        if (counters != null) {
            sb.append(' ').append(counters);
        }
        return sb.toString();
    }

    private static void queue(StringBuilder sb, String label, int queued, int capacity) {
        if (queued >= 0) {
            sb.append(label).append(queued);
            if (capacity >= 0) {
                sb.append('/').append(capacity);
            }
        }
    }
}
