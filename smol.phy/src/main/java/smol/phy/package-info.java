/**
 * The device SPI of the smol stack: what an interface needs from a network device (receive a frame,
 * transmit a frame, its capabilities, wait for traffic), how devices are found by name
 * ({@link smol.phy.DeviceProvider}), and the devices written in plain Java: loopback, an in-memory
 * cable joining two interfaces, a fault injector, pcap capture and a tracer.
 *
 * <p>Devices hand frames between their own storage and the caller's {@code byte[]}; none allocates
 * per frame.
 *
 * <h2>Waiting and waking</h2>
 *
 * The runtime owns the waiting and the waking, not the device. Its loop (one thread per interface)
 * does, with {@code now} read from the stack's clock:
 * <pre>{@code
 * long next = stack.poll(now);                                // the stack's next deadline
 * long at = Math.min(next, device.pollAt(now));               // the device's own, e.g. a rate limit
 * long timeout = at == Long.MAX_VALUE ? -1 : Math.max(0, at - now);
 * device.await(wakeup, timeout, aTransmitWasRefused);         // or wakeup.await(timeout) with no device
 * }</pre>
 * The wait returns on whichever comes first: a frame from the device; the device able to take frames
 * again after refusing one (only when asked, with {@code untilWritable}); the timeout, which covers both
 * the stack's deadline and the device's ({@link smol.phy.Device#pollAt}); or a post of the wake-up. It
 * may return early; the loop polls again either way.
 *
 * <p><b>Who owns the wake-up.</b> The runtime: it makes one {@link smol.phy.Wakeup} per interface loop
 * and keeps it for the loop's whole life. Application threads (a socket operation that produced work)
 * and whoever swaps the device call {@link smol.phy.Wakeup#post()}. A post with no wait armed stays
 * pending and ends the next wait at once, whatever device that wait is on, or none; so a wake-up posted
 * while no device is attached, or in the middle of a swap, is never lost. A returning wait consumes the
 * pending post: the poll that follows every wait serves it.
 *
 * <p><b>How a device learns of it.</b> As an argument of every wait,
 * {@link smol.phy.Device#await(Wakeup, long, boolean)}: nothing is handed over when a device is
 * attached, so nothing can be lost or left behind in a swap, and the device keeps no reference to it
 * after the wait (a wrapper remembers the last one in order to post it when its inner device changes).
 * During the wait the device {@linkplain smol.phy.Wakeup#arm arms} the wake-up with its own way of being
 * interrupted, a {@link smol.phy.Wakeup.Signal}; {@code arm} reports a post already pending, in which case
 * the device returns at once; otherwise it blocks, and {@linkplain smol.phy.Wakeup#disarm disarms} the
 * wake-up when the wait ends.
 *
 * <p><b>The device's deadline.</b> {@link smol.phy.Device#pollAt} returns when the device next has
 * something to do by time alone (a delay line releasing a frame, a rate limit taking a refused frame
 * again), on the stack's clock: the same microseconds as the {@code nowMicros} given to receive and
 * transmit, since a device has no clock of its own. The runtime waits no longer than that and then
 * polls, calling receive and transmit with the new {@code now}.
 *
 * <p><b>In-memory devices</b> park the waiting thread; their signal unparks it, and so do the queues when
 * a frame arrives or a slot of a full queue frees up.
 *
 * <p><b>A native device</b> (TAP, raw socket) implements the wait with poll(2) or ppoll(2) on two
 * descriptors:
 * <ul>
 *   <li>its own file descriptor, for {@code POLLIN}, and for {@code POLLOUT} too when the wait is
 *       {@code untilWritable};</li>
 *   <li>an eventfd of its own (made when the device opens, non-blocking), for {@code POLLIN}: its
 *       {@code Signal} writes 1 to it. After poll returns, the device reads the eventfd to drain it.</li>
 * </ul>
 * The timeout is rounded up to whole milliseconds for poll(2) ({@code -1} for none), so that a short
 * wait does not become a busy loop. The signal may fire after the wait was disarmed, even while the
 * device is closing (a post that read the signal just before): the device must keep the eventfd open
 * until no signal can be writing to it, or make a late write do nothing (for example, a closed flag
 * checked under a lock that close also takes). An interrupt cannot end poll(2): the device checks the
 * thread's interrupt status before and after, and a runtime stopping its loop posts the wake-up after
 * setting its stop flag. Everything is made when the device opens; a wait allocates nothing.
 *
 * <h2>Finding devices by name</h2>
 *
 * A {@link smol.phy.DeviceProvider} opens the devices of one kind, given a name and string options;
 * {@link smol.phy.DeviceProviders} finds providers with {@link java.util.ServiceLoader}, so that a
 * launcher or a test names a device by strings (for example kind {@code loopback}, or kind {@code cable}
 * with option {@code end=a}). This bundle offers {@code loopback} and {@code cable}, registered in
 * {@code META-INF/services/smol.phy.DeviceProvider}; the TAP and raw devices plug in the same way. Inside
 * an OSGi framework, {@code ServiceLoader} does not see across bundles: there, devices are
 * {@link smol.phy.Device} services carrying the {@link smol.phy.DeviceProperties}. This bundle registers,
 * through Declarative Services, one loopback per factory configuration of PID {@code smol.phy.loopback}
 * (properties {@code name}, default {@code loopback}, and {@code mtu}, default 1500), and one cable per
 * factory configuration of PID {@code smol.phy.cable}, its two ends as two services (properties {@code a}
 * and {@code b}, the ends' names, default {@code cable-a} and {@code cable-b}; {@code mtu}, default 1500;
 * {@code queue}, default 64; {@code checksums}, {@code none} or {@code all}). {@link
 * smol.phy.DeviceProperties#of} makes a device service's properties.
 */
@Export
@Version("0.4.0")
package smol.phy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
