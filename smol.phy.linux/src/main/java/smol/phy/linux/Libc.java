package smol.phy.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The C library's system call wrappers that the native devices use, bound with JNA direct mapping
 * ({@link Native#register}): a call costs about what a JNI call does, with no reflection and no allocation.
 *
 * <p>Every call returns what the C function returns: -1 on failure, after which {@link #errno()} gives the
 * reason on the calling thread (JNA keeps the C library's {@code errno} per thread). On the data path
 * ({@link #read}, {@link #write}, {@link #poll}) buffers are passed as native addresses
 * ({@link com.sun.jna.Pointer#nativeValue}) of memory the device allocated when it opened, never as
 * {@code byte[]}, which JNA would copy on every call.
 *
 * <p>64-bit Linux only ({@code size_t} and {@code long} are 64 bits: x86-64, AArch64); the constants
 * below are those of the generic Linux ABI that both share. Loading this class elsewhere fails with an
 * {@link UnsupportedOperationException} saying so.
 */
public final class Libc {
    static {
        if (!"Linux".equals(System.getProperty("os.name")) || Native.SIZE_T_SIZE != 8) {
            throw new UnsupportedOperationException("smol's native devices need 64-bit Linux, not "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        Native.register(Libc.class, NativeLibrary.getInstance("c"));
    }

    // <fcntl.h>, <sys/eventfd.h>
    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_RDONLY}. */
    public static final int O_RDONLY = 0;
    /** {@code O_NONBLOCK}; also {@code EFD_NONBLOCK} and {@code SOCK_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}; also {@code EFD_CLOEXEC} and {@code SOCK_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;

    // <poll.h>: struct pollfd { int fd; short events; short revents; }
    /** {@code POLLIN}: data to read. */
    public static final short POLLIN = 0x1;
    /** {@code POLLOUT}: writing would not block. */
    public static final short POLLOUT = 0x4;
    /** {@code POLLERR}. */
    public static final short POLLERR = 0x8;
    /** {@code POLLHUP}. */
    public static final short POLLHUP = 0x10;
    /** {@code POLLNVAL}: the descriptor is not open. */
    public static final short POLLNVAL = 0x20;
    /** The size of a {@code struct pollfd}. */
    public static final int POLLFD_SIZE = 8;
    /** The offset of {@code events} in a {@code struct pollfd}. */
    public static final int POLLFD_EVENTS = 4;
    /** The offset of {@code revents} in a {@code struct pollfd}. */
    public static final int POLLFD_REVENTS = 6;

    // <sched.h>, <sys/socket.h>
    /** {@code CLONE_NEWNET}, for {@link #setns}. */
    public static final int CLONE_NEWNET = 0x40000000;
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_PACKET}. */
    public static final int AF_PACKET = 17;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_RAW}. */
    public static final int SOCK_RAW = 3;

    // <errno.h>
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** No such device or address. */
    public static final int ENXIO = 6;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Try again (the non-blocking call would block). */
    public static final int EAGAIN = 11;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** File descriptor in bad state. */
    public static final int EBADFD = 77;
    /** Message too long (a frame longer than the interface takes). */
    public static final int EMSGSIZE = 90;
    /** Protocol not available (an unknown socket option, e.g. on an older kernel). */
    public static final int ENOPROTOOPT = 92;
    /** Network is down (the interface is down). */
    public static final int ENETDOWN = 100;
    /** No buffer space available (a socket's send queue is full). */
    public static final int ENOBUFS = 105;

    // <sys/socket.h>: struct msghdr and struct cmsghdr on 64-bit Linux, for recvmsg(2)
    /** The size of a {@code struct msghdr}. */
    public static final int MSGHDR_SIZE = 56;
    /** The offset of {@code msg_name} (a pointer) in a {@code struct msghdr}. */
    public static final int MSGHDR_NAME = 0;
    /** The offset of {@code msg_namelen} (an int) in a {@code struct msghdr}. */
    public static final int MSGHDR_NAMELEN = 8;
    /** The offset of {@code msg_iov} (a pointer) in a {@code struct msghdr}. */
    public static final int MSGHDR_IOV = 16;
    /** The offset of {@code msg_iovlen} (a size_t) in a {@code struct msghdr}. */
    public static final int MSGHDR_IOVLEN = 24;
    /** The offset of {@code msg_control} (a pointer) in a {@code struct msghdr}. */
    public static final int MSGHDR_CONTROL = 32;
    /** The offset of {@code msg_controllen} (a size_t) in a {@code struct msghdr}. */
    public static final int MSGHDR_CONTROLLEN = 40;
    /** The offset of {@code msg_flags} (an int) in a {@code struct msghdr}. */
    public static final int MSGHDR_FLAGS = 48;
    /** The size of a {@code struct iovec}: a pointer and a size_t. */
    public static final int IOVEC_SIZE = 16;
    /** The size of a {@code struct cmsghdr}; its data follows at this offset. */
    public static final int CMSGHDR_SIZE = 16;
    /** The offset of {@code cmsg_level} in a {@code struct cmsghdr} ({@code cmsg_len} is a size_t at 0). */
    public static final int CMSGHDR_LEVEL = 8;
    /** The offset of {@code cmsg_type} in a {@code struct cmsghdr}. */
    public static final int CMSGHDR_TYPE = 12;
    /** {@code MSG_TRUNC}: in recvmsg's flags, return the frame's real length even when it did not fit. */
    public static final int MSG_TRUNC = 0x20;
    /** {@code MSG_CTRUNC}: in msg_flags, the control data did not fit. */
    public static final int MSG_CTRUNC = 0x8;

    private Libc() {}

    /** {@code int open(const char *path, int flags)}: opens a file (no mode: never creates one). */
    public static native int open(String path, int flags);

    /** {@code int close(int fd)}. */
    public static native int close(int fd);

    /** {@code ssize_t read(int fd, void *buf, size_t count)}, {@code buf} a native address. */
    public static native long read(int fd, long buf, long count);

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}, {@code buf} a native address. */
    public static native long write(int fd, long buf, long count);

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}, {@code fds} a native address; timeout in ms, -1 for none. */
    public static native int poll(long fds, long nfds, int timeoutMillis);

    /** {@code int ioctl(int fd, unsigned long request, void *arg)}, {@code arg} a native address. */
    public static native int ioctl(int fd, long request, long arg);

    /** {@code int eventfd(unsigned int initval, int flags)}. */
    public static native int eventfd(int initialValue, int flags);

    /** {@code int setns(int fd, int nstype)}: moves the calling thread into the namespace {@code fd} refers to. */
    public static native int setns(int fd, int namespaceType);

    /** {@code int socket(int domain, int type, int protocol)}. */
    public static native int socket(int domain, int type, int protocol);

    /** {@code int bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen)}, {@code addr} a native address. */
    public static native int bind(int fd, long address, int addressLength);

    /**
     * {@code int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen)},
     * {@code optval} a native address.
     */
    public static native int setsockopt(int fd, int level, int option, long value, int valueLength);

    /** {@code ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags)}, {@code msg} a native address. */
    public static native long recvmsg(int fd, long message, int flags);

    /** {@code unsigned int if_nametoindex(const char *ifname)}: 0 when no interface has that name. */
    public static native int if_nametoindex(String name);

    /** {@code char *strerror(int errnum)}: the C library's text for an errno. */
    private static native String strerror(int errno);

    /** Returns the calling thread's {@code errno} as the last call through this class left it. */
    public static int errno() {
        return Native.getLastError();
    }

    /** Returns a readable name and text for {@code errno}, e.g. {@code EBUSY (Device or resource busy)}. */
    public static String describe(int errno) {
        String name;
        switch (errno) {
            case EPERM: name = "EPERM"; break;
            case ENOENT: name = "ENOENT"; break;
            case EINTR: name = "EINTR"; break;
            case ENXIO: name = "ENXIO"; break;
            case EBADF: name = "EBADF"; break;
            case EAGAIN: name = "EAGAIN"; break;
            case EACCES: name = "EACCES"; break;
            case EBUSY: name = "EBUSY"; break;
            case ENODEV: name = "ENODEV"; break;
            case EINVAL: name = "EINVAL"; break;
            case EBADFD: name = "EBADFD"; break;
            case EMSGSIZE: name = "EMSGSIZE"; break;
            case ENOPROTOOPT: name = "ENOPROTOOPT"; break;
            case ENETDOWN: name = "ENETDOWN"; break;
            case ENOBUFS: name = "ENOBUFS"; break;
            default: name = "errno " + errno;
        }
        return name + " (" + strerror(errno) + ")";
    }
}
