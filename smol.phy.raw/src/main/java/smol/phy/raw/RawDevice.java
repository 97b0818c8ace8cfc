package smol.phy.raw;

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
 * A Linux raw packet socket ({@code AF_PACKET}, {@code SOCK_RAW}) bound to one named interface, for every
 * EtherType ({@code ETH_P_ALL}): the stack sends and receives whole Ethernet frames beside the kernel's own
 * stack on that interface (a NIC, one end of a veth pair). Linux's {@code any} pseudo-device is refused: it
 * is not Ethernet (its frames carry a "cooked" header) and a stack lives on one link.
 *
 * <p><b>Receiving.</b> Each {@link #receive} is one recvmsg(2) into native memory allocated when the device
 * opened (the frame, its {@code sockaddr_ll}, and a {@code PACKET_AUXDATA} control message) and one copy
 * into the caller's array; nothing is allocated per frame. Per frame, the device tells:
 * <ul>
 *   <li>{@link #receivedChecksum()}, from the auxiliary data's {@code tp_status}:
 *       {@code TP_STATUS_CSUMNOTREADY} (the frame was sent by this host and its checksum is left to the
 *       card, or it crossed a veth with {@code CHECKSUM_PARTIAL}) is {@link ReceivedChecksum#NOT_READY};
 *       {@code TP_STATUS_CSUM_VALID} (the card or the kernel verified it) is {@link ReceivedChecksum#VERIFIED};
 *       anything else {@link ReceivedChecksum#UNKNOWN}, which the stack verifies. What Linux 6.18 does on a
 *       veth (pinned by the kernel tests): with the offloads on (the default), TCP frames from the kernel
 *       arrive NOT_READY, and so do all GRO-coalesced frames (tcp_gro_complete leaves them
 *       {@code CHECKSUM_PARTIAL}); with the sender's checksum offload off they arrive UNKNOWN, with the sum
 *       filled in; a veth never reports VERIFIED (since Linux 5.13 it no longer marks frames
 *       {@code CHECKSUM_UNNECESSARY}); a NIC that checks sums on receive does;</li>
 *   <li>{@link #receivedOutgoing()}: the frame went out on the interface ({@code sll_pkttype} is
 *       {@code PACKET_OUTGOING}), which only a device that keeps outgoing frames receives.</li>
 * </ul>
 * A VLAN tag that the kernel took off the frame (VLAN offload, {@code TP_STATUS_VLAN_VALID}) is put back
 * in, so the caller sees the frame as it was on the wire.
 *
 * <p><b>Outgoing frames.</b> A packet socket is shown, besides the frames the interface receives, the
 * frames sent out on it: the kernel's, and those of other packet sockets. A stack must not take those as
 * input (it would answer its neighbours' ARP requests to others, and see its own traffic), so by default the
 * device asks the kernel not to queue them at all ({@code PACKET_IGNORE_OUTGOING}, Linux 4.20 and later);
 * on an older kernel it drops them itself, by their {@code sll_pkttype}, which the same recvmsg returns, so
 * still one system call per frame. The frames this device sends are never shown to it (the kernel skips
 * the sending socket). With {@code keepOutgoing} (for a capture such as tcpdump) the kernel's outgoing
 * frames are received too, and {@link #receivedOutgoing()} tells them apart.
 *
 * <p><b>Frames larger than the MTU.</b> On a veth, and on a NIC with GRO, the kernel hands a packet socket
 * TCP frames of up to 64 KiB: segments coalesced on receive (GRO), or the kernel's own large sends that TSO
 * or GSO would cut up only later (a veth passes them to its peer whole). The native buffer takes frames up to
 * {@link #MAX_FRAME_LENGTH} bytes (65535 + 14), so none is lost to it. When the caller's array has room, the
 * frame is delivered whole (a capture with a 64 KiB buffer sees what the kernel handed over); when it has not
 * (the stack's interface sizes its buffer from the MTU), an IPv4 TCP frame is cut into segments that fit, as
 * GSO would have ({@link #segmentedFrames()} counts such frames), and each is delivered by its own
 * {@code receive}, with no further system call; any other frame too long for the array is dropped and
 * counted ({@link #droppedTooLong()}). The segments carry the checksum status of the whole frame, which is
 * never UNKNOWN for such frames on Linux (they are either not yet summed or verified).
 *
 * <p><b>Capabilities.</b> Ethernet; the interface's MTU (SIOCGIFMTU, in the device's namespace, when it
 * opens; constant while open), so the stack sends frames of at most MTU + 14 bytes; the stack computes and
 * verifies every checksum ({@link ChecksumCapabilities#ALL}), except where a frame's
 * {@link #receivedChecksum()} tells it not to verify one.
 *
 * <p><b>Errors.</b> A name or option the caller got wrong is an {@link IllegalArgumentException}; a refusal
 * of the system (no permission: root or CAP_NET_RAW; no such interface) an {@link IOException} whose message
 * says what to do. On the data path nothing is thrown: failures are counted and the frame is lost, as on a
 * wire.
 *
 * <p><b>Threads.</b> {@code receive}, {@code transmit}, {@code await} and the per-frame accessors from one
 * thread at a time (the interface's loop, or a capture's); {@link #close()} from any thread. After close,
 * receive finds nothing, transmit drops (counted), and await waits for its timeout or a post only.
 */
public final class RawDevice extends DescriptorDevice {
    /**
     * The longest frame the device receives: the largest IP packet (65535 bytes) and its Ethernet header,
     * so that GRO-coalesced and TSO frames fit. A longer one (only with BIG TCP) is dropped and counted.
     */
    public static final int MAX_FRAME_LENGTH = 65535 + DeviceCapabilities.ETHERNET_HEADER_LEN;

    // <linux/if_ether.h>, <linux/if_packet.h>
    private static final int ETH_P_ALL = 0x0003;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_AUXDATA = 8;
    private static final int PACKET_IGNORE_OUTGOING = 23;
    private static final int PACKET_OUTGOING = 4;
    private static final int TP_STATUS_CSUMNOTREADY = 1 << 3;
    private static final int TP_STATUS_VLAN_VALID = 1 << 4;
    private static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    private static final int TP_STATUS_CSUM_VALID = 1 << 7;
    /** struct sockaddr_ll: family (2), protocol (2, network order), ifindex (4), hatype (2), pkttype (1), halen (1), addr (8). */
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final int SLL_PROTOCOL = 2;
    private static final int SLL_IFINDEX = 4;
    private static final int SLL_PKTTYPE = 10;
    /** struct tpacket_auxdata: tp_status (4), tp_len (4), tp_snaplen (4), tp_mac, tp_net, tp_vlan_tci, tp_vlan_tpid (2 each). */
    private static final int AUXDATA_SIZE = 20;
    private static final int AUX_VLAN_TCI = 16;
    private static final int AUX_VLAN_TPID = 18;
    /** Room for the control messages: CMSG_SPACE(20) is 40; more in case a kernel adds one. */
    private static final int CONTROL_SIZE = 128;
    private static final int VLAN_TAG = 4;

    private final String name;
    private final NetworkNamespace namespace;
    private final boolean keepOutgoing;
    private final DeviceCapabilities capabilities;
    /** msghdr, then its one iovec, then the sockaddr_ll it is given: one block, filled once. */
    private final Memory message = new Memory(Libc.MSGHDR_SIZE + Libc.IOVEC_SIZE + SOCKADDR_LL_SIZE + 4);
    private final Memory control = new Memory(CONTROL_SIZE);
    private final long messageAddress = Pointer.nativeValue(message);
    private static final int IOV = Libc.MSGHDR_SIZE;
    private static final int NAME = Libc.MSGHDR_SIZE + Libc.IOVEC_SIZE;
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private ReceivedChecksum lastChecksum = ReceivedChecksum.UNKNOWN;
    private boolean lastOutgoing;
    private volatile long segmentedFrames;

    private RawDevice(String name, NetworkNamespace namespace, boolean keepOutgoing, int fd, int mtu,
            PollWaiter waiter) {
        super(fd, waiter, MAX_FRAME_LENGTH);
        this.name = name;
        this.namespace = namespace;
        this.keepOutgoing = keepOutgoing;
        this.capabilities = DeviceCapabilities.ethernet(mtu, ChecksumCapabilities.ALL);
        message.clear();
        message.setLong(Libc.MSGHDR_NAME, Pointer.nativeValue(message) + NAME);
        message.setLong(Libc.MSGHDR_IOV, Pointer.nativeValue(message) + IOV);
        message.setLong(Libc.MSGHDR_IOVLEN, 1);
        message.setLong(Libc.MSGHDR_CONTROL, Pointer.nativeValue(control));
        message.setLong(IOV, received.address());
        message.setLong(IOV + 8, received.capacity());
    }

    /**
     * Returns why {@code name} cannot name the interface of a raw device, or null when it can: the
     * kernel's rules for interface names, and not {@code any}.
     */
    public static String invalidNameReason(String name) {
        if (name == null || name.isBlank()) {
            return "an interface name must be given";
        }
        if (name.equals("any")) {
            return "Linux's 'any' pseudo-device is refused: it carries no Ethernet frames (a \"cooked\" header"
                    + " instead) and spans every interface; name the one interface to bind to, e.g. eth0";
        }
        return NetInterfaces.invalidNameReason(name);
    }

    /**
     * Opens a packet socket bound to the interface {@code name}.
     *
     * @param name the interface, which must exist, at most 15 bytes; not {@code any}
     * @param keepOutgoing also receive the frames sent out on the interface (for a capture); false for a
     *     stack
     * @param netns the network namespace the interface is in, a name under {@code /var/run/netns} or a
     *     path; null for the caller's own
     * @throws IllegalArgumentException when the name is invalid or the namespace does not exist
     * @throws IOException when the system refuses, saying why and what to do: no such interface, not
     *     permitted (needs root or CAP_NET_RAW)
     */
    public static RawDevice open(String name, boolean keepOutgoing, String netns) throws IOException {
        String invalid = invalidNameReason(name);
        if (invalid != null) {
            throw new IllegalArgumentException("raw " + name + ": " + invalid);
        }
        if (netns == null) {
            return bind(name, keepOutgoing, null);
        }
        NetworkNamespace namespace;
        try {
            namespace = NetworkNamespace.of(netns);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("raw " + name + ": " + e.getMessage(), e);
        }
        return namespace.run(() -> bind(name, keepOutgoing, namespace));
    }

    /** Opens the socket and binds it to the interface, in the calling thread's namespace. */
    private static RawDevice bind(String name, boolean keepOutgoing, NetworkNamespace namespace) throws IOException {
        String where = namespace == null ? "" : " in network namespace " + namespace;
        int index = NetInterfaces.index(name);
        if (index == 0) {
            throw new ErrnoException("raw " + name + ": no interface called " + name + where
                    + " (ip link show lists them" + (namespace == null ? "" : "; ip netns exec " + namespace
                    + " ip link show") + ")", Libc.ENODEV);
        }
        // Protocol 0: the socket receives nothing until bind names the interface and ETH_P_ALL, so no frame
        // of another interface is ever queued on it.
        int fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Libc.errno();
            throw new ErrnoException("raw " + name + ": cannot open a packet socket (socket AF_PACKET): "
                    + Libc.describe(errno) + (errno == Libc.EPERM || errno == Libc.EACCES
                    ? "; a raw packet socket needs root or CAP_NET_RAW (e.g. sudo setcap cap_net_raw+ep on the"
                            + " java binary, or run as root)" : ""), errno);
        }
        PollWaiter waiter = null;
        try {
            Memory value = new Memory(4);
            value.setInt(0, 1);
            if (Libc.setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, Pointer.nativeValue(value), 4) < 0) {
                throw ErrnoException.last("raw " + name + ": setsockopt PACKET_AUXDATA");
            }
            if (!keepOutgoing && Libc.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, Pointer.nativeValue(value), 4) < 0
                    && Libc.errno() != Libc.ENOPROTOOPT) {
                // ENOPROTOOPT: a kernel before 4.20; receive drops outgoing frames by their sll_pkttype instead
                throw ErrnoException.last("raw " + name + ": setsockopt PACKET_IGNORE_OUTGOING");
            }
            Memory address = new Memory(SOCKADDR_LL_SIZE);
            address.clear();
            address.setShort(0, (short) Libc.AF_PACKET);
            address.setShort(SLL_PROTOCOL, Short.reverseBytes((short) ETH_P_ALL)); // network byte order (x86-64, AArch64 are little-endian)
            address.setInt(SLL_IFINDEX, index);
            if (Libc.bind(fd, Pointer.nativeValue(address), SOCKADDR_LL_SIZE) < 0) {
                int errno = Libc.errno();
                throw new ErrnoException("raw " + name + ": cannot bind to " + name + where + ": " + Libc.describe(errno)
                        + (errno == Libc.ENODEV ? "; the interface is gone" : ""), errno);
            }
            int mtu = NetInterfaces.mtu(name);
            waiter = new PollWaiter(fd);
            return new RawDevice(name, namespace, keepOutgoing, fd, mtu, waiter);
        } catch (IOException | RuntimeException | Error e) {
            if (waiter != null) {
                waiter.close();
            }
            Descriptors.closeQuietly(fd);
            throw e;
        }
    }

    /** Returns the interface's name. */
    public String name() {
        return name;
    }

    /** Returns the namespace the device was opened in, as given (a name or a path), or null for the opener's own. */
    public String namespace() {
        return namespace == null ? null : namespace.toString();
    }

    /** Returns true when the device receives the frames sent out on the interface too. */
    public boolean keepsOutgoing() {
        return keepOutgoing;
    }

    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Copies the next frame into {@code buf} at {@code off} and returns its length, or 0 when none is
     * waiting or the device is closed: one recvmsg(2) and one copy, or, while a frame too long for
     * {@code buf} is being cut into TCP segments, the next segment with no system call (see the class
     * description). Outgoing frames are skipped unless kept; a frame that fits neither the array nor a
     * segment is dropped and counted ({@link #droppedTooLong()}); a failed read is counted
     * ({@link #receiveErrors()}). Sets {@link #receivedChecksum()} and {@link #receivedOutgoing()}.
     */
    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        if (segmenter.active() && isClosed()) {
            segmenter.reset();
        }
        if (segmenter.active()) {
            int n = segmenter.next(buf, off);
            if (n > 0) {
                return n;
            }
            countTooLong(); // the caller's room shrank below a segment: the rest of the frame is lost
        }
        while (!isClosed()) {
            message.setInt(Libc.MSGHDR_NAMELEN, SOCKADDR_LL_SIZE);
            message.setLong(Libc.MSGHDR_CONTROLLEN, CONTROL_SIZE);
            int n = (int) Libc.recvmsg(fd, messageAddress, Libc.MSG_TRUNC);
            if (n < 0) {
                receiveFailed();
                return 0;
            }
            boolean outgoing = (message.getByte(NAME + SLL_PKTTYPE) & 0xff) == PACKET_OUTGOING;
            if (outgoing && !keepOutgoing) {
                continue; // a kernel before 4.20, without PACKET_IGNORE_OUTGOING
            }
            if (n > received.capacity()) {
                countTooLong();
                continue;
            }
            int status = auxStatus();
            lastOutgoing = outgoing;
            lastChecksum = (status & TP_STATUS_CSUMNOTREADY) != 0 ? ReceivedChecksum.NOT_READY
                    : (status & TP_STATUS_CSUM_VALID) != 0 ? ReceivedChecksum.VERIFIED : ReceivedChecksum.UNKNOWN;
            int room = buf.length - off;
            if ((status & TP_STATUS_VLAN_VALID) != 0 && n >= 12) {
                if (n + VLAN_TAG > room) {
                    countTooLong();
                    continue;
                }
                int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0 ? aux16(AUX_VLAN_TPID) : 0x8100;
                int tci = aux16(AUX_VLAN_TCI);
                received.copyTo(0, buf, off, 12);
                buf[off + 12] = (byte) (tpid >>> 8);
                buf[off + 13] = (byte) tpid;
                buf[off + 14] = (byte) (tci >>> 8);
                buf[off + 15] = (byte) tci;
                received.copyTo(12, buf, off + 16, n - 12);
                return n + VLAN_TAG;
            }
            if (n <= room) {
                received.copyTo(buf, off, n);
                return n;
            }
            if (lastChecksum != ReceivedChecksum.UNKNOWN
                    && segmenter.start(received, n, Math.min(room, capabilities.maxFrameLength()))) {
                segmentedFrames++;
                int segment = segmenter.next(buf, off);
                if (segment > 0) {
                    return segment;
                }
            }
            countTooLong(); // and read the next one: another frame may be waiting
        }
        return 0;
    }

    /** Returns tp_status from the PACKET_AUXDATA control message recvmsg left, or 0 when there is none. */
    private int auxStatus() {
        long length = message.getLong(Libc.MSGHDR_CONTROLLEN);
        if (length < Libc.CMSGHDR_SIZE + AUXDATA_SIZE || control.getInt(Libc.CMSGHDR_LEVEL) != SOL_PACKET
                || control.getInt(Libc.CMSGHDR_TYPE) != PACKET_AUXDATA) {
            return 0;
        }
        return control.getInt(Libc.CMSGHDR_SIZE);
    }

    private int aux16(int offset) {
        return control.getShort(Libc.CMSGHDR_SIZE + offset) & 0xffff;
    }

    /**
     * {@inheritDoc} From the kernel's {@code PACKET_AUXDATA} for the frame (see the class description); for
     * a segment of a frame too long for the caller, the whole frame's.
     */
    @Override
    public ReceivedChecksum receivedChecksum() {
        return lastChecksum;
    }

    /**
     * Returns true when the frame the last {@link #receive} returned was one sent out on the interface
     * ({@code PACKET_OUTGOING}: by the kernel, or by another packet socket), false when the interface
     * received it. Per-frame metadata, as {@link #receivedChecksum()}, valid until the next receive; always
     * false unless the device keeps outgoing frames. Allocates nothing.
     */
    @Override
    public boolean receivedOutgoing() {
        return lastOutgoing;
    }

    /** Returns how many received TCP frames were too long for the caller's array and delivered as segments. */
    public long segmentedFrames() {
        return segmentedFrames;
    }

    /**
     * Closes the socket and the eventfd, exactly once (later calls do nothing), after waking a wait in
     * progress. The interface is left as it was. A signal of a wake-up arriving late does nothing.
     */
    @Override
    public void close() {
        super.close();
    }

    /** Returns e.g. {@code raw veth0 (mtu 1500, netns smol-raw-1a2b, outgoing kept)}. */
    @Override
    public String toString() {
        return "raw " + name + " (mtu " + capabilities.mtu() + (namespace != null ? ", netns " + namespace : "")
                + (keepOutgoing ? ", outgoing kept" : "") + (isClosed() ? ", closed" : "") + ")";
    }
}
