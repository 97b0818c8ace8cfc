package smol.phy.raw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import smol.phy.Device;
import smol.phy.DeviceOptions;
import smol.phy.DeviceProvider;

/**
 * Opens {@link RawDevice}s as kind {@code raw}; the name is the interface's, which must exist (not
 * {@code any}). Options:
 * <ul>
 *   <li>{@code outgoing}: {@code ignore} (the default, for a stack) leaves out the frames sent out on the
 *       interface; {@code keep} (for a capture such as tcpdump) receives them too, flagged by
 *       {@link RawDevice#receivedOutgoing()};</li>
 *   <li>{@code netns}: the network namespace the interface is in, a name under {@code /var/run/netns} (as
 *       {@code ip netns add} makes) or an absolute path such as {@code /proc/PID/ns/net}; the default is the
 *       opener's own.</li>
 * </ul>
 * For example {@code DeviceProviders.open("raw", "veth0", Map.of("netns", "lab", "outgoing", "keep"))}.
 */
public final class RawProvider implements DeviceProvider {
    /** The kind this provider opens. */
    public static final String KIND = "raw";
    /** Option: what to do with the frames sent out on the interface, {@code ignore} or {@code keep}. */
    public static final String OUTGOING = "outgoing";
    /** Option: the network namespace, a name or a path. */
    public static final String NETNS = "netns";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public RawProvider() {}

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Opens a raw device on the interface {@code name} with the options.
     *
     * @throws IllegalArgumentException when the name is blank or invalid (too long: at most 15 bytes;
     *     {@code any}), an option is unknown or bad, or the namespace does not exist; the message says what to do
     * @throws UncheckedIOException when the system refuses (no such interface, no permission: root or
     *     CAP_NET_RAW); its message says what to do, its cause is the {@link IOException} with the errno
     */
    @Override
    public Device open(String name, Map<String, String> options) {
        DeviceOptions o = DeviceOptions.check(KIND, name, options, OUTGOING, NETNS);
        boolean keepOutgoing = o.choice(OUTGOING, "ignore", "ignore", "keep").equals("keep");
        String netns = o.text(NETNS, null);
        try {
            return RawDevice.open(name, keepOutgoing, netns);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
