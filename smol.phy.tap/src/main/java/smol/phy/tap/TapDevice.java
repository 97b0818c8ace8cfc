package smol.phy.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.phy.ReceivedChecksum;
import smol.phy.linux.DescriptorDevice;
import smol.phy.linux.Descriptors;
import smol.phy.linux.ErrnoException;
import smol.phy.linux.Libc;
import smol.phy.linux.NetInterfaces;
import smol.phy.linux.NetworkNamespace;
import smol.phy.linux.PollWaiter;

/**
 * A Linux TAP device: Ethernet frames between the stack and the kernel's side of the TAP interface, through
 * {@code /dev/net/tun} ({@code IFF_TAP | IFF_NO_PI}, non-blocking). Each {@link #receive} is one read(2) and
 * one copy into the caller's array; each {@link #transmit} one copy and one write(2); nothing is allocated
 * per frame. The wait is poll(2) on the TAP's descriptor and an eventfd ({@link PollWaiter}).
 *
 * <p><b>Opening.</b> {@link #open} attaches to the TAP interface of that name, creating it when absent, in
 * the caller's network namespace or in the one given. A TAP it creates is <em>non-persistent</em> unless
 * asked: it disappears, with its addresses and routes, when the device closes. A <em>persistent</em> one
 * ({@code TUNSETPERSIST}) outlives the device: the kernel side keeps its addresses and routes, shows
 * {@code NO-CARRIER} while no device has it open, and carries traffic again when one reopens it. A TAP that
 * exists already (made with {@code ip tuntap add}, which makes it persistent) is never made non-persistent or
 * removed by this class.
 *
 * <p><b>Capabilities.</b> Ethernet; the MTU the kernel reports for the interface when it opens
 * (SIOCGIFMTU), constant while open; a frame is up to MTU + 14 bytes; the stack computes and verifies
 * every checksum ({@link ChecksumCapabilities#ALL}), and {@link #receivedChecksum()} stays
 * {@link ReceivedChecksum#UNKNOWN} (no virtio-net header is asked for).
 *
 * <p><b>Errors.</b> A name or option the caller got wrong is an {@link IllegalArgumentException}; a refusal
 * of the system (no {@code /dev/net/tun}, no permission, the TAP busy) is an {@link IOException} (from the
 * provider, an {@link java.io.UncheckedIOException}) whose message says what to do. On the data path nothing
 * is thrown: a failed read or write is counted ({@link #receiveErrors()}, {@link #transmitErrors()}) and the
 * frame is lost, as on a wire.
 *
 * <p><b>Threads.</b> {@code receive}, {@code transmit} and {@code await} from one thread at a time (the
 * interface's loop); {@link #close()} from any thread, best when the loop no longer uses the device. After
 * close, receive finds nothing, transmit drops (counted), and await waits for its timeout or a post only.
 */
public final class TapDevice extends DescriptorDevice {
    /** The character device that makes TUN/TAP interfaces. */
    public static final String TUN_PATH = "/dev/net/tun";

    // <linux/if_tun.h>
    private static final long TUNSETIFF = 0x400454caL;
    private static final long TUNSETPERSIST = 0x400454cbL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    /**
     * Native buffer per direction: the largest frame a TAP can carry (an MTU of 65535, the Ethernet header
     * and a VLAN tag), so that no read is ever cut short by the buffer, even after the MTU was raised.
     */
    private static final int NATIVE_FRAME_CAPACITY = 65535 + 18;

    private final String name;
    private final NetworkNamespace namespace;
    private final boolean persistent;
    private final DeviceCapabilities capabilities;

    private TapDevice(String name, NetworkNamespace namespace, boolean persistent, int fd, int mtu,
            PollWaiter waiter) {
        super(fd, waiter, NATIVE_FRAME_CAPACITY);
        this.name = name;
        this.namespace = namespace;
        this.persistent = persistent;
        this.capabilities = DeviceCapabilities.ethernet(mtu, ChecksumCapabilities.ALL);
    }

    /**
     * Opens the TAP interface {@code name}, creating it when absent.
     *
     * @param name the interface's name, at most 15 bytes (IFNAMSIZ 16 with the NUL), no {@code / : %} or spaces
     * @param persistent make the TAP persistent (TUNSETPERSIST), so that it outlives the device with its
     *     kernel-side addresses and routes; false leaves an existing TAP as it is and makes a new one that
     *     disappears on close
     * @param netns the network namespace to open it in, a name under {@code /var/run/netns} or a path; null
     *     for the caller's own
     * @throws IllegalArgumentException when the name is invalid or the namespace does not exist
     * @throws IOException when the system refuses, saying why and what to do: no {@code /dev/net/tun}, not
     *     permitted (needs root or CAP_NET_ADMIN, or a TAP made for the user beforehand), the TAP busy, the
     *     name taken by an interface that is not a TAP
     */
    public static TapDevice open(String name, boolean persistent, String netns) throws IOException {
        String invalid = name == null ? "a TAP name must be given" : NetInterfaces.invalidNameReason(name);
        if (invalid != null) {
            throw new IllegalArgumentException("tap " + name + ": " + invalid);
        }
        if (netns == null) {
            return attach(name, persistent, null);
        }
        NetworkNamespace namespace;
        try {
            namespace = NetworkNamespace.of(netns);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tap " + name + ": " + e.getMessage(), e);
        }
        return namespace.run(() -> attach(name, persistent, namespace));
    }

    /** Opens /dev/net/tun and attaches to the TAP, in the calling thread's namespace. */
    private static TapDevice attach(String name, boolean persistent, NetworkNamespace namespace) throws IOException {
        String where = namespace == null ? "" : " in network namespace " + namespace;
        int fd = Libc.open(TUN_PATH, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        if (fd < 0) {
            int errno = Libc.errno();
            throw new ErrnoException("tap " + name + ": cannot open " + TUN_PATH + ": " + Libc.describe(errno)
                    + (errno == Libc.ENOENT || errno == Libc.ENODEV || errno == Libc.ENXIO
                            ? "; the kernel's tun driver is missing: load it (sudo modprobe tun), or in a container"
                                    + " pass the device in (docker run --device /dev/net/tun --cap-add NET_ADMIN)"
                            : errno == Libc.EACCES || errno == Libc.EPERM ? "; " + permissionAdvice(name) : ""),
                    errno);
        }
        PollWaiter waiter = null;
        try {
            Memory ifr = NetInterfaces.ifreq(name);
            ifr.setShort(NetInterfaces.IFREQ_UNION, (short) (IFF_TAP | IFF_NO_PI));
            if (Libc.ioctl(fd, TUNSETIFF, Pointer.nativeValue(ifr)) < 0) {
                int errno = Libc.errno();
                throw new ErrnoException("tap " + name + ": cannot attach to the TAP" + where + " (TUNSETIFF): "
                        + Libc.describe(errno) + "; " + attachAdvice(name, errno), errno);
            }
            String actual = NetInterfaces.nameOf(ifr);
            int mtu = NetInterfaces.mtu(actual);
            waiter = new PollWaiter(fd);
            if (persistent && Libc.ioctl(fd, TUNSETPERSIST, 1) < 0) {
                int errno = Libc.errno();
                throw new ErrnoException("tap " + name + ": cannot make the TAP persistent (TUNSETPERSIST): "
                        + Libc.describe(errno) + (errno == Libc.EPERM ? "; " + permissionAdvice(name) : ""), errno);
            }
            return new TapDevice(actual, namespace, persistent, fd, mtu, waiter);
        } catch (IOException | RuntimeException | Error e) {
            if (waiter != null) {
                waiter.close();
            }
            Descriptors.closeQuietly(fd);
            throw e;
        }
    }

    private static String permissionAdvice(String name) {
        return "creating or attaching to a TAP needs root or CAP_NET_ADMIN; or have one made for your user"
                + " beforehand: sudo ip tuntap add name " + name + " mode tap user $USER";
    }

    private static String attachAdvice(String name, int errno) {
        switch (errno) {
            case Libc.EPERM:
            case Libc.EACCES:
                return permissionAdvice(name);
            case Libc.EBUSY:
                return "the TAP is busy: another process or device has " + name + " open (a TAP without"
                        + " multi-queue takes one at a time); close it first, or choose another name";
            case Libc.EINVAL:
                return "an interface called " + name + " exists and is not a TAP (ip -d link show " + name
                        + "); choose another name";
            default:
                return "see ip -d link show " + name;
        }
    }

    /** Returns the interface's name, as the kernel has it. */
    public String name() {
        return name;
    }

    /** Returns the namespace the TAP was opened in, as given (a name or a path), or null for the opener's own. */
    public String namespace() {
        return namespace == null ? null : namespace.toString();
    }

    /** Returns true when this device made the TAP persistent: it outlives {@link #close()}. */
    public boolean isPersistent() {
        return persistent;
    }

    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Reads the next frame the kernel sent into {@code buf} at {@code off} (one read(2), one copy); returns
     * its length, or 0 when none is waiting or the device is closed. A frame longer than the room left in
     * {@code buf} is dropped and counted ({@link #droppedTooLong()}); a failed read is counted
     * ({@link #receiveErrors()}).
     */
    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        while (!isClosed()) {
            int n = received.readFrom(fd);
            if (n < 0) {
                receiveFailed();
                return 0;
            }
            if (n <= buf.length - off) {
                received.copyTo(buf, off, n);
                return n;
            }
            countTooLong(); // and read the next one: another frame may be waiting
        }
        return 0;
    }

    /**
     * Closes the TAP's descriptor and the eventfd, exactly once (later calls do nothing), after waking a
     * wait in progress. A non-persistent TAP disappears with its addresses and routes; a persistent one stays
     * with its addresses and routes, its carrier off ({@code NO-CARRIER}) until a device opens it again: it is
     * never removed here ({@code ip link delete NAME} does). A signal of a wake-up arriving late does nothing.
     */
    @Override
    public void close() {
        super.close();
    }

    /** Returns e.g. {@code tap tap0 (mtu 1500, netns smol-x, persistent)}. */
    @Override
    public String toString() {
        return "tap " + name + " (mtu " + capabilities.mtu() + (namespace != null ? ", netns " + namespace : "")
                + (persistent ? ", persistent" : "") + (isClosed() ? ", closed" : "") + ")";
    }
}
