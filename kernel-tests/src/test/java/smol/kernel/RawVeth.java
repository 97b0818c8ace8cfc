package smol.kernel;

import smol.testsupport.Netns;

/**
 * A veth pair inside a test's namespace for the raw device: {@link #DEVICE_END} carries the device (no
 * address of the kernel's), {@link #KERNEL_END} the kernel's address. IPv6 is off on both, so only the
 * traffic a test makes flows.
 */
final class RawVeth {
    /** The end the raw device binds to. */
    static final String DEVICE_END = "smolv0";
    /** The end that carries the kernel's address. */
    static final String KERNEL_END = "smolv1";

    private RawVeth() {}

    /** Makes the pair in {@code ns}, both ends up, {@code kernelCidr} (e.g. 10.77.0.2/24) on the kernel's end. */
    static void create(Netns ns, String kernelCidr) {
        ns.check("ip", "link", "add", DEVICE_END, "type", "veth", "peer", "name", KERNEL_END);
        for (String end : new String[] {DEVICE_END, KERNEL_END}) {
            ns.check("sysctl", "-qw", "net.ipv6.conf." + end + ".disable_ipv6=1");
        }
        if (kernelCidr != null) {
            ns.check("ip", "addr", "add", kernelCidr, "dev", KERNEL_END);
        }
        ns.check("ip", "link", "set", KERNEL_END, "up");
        ns.check("ip", "link", "set", DEVICE_END, "up");
    }

    /**
     * Turns every offload off on the interface {@code end} of {@code ns}: checksums (tx, rx), TSO, GSO, GRO,
     * so frames cross the veth as on a wire, each with its checksum filled in and no longer than the MTU.
     */
    static void offloadsOff(Netns ns, String end) {
        ns.check("ethtool", "-K", end, "tx", "off", "rx", "off", "tso", "off", "gso", "off", "gro", "off");
    }

    /**
     * Makes the pair in {@code ns} with the kernel on both ends: {@link #KERNEL_END} moved into a second
     * namespace (returned, for the caller to close) with 10.77.0.2/24, {@link #DEVICE_END} with 10.77.0.1/24.
     * Traffic between the two kernels crosses the veth, where a device on {@link #DEVICE_END} sees it.
     */
    static Netns twoKernels(Netns ns) {
        create(ns, null);
        Netns other = Netns.create("rawpeer");
        ns.check("ip", "link", "set", KERNEL_END, "netns", other.name());
        other.check("ip", "addr", "add", "10.77.0.2/24", "dev", KERNEL_END);
        other.check("ip", "link", "set", KERNEL_END, "up");
        ns.check("ip", "addr", "add", "10.77.0.1/24", "dev", DEVICE_END);
        return other;
    }

    /** Returns the MAC of {@code end} in {@code ns} as 48 bits. */
    static long mac(Netns ns, String end) {
        return Long.parseLong(ns.check("cat", "/sys/class/net/" + end + "/address").trim().replace(":", ""), 16);
    }
}
