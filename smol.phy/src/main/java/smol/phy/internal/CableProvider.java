package smol.phy.internal;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import smol.phy.Cable;
import smol.phy.ChecksumCapabilities;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.DeviceOptions;
import smol.phy.DeviceProvider;

/**
 * Opens the ends of named {@link Cable}s as kind {@code cable}: two interfaces that open the same name, one
 * with {@code end=a} and the other with {@code end=b}, are joined. Options: {@code end} ({@code a} or
 * {@code b}, required), and, for the cable, {@code mtu} (68..65535, default 1500), {@code queue} in frames
 * each way (1..4096, default 64), {@code checksums} ({@code none}, the default, or {@code all}).
 *
 * <p>Lifetime: the first open of a name makes the cable with the options given; later opens of that name
 * return its ends (the same {@link Cable.End} object for the same end, which one runtime polls), and the
 * cable options they give must match it. A cable lives as long as one of its ends is referenced; once
 * neither is, it is forgotten, and the next open of its name makes a new cable. Names are shared within
 * one class loader (on a class path: the whole JVM). Safe from any thread.
 */
public final class CableProvider implements DeviceProvider {
    /** The kind this provider opens. */
    public static final String KIND = "cable";
    /** The option choosing the end. */
    public static final String END = "end";

    // Static: ServiceLoader makes a provider per lookup, and both ends must find the same cable. Weak, so
    // that a cable nobody holds does not stay for the life of the JVM.
    private static final Map<String, WeakReference<Cable>> CABLES = new HashMap<>();

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public CableProvider() {}

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Returns end {@code end} of the cable called {@code name}, making the cable when none of that name lives.
     *
     * @throws IllegalArgumentException when the name is blank, {@code end} is missing or not a/b, an option is
     *     unknown or out of range, or the cable exists with other options than those given
     */
    @Override
    public Device open(String name, Map<String, String> options) {
        DeviceOptions o = DeviceOptions.check(KIND, name, options, END,
                InMemoryLinkOptions.MTU, InMemoryLinkOptions.QUEUE, InMemoryLinkOptions.CHECKSUMS);
        boolean endA = o.choice(END, null, "a", "b").equals("a");
        DeviceCapabilities capabilities = InMemoryLinkOptions.capabilities(o);
        int queueFrames = InMemoryLinkOptions.queueFrames(o);
        Cable cable;
        synchronized (CABLES) {
            CABLES.values().removeIf(ref -> ref.get() == null);
            WeakReference<Cable> ref = CABLES.get(name);
            cable = ref == null ? null : ref.get();
            if (cable == null) {
                cable = Cable.create(capabilities, queueFrames);
                CABLES.put(name, new WeakReference<>(cable));
            } else {
                checkMatches(o, cable, capabilities, queueFrames);
            }
        }
        return endA ? cable.a() : cable.b();
    }

    /** Refuses cable options given now that differ from the living cable's; options not given are the cable's. */
    private static void checkMatches(DeviceOptions o, Cable cable, DeviceCapabilities capabilities, int queueFrames) {
        DeviceCapabilities existing = cable.a().capabilities();
        if (o.has(InMemoryLinkOptions.MTU) && existing.mtu() != capabilities.mtu()) {
            throw mismatch(o, InMemoryLinkOptions.MTU, existing.mtu(), capabilities.mtu());
        }
        if (o.has(InMemoryLinkOptions.QUEUE) && cable.queueFrames() != queueFrames) {
            throw mismatch(o, InMemoryLinkOptions.QUEUE, cable.queueFrames(), queueFrames);
        }
        if (o.has(InMemoryLinkOptions.CHECKSUMS) && !existing.checksums().equals(capabilities.checksums())) {
            throw mismatch(o, InMemoryLinkOptions.CHECKSUMS, checksumsName(existing), checksumsName(capabilities));
        }
    }

    private static String checksumsName(DeviceCapabilities capabilities) {
        return capabilities.checksums().equals(ChecksumCapabilities.ALL) ? "all" : "none";
    }

    private static IllegalArgumentException mismatch(DeviceOptions o, String option, Object existing, Object given) {
        return new IllegalArgumentException(o + ": the cable exists with " + option + "=" + existing
                + ", not " + option + "=" + given + " (its ends share one " + option + ")");
    }
}
