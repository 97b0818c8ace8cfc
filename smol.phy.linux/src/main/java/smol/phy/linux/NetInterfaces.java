package smol.phy.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's network interfaces by name, in the calling thread's network namespace: name rules, index,
 * MTU and flags (ioctl on an {@code AF_INET} datagram socket), and the {@code struct ifreq} they take.
 */
public final class NetInterfaces {
    /** {@code IFNAMSIZ}: an interface name takes at most 16 bytes with its terminating NUL, so 15 characters. */
    public static final int IFNAMSIZ = 16;
    /** The size of a {@code struct ifreq}: the name, then a 24-byte union. */
    public static final int IFREQ_SIZE = 40;
    /** The offset of the union ({@code ifr_flags}, {@code ifr_mtu}) in a {@code struct ifreq}. */
    public static final int IFREQ_UNION = 16;
    /** {@code SIOCGIFFLAGS}: an interface's flags. */
    public static final long SIOCGIFFLAGS = 0x8913;
    /** {@code SIOCGIFMTU}: an interface's MTU. */
    public static final long SIOCGIFMTU = 0x8921;
    /** {@code IFF_UP} among the interface flags: administratively up. */
    public static final int IFF_UP = 0x1;
    /** {@code IFF_RUNNING} among the interface flags: operationally up (carrier). */
    public static final int IFF_RUNNING = 0x40;

    private NetInterfaces() {}

    /**
     * Returns why {@code name} cannot name a Linux interface, or null when it can: the kernel's rules
     * ({@code dev_valid_name}) and no {@code %} (a template the kernel would fill in with a number).
     */
    public static String invalidNameReason(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes >= IFNAMSIZ) {
            return "interface name '" + name + "' is too long: " + bytes + " bytes, at most " + (IFNAMSIZ - 1)
                    + " (IFNAMSIZ is " + IFNAMSIZ + " with the terminating NUL)";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' cannot name an interface";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || c == '%' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                return "interface name '" + name + "' must not contain '/', ':', '%', spaces or control characters";
            }
        }
        return null;
    }

    /** Returns the index of the interface called {@code name}, or 0 when there is none. */
    public static int index(String name) {
        return Libc.if_nametoindex(name);
    }

    /**
     * Returns the MTU of the interface called {@code name}.
     *
     * @throws ErrnoException when the kernel refuses (ENODEV: no such interface)
     */
    public static int mtu(String name) throws ErrnoException {
        return query(name, SIOCGIFMTU, "SIOCGIFMTU");
    }

    /**
     * Returns the flags of the interface called {@code name} ({@link #IFF_UP}, {@link #IFF_RUNNING}, ...).
     *
     * @throws ErrnoException when the kernel refuses (ENODEV: no such interface)
     */
    public static int flags(String name) throws ErrnoException {
        return query(name, SIOCGIFFLAGS, "SIOCGIFFLAGS") & 0xffff;
    }

    /** Returns a zeroed {@code struct ifreq} holding {@code name}, which must be valid. */
    public static Memory ifreq(String name) {
        Memory ifr = new Memory(IFREQ_SIZE);
        ifr.clear();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ifr.write(0, bytes, 0, Math.min(bytes.length, IFNAMSIZ - 1));
        return ifr;
    }

    /** Returns the name held by {@code ifr}, as the kernel left it. */
    public static String nameOf(Memory ifr) {
        return ifr.getString(0, StandardCharsets.UTF_8.name());
    }

    private static int query(String name, long request, String requestName) throws ErrnoException {
        int socket = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM | Libc.O_CLOEXEC, 0);
        if (socket < 0) {
            throw ErrnoException.last("socket(AF_INET, SOCK_DGRAM) for " + requestName + " " + name);
        }
        try {
            Memory ifr = ifreq(name);
            if (Libc.ioctl(socket, request, Pointer.nativeValue(ifr)) < 0) {
                throw ErrnoException.last(requestName + " " + name);
            }
            return request == SIOCGIFFLAGS ? ifr.getShort(IFREQ_UNION) : ifr.getInt(IFREQ_UNION);
        } finally {
            Libc.close(socket);
        }
    }
}
