package smol.phy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds {@link DeviceProvider}s with {@link ServiceLoader} and opens devices by kind and name:
 * {@code DeviceProviders.open("loopback", "lo0", Map.of("mtu", "9000"))}.
 *
 * <p>It looks in the thread's context class loader first, then in this bundle's own class loader, so that
 * the providers of this bundle ({@code loopback}, {@code cable}) are always found and those of other jars
 * on the class path (TAP, raw) are found beside them. When two providers claim one kind, the first found
 * wins. Each call looks again (providers are not cached), so call it when opening devices, not per frame.
 * Inside an OSGi framework providers are to be found as OSGi services instead. Safe from any thread.
 */
public final class DeviceProviders {

    private DeviceProviders() {}

    /**
     * Returns the provider of {@code kind}.
     *
     * @throws IllegalArgumentException when the kind is blank or no provider offers it; the message names the
     *     known kinds
     */
    public static DeviceProvider find(String kind) {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("a device kind must be given (known kinds: "
                    + String.join(", ", all().keySet()) + ")");
        }
        Map<String, DeviceProvider> providers = all();
        DeviceProvider provider = providers.get(kind);
        if (provider == null) {
            throw new IllegalArgumentException("no device provider of kind '" + kind + "' (known kinds: "
                    + String.join(", ", providers.keySet()) + ")");
        }
        return provider;
    }

    /** Returns the kinds of every provider found, sorted. */
    public static List<String> kinds() {
        return new ArrayList<>(all().keySet());
    }

    /**
     * Opens the device of {@code kind} called {@code name} with {@code options}: {@link #find} then
     * {@link DeviceProvider#open}.
     *
     * @throws IllegalArgumentException when the kind is unknown, or the provider refuses the name or an option
     */
    public static Device open(String kind, String name, Map<String, String> options) {
        return find(kind).open(name, options);
    }

    /** Returns every provider found, by kind, sorted by kind. */
    private static Map<String, DeviceProvider> all() {
        Map<String, DeviceProvider> byKind = new TreeMap<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            addAll(byKind, ServiceLoader.load(DeviceProvider.class, context));
        }
        ClassLoader own = DeviceProvider.class.getClassLoader();
        if (own != context) {
            addAll(byKind, ServiceLoader.load(DeviceProvider.class, own));
        }
        return byKind;
    }

    private static void addAll(Map<String, DeviceProvider> byKind, ServiceLoader<DeviceProvider> loader) {
        for (DeviceProvider provider : loader) {
            byKind.putIfAbsent(provider.kind(), provider);
        }
    }
}
