package smol.iface.internal;

import java.util.Map;

/**
 * One interface's socket set for JMX ({@code smol:type=SocketSet,name=<interface>}): how full it is, its
 * sockets by kind and state, and its counters over its life (they only grow: sockets that left still count).
 */
public interface SocketSetMXBean {
    /** The most sockets the set holds. */
    int getCapacity();

    /** Sockets in the set now, those still sending their last segments included. */
    int getSockets();

    /** Sockets by kind and state, e.g. {@code tcp ESTABLISHED} → 3. */
    Map<String, Integer> getSocketsByState();

    /** Packets (segments, datagrams) received by the set's sockets. */
    long getPacketsIn();

    /** Packets sent. */
    long getPacketsOut();

    /** Payload bytes received. */
    long getBytesIn();

    /** Payload bytes sent. */
    long getBytesOut();

    /** TCP segments sent again. */
    long getRetransmissions();

    /** Packets the sockets dropped, all reasons together. */
    long getDrops();

    /** Drops by reason (lower-case reason names). */
    Map<String, Long> getDropsByReason();
}
