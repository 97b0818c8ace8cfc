package smol.phy;

import java.util.Map;

/**
 * Opens the devices of one kind by name: what lets a launcher, a configuration or a test name a device
 * with strings ({@code loopback}, {@code cable}, later {@code tap} and {@code raw}) instead of code.
 * Found with {@link java.util.ServiceLoader} through {@link DeviceProviders}; an implementation is a public
 * class with a public no-argument constructor, listed in {@code META-INF/services/smol.phy.DeviceProvider}.
 *
 * <p>Implementations are safe to call from any thread. Opening may allocate (queues, buffers, descriptors);
 * the device it returns allocates nothing per frame.
 */
public interface DeviceProvider {

    /**
     * Returns the kind of device this provider opens: a short lower-case word, e.g. {@code loopback},
     * unique among the providers on a class path.
     */
    String kind();

    /**
     * Opens the device called {@code name} with {@code options} (option names and values as strings;
     * {@link DeviceOptions} reads them with checks). What the name means is the kind's: a label for a
     * loopback, the cable shared by two interfaces, the host's interface for a TAP device.
     *
     * @param name the device's name, not blank
     * @param options the options, none of them unknown to this kind; empty for the defaults
     * @return the device, ready for receive and transmit
     * @throws IllegalArgumentException when the name is blank, an option is unknown or its value is bad;
     *     the message names the device, the option and the values it accepts
     */
    Device open(String name, Map<String, String> options);
}
