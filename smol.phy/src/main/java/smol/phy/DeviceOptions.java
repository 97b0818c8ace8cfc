package smol.phy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The options a {@link DeviceProvider} was given, read with checks: unknown option names and bad values
 * are refused with an {@link IllegalArgumentException} whose message names the device, the option and
 * what it accepts, e.g. {@code loopback lo0: option mtu must be a whole number within 68..65535, not 'big'}.
 * A value, made when a device is opened.
 */
public final class DeviceOptions {
    private final String device;
    private final Map<String, String> options;

    private DeviceOptions(String device, Map<String, String> options) {
        this.device = device;
        this.options = options;
    }

    /**
     * Checks the name and the option names of a device about to be opened, and returns the options to read.
     *
     * @param kind the provider's kind, for messages
     * @param name the device's name, which must not be blank
     * @param options the options given (null for none)
     * @param known every option name the kind accepts
     * @throws IllegalArgumentException when the name is blank or an option name is not among {@code known}
     */
    public static DeviceOptions check(String kind, String name, Map<String, String> options, String... known) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(kind + ": a device name must be given");
        }
        String device = kind + " " + name;
        Map<String, String> given = options == null ? Map.of() : options;
        List<String> knownNames = Arrays.asList(known);
        for (String option : given.keySet()) {
            if (!knownNames.contains(option)) {
                throw new IllegalArgumentException(device + ": unknown option " + option + " (known: "
                        + (known.length == 0 ? "none" : String.join(", ", known)) + ")");
            }
        }
        return new DeviceOptions(device, given);
    }

    /** Returns true when {@code option} was given. */
    public boolean has(String option) {
        return options.containsKey(option);
    }

    /**
     * Returns the whole number given for {@code option}, or {@code defaultValue} when it was not given.
     *
     * @throws IllegalArgumentException when the value is not a whole number within {@code min..max}
     */
    public int integer(String option, int defaultValue, int min, int max) {
        String value = options.get(option);
        if (value == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new IllegalArgumentException(device + ": option " + option + " must be a whole number within "
                + min + ".." + max + ", not '" + value + "'");
    }

    /**
     * Returns the value given for {@code option}, which must be one of {@code allowed}, or
     * {@code defaultValue} when it was not given.
     *
     * @param defaultValue the value when the option is absent; null makes the option required
     * @throws IllegalArgumentException when the option is required and absent, or its value is not allowed
     */
    public String choice(String option, String defaultValue, String... allowed) {
        String value = options.get(option);
        if (value == null) {
            if (defaultValue == null) {
                throw new IllegalArgumentException(device + ": option " + option + " must be given, one of "
                        + String.join(", ", allowed));
            }
            return defaultValue;
        }
        if (Arrays.asList(allowed).contains(value)) {
            return value;
        }
        throw new IllegalArgumentException(device + ": option " + option + " must be one of "
                + String.join(", ", allowed) + ", not '" + value + "'");
    }

    /**
     * Returns the text given for {@code option} (trimmed), or {@code defaultValue} when it was not given:
     * for free-form values such as a path or a name, which the provider checks itself.
     *
     * @throws IllegalArgumentException when the option was given blank
     */
    public String text(String option, String defaultValue) {
        String value = options.get(option);
        if (value == null) {
            return defaultValue;
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(device + ": option " + option + " must not be blank");
        }
        return value.trim();
    }

    /** Returns the device as messages name it: its kind and name, e.g. {@code cable lab}. */
    @Override
    public String toString() {
        return device;
    }
}
