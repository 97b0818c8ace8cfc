/**
 * The Linux system calls that smol's native devices share (the TAP device, the raw packet socket device),
 * through JNA direct mapping: {@link smol.phy.linux.Libc} (open, close, read, write, ioctl, poll, eventfd,
 * setns, socket, bind, setsockopt, recvmsg, if_nametoindex, with {@code errno} made readable, and the layout
 * of {@code struct msghdr} and {@code struct cmsghdr}), {@link smol.phy.linux.FrameBuffer}
 * (a frame's native memory, one copy to or from the caller's array, nothing allocated per frame),
 * {@link smol.phy.linux.PollWaiter} (the wait contract of {@code smol.phy} for a native descriptor: poll(2)
 * on it and an eventfd that the wake-up's signal writes), {@link smol.phy.linux.NetInterfaces} (interface
 * names, index, MTU, flags) and {@link smol.phy.linux.NetworkNamespace} (open inside a network namespace
 * from a fresh thread).
 *
 * <p>Not an API, and not exported: each device bundle embeds its own private copy of this package (bnd's
 * {@code -conditionalpackage: smol.phy.linux.*}) and so imports only JNA ({@code com.sun.jna}) and
 * {@code smol.phy}. 64-bit Linux only.
 *
 * <p>Failures of system calls are {@link smol.phy.linux.ErrnoException}s (an {@link java.io.IOException}
 * carrying the errno) on the opening path; on the data path, calls return -1 and the caller reads
 * {@link smol.phy.linux.Libc#errno()} (no exception, no allocation when a non-blocking read finds nothing).
 */
package smol.phy.linux;
