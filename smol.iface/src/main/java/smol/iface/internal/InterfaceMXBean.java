package smol.iface.internal;

import java.util.Map;

/**
 * One interface's state and counters for JMX ({@code smol:type=Interface,name=<interface>}), read from a
 * snapshot at each call. Counters only grow while the interface lives; a restart (new name or capacity)
 * registers a new bean.
 */
public interface InterfaceMXBean {
    /** The interface's name. */
    String getName();

    /** The MAC address, e.g. {@code 02-00-00-00-00-01}. */
    String getMac();

    /** The IPv4 addresses with their prefix. */
    String[] getAddresses();

    /** The logical name of the device the interface is configured to use. */
    String getWantedDevice();

    /** The device attached now, as it describes itself, or null while the link is down. */
    String getDevice();

    /** True while a device is attached. */
    boolean isLinkUp();

    /** The IP MTU in bytes. */
    int getMtu();

    /** Frames received from the device. */
    long getFramesIn();

    /** Bytes of the frames received. */
    long getBytesIn();

    /** Frames sent to the device. */
    long getFramesOut();

    /** Bytes of the frames sent. */
    long getBytesOut();

    /** Received frames dropped, all reasons together. */
    long getReceivedDrops();

    /** Packets that could not be sent, all reasons together. */
    long getSendDrops();

    /** Drops by reason (lower-case reason names). */
    Map<String, Long> getDropsByReason();

    /** Malformed frames by reason. */
    Map<String, Long> getMalformedByReason();

    /** Entries in the neighbour (ARP) cache. */
    int getNeighbours();

    /** Polls the interface's loop has made. */
    long getPolls();
}
