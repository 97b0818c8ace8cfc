package smol.phy.internal;

import java.util.Map;
import smol.phy.Device;
import smol.phy.DeviceOptions;
import smol.phy.DeviceProvider;
import smol.phy.LoopbackDevice;

/**
 * Opens {@link LoopbackDevice}s as kind {@code loopback}. The name is only a label: each open makes a new
 * loopback. Options: {@code mtu} (68..65535, default 1500), {@code queue} in frames (1..4096, default 64),
 * {@code checksums} ({@code none}, the default, or {@code all}).
 */
public final class LoopbackProvider implements DeviceProvider {
    /** The kind this provider opens. */
    public static final String KIND = "loopback";

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public LoopbackProvider() {}

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Makes a new loopback with the options' MTU, queue length and checksum duties.
     *
     * @throws IllegalArgumentException when the name is blank, or an option is unknown or out of range
     */
    @Override
    public Device open(String name, Map<String, String> options) {
        DeviceOptions o = DeviceOptions.check(KIND, name, options,
                InMemoryLinkOptions.MTU, InMemoryLinkOptions.QUEUE, InMemoryLinkOptions.CHECKSUMS);
        return new LoopbackDevice(InMemoryLinkOptions.capabilities(o), InMemoryLinkOptions.queueFrames(o));
    }
}
