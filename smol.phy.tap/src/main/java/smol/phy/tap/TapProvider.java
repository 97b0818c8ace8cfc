package smol.phy.tap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import smol.phy.Device;
import smol.phy.DeviceOptions;
import smol.phy.DeviceProvider;

/**
 * Opens {@link TapDevice}s as kind {@code tap}; the name is the TAP interface's (created when absent).
 * Options:
 * <ul>
 *   <li>{@code persistent}: {@code true} makes the TAP persistent, so that it outlives the device with its
 *       kernel-side addresses and routes; {@code false} (the default) makes a new TAP that disappears on close,
 *       and leaves an existing one as it is;</li>
 *   <li>{@code netns}: the network namespace to open it in, a name under {@code /var/run/netns} (as
 *       {@code ip netns add} makes) or an absolute path such as {@code /proc/PID/ns/net}; the default is the
 *       opener's own.</li>
 * </ul>
 * For example {@code DeviceProviders.open("tap", "tap0", Map.of("netns", "lab", "persistent", "true"))}.
 */
public final class TapProvider implements DeviceProvider {
    /** The kind this provider opens. */
    public static final String KIND = "tap";
    /** Option: make the TAP persistent, {@code true} or {@code false}. */
    public static final String PERSISTENT = "persistent";
    /** Option: the network namespace, a name or a path. */
    public static final String NETNS = "netns";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public TapProvider() {}

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Opens the TAP {@code name} with the options.
     *
     * @throws IllegalArgumentException when the name is blank or invalid (too long: at most 15 bytes), an
     *     option is unknown or bad, or the namespace does not exist; the message says what to do
     * @throws UncheckedIOException when the system refuses (no {@code /dev/net/tun}, no permission, the TAP
     *     busy); its message says what to do, its cause is the {@link IOException} with the errno
     */
    @Override
    public Device open(String name, Map<String, String> options) {
        DeviceOptions o = DeviceOptions.check(KIND, name, options, PERSISTENT, NETNS);
        boolean persistent = o.choice(PERSISTENT, "false", "true", "false").equals("true");
        String netns = o.text(NETNS, null);
        try {
            return TapDevice.open(name, persistent, netns);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
