package smol.iface;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import smol.phy.Device;
import smol.phy.FaultConfig;
import smol.phy.FaultInjector;
import smol.phy.Wakeup;
import smol.socket.IcmpSocket;
import smol.socket.SocketHandle;
import smol.socket.SocketSet;
import smol.socket.SocketSetView;
import smol.socket.TcpSocket;
import smol.socket.UdpSocket;
import smol.wire.PcapWriter;

/**
 * The thread of one {@link Interface}: it polls the interface, then waits until the next deadline, a
 * frame from the device, or a wake-up from an application, and again, until stopped. It makes the
 * interface and its {@link SocketSet} safe to use from any thread, and offers blocking calls on the
 * sockets ({@link TcpConnection}, {@link UdpEndpoint}, {@link IcmpEndpoint}) and readiness callbacks.
 *
 * <pre>{@code
 * InterfaceRuntime runtime = InterfaceRuntime.builder(iface).name("eth0").build();
 * runtime.attach(device);
 * runtime.start();
 * TcpConnection c = runtime.tcp(65536, 65536);
 * c.connect(IpEndpoint.parse("10.0.0.2:80"), Duration.ofSeconds(5));
 * c.outputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
 * ...
 * runtime.stop(); // closes the connections gracefully within the linger, then the device
 * }</pre>
 *
 * <p><b>The lock.</b> One {@link ReentrantLock} guards the interface and its socket set. The loop holds it
 * while it polls and while it runs callbacks, and releases it to wait; every operation from outside
 * takes it: {@link #withSockets}, {@link #withInterface}, {@link #attach}, {@link #detach}, and every
 * method of {@link TcpConnection}, {@link UdpEndpoint} and {@link IcmpEndpoint}. An operation that may have made work (queued
 * data, read data that opens a window, opened or closed a connection, attached a device) posts the
 * runtime's {@link Wakeup} after it, so the loop polls again at once. The loop never waits with the lock
 * held, and a wait on the device is never a wait on the lock, so a post is never lost (see
 * {@code smol.phy}'s package description). The loop takes the lock without queueing for it (it spins, then
 * yields, while an application thread holds it for a copy), so that it allocates nothing per turn.
 *
 * <p><b>Blocking calls</b> park, with the lock released, until the loop wakes them after a poll that made
 * their socket ready for what they wait for; the loop unparks them after it released the lock, so that a
 * woken thread does not run into it. A writer is woken when half its transmit ring is free, not for
 * every acknowledgement, so that it copies large pieces per wake-up.
 * Their timeouts are wall-clock time ({@link System#nanoTime}); the stack's time is the runtime's clock
 * (microseconds since the runtime was built, or the one given to the builder).
 *
 * <p><b>Readiness callbacks</b> ({@link RuntimeSocket#whenReadable}, {@link RuntimeSocket#whenWritable})
 * run on the loop thread after a poll, with the lock held, so they must not block: each is measured, and
 * one that runs longer than {@link Builder#slowCallbackThreshold} (1 ms by default) is counted and
 * reported with its socket to the {@link RuntimeListener}. A callback that throws is caught, counted and
 * reported; it never ends the loop, and neither does a poll that throws.
 *
 * <p><b>Start and stop</b> are idempotent. {@link #stop()} closes every TCP connection of the set
 * gracefully (a FIN after the queued data), lets the loop run until each has closed both ways (the
 * peer's FIN too) or the linger ({@link Builder#linger}, 1 s by default) is over, then aborts (RST) every
 * connection that has not; it ends the thread, detaches the device and closes it when it is
 * {@link AutoCloseable} (unless {@link Builder#closeDeviceOnStop} says otherwise). So a stop takes the
 * whole linger when a peer does not close its side. Every call
 * blocked on a socket of the runtime ends when the stop begins, with {@link SocketException} "runtime
 * stopped", and so does every later call that would wait. A runtime runs once: it cannot start again
 * after a stop.
 *
 * <p><b>Threads.</b> Every public method is safe from any thread. The interface, its sockets and the
 * device belong to the runtime from {@link Builder#build()} on: touch them only through it. The loop
 * thread is a daemon thread named {@code smol-runtime <name>}.
 */
public final class InterfaceRuntime implements InterfaceService, AutoCloseable {
    /** How long {@link #stop()} lets connections close gracefully by default: 1 s. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(1);
    /** How long a callback may run before it counts as slow by default: 1 ms. */
    public static final Duration DEFAULT_SLOW_CALLBACK_THRESHOLD = Duration.ofMillis(1);
    /** The first port {@link TcpConnection#connect(smol.wire.IpEndpoint, Duration)} picks from (RFC 6335 §6). */
    static final int EPHEMERAL_FIRST = 49152;
    /** After a poll threw, the loop waits this long before it polls again, so that it cannot spin. */
    private static final long POLL_FAILURE_PAUSE_MICROS = 1_000;
    /** Busy turns (then yields) the loop makes on a held lock before it queues for it. */
    private static final int LOOP_LOCK_SPINS = 64;
    private static final int LOOP_LOCK_YIELDS = 10_000;

    private enum Phase { NEW, RUNNING, STOPPING, STOPPED }

    private final Interface iface;
    private final SocketSet sockets;
    private final ReentrantLock lock = new ReentrantLock();
    private final Wakeup wakeup = new Wakeup();
    private final LongSupplier clock;
    private final String name;
    private final long lingerNanos;
    private final long slowCallbackNanos;
    private final RuntimeListener listener;
    private final boolean closesDevice;
    private final Thread thread;
    /** The application's view of each slot of the set, or null for a socket used only through {@link #withSockets}. */
    private final RuntimeSocket[] bySlot;
    private final List<TcpServer> servers = new ArrayList<>();

    // Written under the lock; volatile so that the few reads without it see the latest.
    private volatile Phase phase = Phase.NEW;
    /** When the linger of a stop ends, on {@link System#nanoTime}'s clock. */
    private long stopDeadline;
    /** Threads woken on the loop thread, to unpark once it released the lock ({@link Waiters}). Lock held. */
    private Thread[] deferred = new Thread[4];
    private int deferredCount;
    /** Threads blocked in any {@link Waiters} of this runtime: {@link #deferred} holds at least as many. */
    private int waiterCount;
    // The loop thread's own: what it took from deferred, unparked after it released the lock.
    private Thread[] unparking;
    private int unparkingCount;
    private int nextEphemeral = EPHEMERAL_FIRST + ThreadLocalRandom.current().nextInt(65536 - EPHEMERAL_FIRST);

    // Written by the loop thread only; volatile so that statistics() reads them from anywhere.
    private volatile long polls;
    private volatile long callbacks;
    private volatile long callbackFailures;
    private volatile long slowCallbacks;
    private volatile long pollFailures;

    private InterfaceRuntime(Builder builder) {
        this.iface = builder.iface;
        this.sockets = iface.sockets();
        this.name = builder.name != null ? builder.name : iface.addresses().get(0).toString();
        this.lingerNanos = builder.linger.toNanos();
        this.slowCallbackNanos = builder.slowCallbackThreshold.toNanos();
        this.listener = builder.listener;
        this.closesDevice = builder.closeDeviceOnStop;
        this.faultSeed = builder.faultSeed != null ? builder.faultSeed : ThreadLocalRandom.current().nextLong();
        if (builder.clock != null) {
            this.clock = builder.clock;
        } else {
            long origin = System.nanoTime();
            this.clock = () -> (System.nanoTime() - origin) / 1000;
        }
        this.bySlot = new RuntimeSocket[sockets.capacity()];
        this.thread = new Thread(this::loop, "smol-runtime " + name);
        thread.setDaemon(true);
    }

    /** Returns a builder of a runtime for {@code iface}, which belongs to the runtime once it is built. */
    public static Builder builder(Interface iface) {
        if (iface == null) {
            throw new IllegalArgumentException("runtime needs an interface");
        }
        return new Builder(iface);
    }

    /** Returns the runtime's name, as its thread carries it. */
    @Override
    public String name() {
        return name;
    }

    // ------------------------------------------------------------ start and stop

    /**
     * Starts the loop thread. Does nothing when already started (or stopping).
     *
     * @throws IllegalStateException when the runtime was stopped: it runs once
     */
    public void start() {
        lock.lock();
        try {
            switch (phase) {
                case NEW -> {
                    phase = Phase.RUNNING;
                    thread.start();
                }
                case RUNNING, STOPPING -> {
                    // already started
                }
                case STOPPED -> throw new IllegalStateException("runtime " + name + " was stopped; it runs once");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the runtime and returns once its thread has ended: closes every TCP connection gracefully,
     * lets them close both ways for up to the linger, aborts what remains, detaches the device and closes it (see
     * the class description). Every call waiting on one of its sockets ends at once with "runtime stopped".
     * Idempotent: a second call waits for the first to finish. Called on the loop thread (in a callback) or
     * with the lock held (in {@link #withSockets}), it does not wait for the thread, which ends by itself. When
     * the calling thread is interrupted while waiting, it returns with its interrupt status kept; the stop
     * goes on. A runtime never started stops at once.
     */
    public void stop() {
        Device neverStarted = null;
        boolean neverRan = false;
        lock.lock();
        try {
            switch (phase) {
                case NEW -> {
                    phase = Phase.STOPPED;
                    neverRan = true;
                    neverStarted = iface.detach();
                }
                case RUNNING -> {
                    phase = Phase.STOPPING;
                    stopDeadline = System.nanoTime() + lingerNanos;
                    closeAllConnections();
                }
                case STOPPING, STOPPED -> {
                    // stopping already; wait for it below
                }
            }
            wakeAllWaiters(); // they look again, and find the runtime stopping
        } finally {
            lock.unlock();
        }
        if (neverRan) {
            stopCapture(); // finish() never runs to close it
        }
        if (neverStarted != null) {
            closeDevice(neverStarted);
            return;
        }
        wakeup.post();
        if (Thread.currentThread() == thread || lock.isHeldByCurrentThread() || !thread.isAlive()) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the runtime, as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Returns the id ({@link Thread#getId()}) of the runtime's loop thread, for per-thread measurements
     * (a {@link java.lang.management.ThreadMXBean}'s CPU time or allocation); constant.
     */
    @SuppressWarnings("deprecation") // getId: threadId() is Java 19+, and this builds for 17
    public long threadId() {
        return thread.getId();
    }

    /** Returns true between {@link #start()} and the beginning of {@link #stop()}. */
    public boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /** Returns true once stopped: the thread has ended (or never started). */
    public boolean isStopped() {
        return phase == Phase.STOPPED;
    }

    // ------------------------------------------------------------ the device

    /**
     * Attaches {@code device} to the interface (link up), in place of the one attached before, and wakes
     * the loop, which waits on the new device from its next wait. The device belongs to the runtime from
     * now on; the old one is returned to the caller untouched (the runtime does not close a device it
     * gives back).
     *
     * @return the device attached before, or null
     * @throws IllegalStateException once the runtime is stopped
     * @throws IllegalArgumentException as {@link Interface#attach}
     */
    public Device attach(Device device) {
        Device old;
        lock.lock();
        try {
            if (phase == Phase.STOPPED) {
                throw new IllegalStateException("runtime " + name + " is stopped");
            }
            old = iface.attachedDevice();
            iface.attach(device);
        } finally {
            lock.unlock();
        }
        wakeup.post();
        return old;
    }

    /**
     * Detaches the device (link down) and returns it untouched, or null when none was attached; the
     * sockets and their state stay. Wakes the loop, which waits without a device from then on.
     */
    public Device detach() {
        Device old;
        lock.lock();
        try {
            old = iface.detach();
        } finally {
            lock.unlock();
        }
        wakeup.post();
        return old;
    }

    // ------------------------------------------------------------ fault injection and capture

    // Kept beside the methods that use them. All three are guarded by the lock.
    /** The seed of {@link #faultInjector}, from {@link Builder#faultSeed} or random. */
    private final long faultSeed;
    /** Made by the first {@link #faults(FaultConfig)} that turns faults on, kept for the runtime's life. */
    private FaultInjector faultInjector;
    private FrameCapture capture;

    /**
     * Sets the faults of the link, in place: {@code config} (lost, corrupted, oversize and rate-limited
     * frames, see {@code smol.phy.FaultInjector}) applies to every frame from the next poll on, with the
     * device attached now and with every device attached later, until it is changed again;
     * {@link FaultConfig#NONE} or null turns faults off. The injector sits between the interface and its
     * device ({@link Interface#interpose}): the loop polls and waits through it, so that a frame held back by
     * a rate limit goes out as soon as the rate allows. Changing it is no link change: the device stays
     * attached, the ARP cache and the sockets stay, no gratuitous ARP goes out. Wakes the loop. Safe from
     * any thread.
     *
     * <p>One injector serves the runtime's life, seeded once ({@link Builder#faultSeed}, random by default):
     * with the same seed, configurations and frames its decisions are the same; its counters add up across
     * changes ({@link #faultStatistics()}). While faults are on, the stack fills and checks every checksum
     * itself, so that a corrupted frame is caught and counted.
     */
    public void faults(FaultConfig config) {
        boolean on = config != null && !config.equals(FaultConfig.NONE);
        lock.lock();
        try {
            if (on) {
                if (faultInjector == null) {
                    faultInjector = new FaultInjector(null, config, faultSeed);
                } else {
                    faultInjector.setConfig(config);
                }
                iface.interpose(faultInjector);
            } else if (iface.interposed() == faultInjector) {
                iface.interpose(null);
            }
        } finally {
            lock.unlock();
        }
        wakeup.post();
    }

    /** Returns the faults in force: {@link FaultConfig#NONE} while they are off. Safe from any thread. */
    public FaultConfig faults() {
        lock.lock();
        try {
            return faultInjector != null && iface.interposed() == faultInjector
                    ? faultInjector.config() : FaultConfig.NONE;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the fault injector's counters in one line (frames lost, corrupted, oversize and rate-limited
     * each way, since faults were first turned on), e.g. {@code fault injector: rx dropped=3 …}; "no faults
     * injected" when they never were. Safe from any thread.
     */
    public String faultStatistics() {
        lock.lock();
        try {
            return faultInjector == null ? "no faults injected" : faultInjector.toString();
        } finally {
            lock.unlock();
        }
    }

    /** The injector (null until faults were first turned on), for this package's tests. Lock held. */
    FaultInjector faultInjector() {
        return faultInjector;
    }

    /**
     * Starts writing every frame the interface sends and receives to a new pcap file at {@code file}
     * (replaced when it exists), in place of the capture running before (which is closed); see
     * {@link #capture(PcapWriter)}.
     *
     * @return the capture, for its count of frames and its failure
     * @throws IOException when the file cannot be created; the capture before goes on then
     */
    public FrameCapture capture(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        PcapWriter writer;
        try {
            writer = new PcapWriter(out);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return capture(writer);
    }

    /**
     * Starts writing every frame the interface sends and receives to {@code writer}, which the runtime
     * owns from now on, in place of the capture running before (which is closed), from the next frame
     * on and across device swaps. The frames are those the interface sees ({@link FrameCapture}): after
     * the faults ({@link #faults(FaultConfig)}). A write error stops the capture, which says why
     * ({@link FrameCapture#failure()}); traffic goes on. The capture ends with {@link #stopCapture()} or
     * the runtime's stop, which flush and close the file. Safe from any thread.
     *
     * @return the capture, for its count of frames and its failure
     * @throws NullPointerException when {@code writer} is null
     */
    public FrameCapture capture(PcapWriter writer) {
        FrameCapture next = new FrameCapture(writer);
        FrameCapture old;
        lock.lock();
        try {
            old = capture;
            if (old != null) {
                iface.removeObserver(old);
            }
            capture = next;
            iface.addObserver(next);
        } finally {
            lock.unlock();
        }
        if (old != null) {
            old.close(); // outside the lock: the loop is not kept waiting on the file
        }
        return next;
    }

    /** Returns the capture running (or stopped by a failure, not yet by {@link #stopCapture()}), or null. */
    public FrameCapture capture() {
        lock.lock();
        try {
            return capture;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the capture: no frame is written after this returns, and the file is flushed and closed.
     * Returns it (for its count of frames and its failure), or null when none was running. Safe from any
     * thread; calling it again does nothing.
     */
    public FrameCapture stopCapture() {
        FrameCapture old;
        lock.lock();
        try {
            old = capture;
            capture = null;
            if (old != null) {
                // Under the lock, which the loop holds while it shows frames to observers: none is being
                // written now, and none will be.
                iface.removeObserver(old);
            }
        } finally {
            lock.unlock();
        }
        if (old != null) {
            old.close();
        }
        return old;
    }

    // ------------------------------------------------------------ sockets

    /**
     * Runs {@code action} on the socket set with the lock held, then wakes the loop (the action may have
     * made work), and returns what it returned. For the sockets' non-blocking operations and for adding
     * or removing sockets; the action must not block, and must not keep the set or a socket beyond the
     * call. A socket removed here ends the calls of its {@link RuntimeSocket}, if it had one.
     */
    public <T> T withSockets(Function<? super SocketSet, ? extends T> action) {
        return withLock(sockets, action);
    }

    /**
     * Runs {@code action} on the interface with the lock held, then wakes the loop, and returns what it
     * returned: for its statistics, ARP table, observers. The action must not block, nor keep the
     * interface beyond the call, nor attach, detach or interpose a device behind the runtime's back
     * ({@link #attach}, {@link #detach}, {@link #faults(FaultConfig)}).
     */
    public <T> T withInterface(Function<? super Interface, ? extends T> action) {
        return withLock(iface, action);
    }

    /**
     * Creates a TCP socket with rings of {@code rxBytes} and {@code txBytes}, adds it to the set and returns
     * it as a {@link TcpConnection}.
     *
     * @throws IllegalStateException when the set is full
     * @throws IllegalArgumentException when a size is below 1
     */
    public TcpConnection tcp(int rxBytes, int txBytes) {
        return tcp(new TcpSocket(rxBytes, txBytes));
    }

    /**
     * Adds {@code socket} to the set and returns it as a {@link TcpConnection}; the socket belongs to the
     * runtime from now on (use it through the connection).
     *
     * @throws IllegalStateException when the set is full
     * @throws IllegalArgumentException when the socket is null or already in the set
     */
    public TcpConnection tcp(TcpSocket socket) {
        return tcp(socket, null);
    }

    /** Adds {@code socket} for {@code scope}'s owner (null: the runtime's own) as a {@link TcpConnection}. */
    TcpConnection tcp(TcpSocket socket, SocketSetView scope) {
        lock.lock();
        try {
            SocketHandle handle = scope == null ? sockets.add(socket) : scope.add(socket);
            TcpConnection connection = new TcpConnection(this, handle, socket);
            adopt(connection);
            return connection;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Listens on {@code port} of every address with a backlog of {@code backlog} connections, each with
     * rings of {@code rxBytes} and {@code txBytes} (reserved in the set now: see
     * {@link SocketSet#listen}), and returns the server whose {@link TcpServer#accept} hands them over.
     *
     * @throws IllegalStateException when the set has no room for the backlog
     * @throws IllegalArgumentException for a port of 0, a backlog or ring below 1, or a port already
     *     listened on
     */
    public TcpServer listen(int port, int backlog, int rxBytes, int txBytes) {
        return listen(port, backlog, rxBytes, txBytes, null);
    }

    /** Listens for {@code scope}'s owner (null: the runtime's own); see {@link #listen(int, int, int, int)}. */
    TcpServer listen(int port, int backlog, int rxBytes, int txBytes, SocketSetView scope) {
        lock.lock();
        try {
            TcpServer server = new TcpServer(this, scope == null ? sockets.listen(port, backlog, rxBytes, txBytes)
                    : scope.listen(port, backlog, rxBytes, txBytes));
            servers.add(server);
            return server;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the TCP socket already in the set under {@code handle} as a {@link TcpConnection}: the same
     * object for the same handle.
     *
     * @throws IllegalArgumentException when the handle names no socket of the set, or not a TCP one
     */
    public TcpConnection tcp(SocketHandle handle) {
        lock.lock();
        try {
            TcpSocket socket = sockets.get(handle, TcpSocket.class);
            if (bySlot[handle.slot()] instanceof TcpConnection existing && existing.handle().equals(handle)) {
                return existing;
            }
            TcpConnection connection = new TcpConnection(this, handle, socket);
            adopt(connection);
            return connection;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code socket} to the set and returns it as a {@link UdpEndpoint}; the socket belongs to the
     * runtime from now on.
     *
     * @throws IllegalStateException when the set is full
     * @throws IllegalArgumentException when the socket is null or already in the set
     */
    public UdpEndpoint udp(UdpSocket socket) {
        return udp(socket, null);
    }

    /** Adds {@code socket} for {@code scope}'s owner (null: the runtime's own) as a {@link UdpEndpoint}. */
    UdpEndpoint udp(UdpSocket socket, SocketSetView scope) {
        lock.lock();
        try {
            SocketHandle handle = scope == null ? sockets.add(socket) : scope.add(socket);
            UdpEndpoint endpoint = new UdpEndpoint(this, handle, socket);
            adopt(endpoint);
            return endpoint;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds {@code socket} to the set and returns it as an {@link IcmpEndpoint}, to send echo requests and
     * receive their replies; the socket belongs to the runtime from now on.
     *
     * @throws IllegalStateException when the set is full
     * @throws IllegalArgumentException when the socket is null or already in the set
     */
    public IcmpEndpoint icmp(IcmpSocket socket) {
        return icmp(socket, null);
    }

    /** Adds {@code socket} for {@code scope}'s owner (null: the runtime's own) as an {@link IcmpEndpoint}. */
    IcmpEndpoint icmp(IcmpSocket socket, SocketSetView scope) {
        lock.lock();
        try {
            SocketHandle handle = scope == null ? sockets.add(socket) : scope.add(socket);
            IcmpEndpoint endpoint = new IcmpEndpoint(this, handle, socket);
            adopt(endpoint);
            return endpoint;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Returns the sockets of {@code owner} on this runtime: a {@link SocketSetService} whose sockets are
     * recorded under the owner's name and end together when it is closed (for a bundle, a component, a
     * session). Safe from any thread.
     *
     * @throws IllegalArgumentException when the owner's name is null or blank
     * @throws IllegalStateException when the owner has sockets of this runtime open already (close those
     *     first), or the runtime is stopped
     */
    public SocketSetService scope(String owner) {
        lock.lock();
        try {
            if (phase == Phase.STOPPED) {
                throw new IllegalStateException("runtime " + name + " is stopped");
            }
            return new ScopedSockets(this, sockets.view(owner));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the sockets of {@code scope}'s owner (see {@link SocketSetService#close()}): its servers and
     * listeners closed, its connections aborted, every call on them ended with a message naming the owner,
     * and wakes the loop, which sends the resets.
     */
    void closeScope(SocketSetView scope) {
        lock.lock();
        try {
            if (scope.isClosed()) {
                return;
            }
            String message = "socket closed: the sockets of " + scope.owner() + " were closed";
            for (TcpServer server : List.copyOf(servers)) {
                if (scope.owner().equals(server.owner())) {
                    server.close();
                }
            }
            scope.close();
            for (int i = 0; i < bySlot.length; i++) {
                RuntimeSocket socket = bySlot[i];
                if (socket != null && !sockets.contains(socket.handle())) {
                    socket.release(message);
                    bySlot[i] = null;
                }
            }
        } finally {
            lock.unlock();
        }
        wakeup.post();
    }

    /**
     * Makes {@code socket} the application's view of its slot. The one there before, if any, holds a socket
     * removed through {@link #withSockets} before the loop saw it go (the slot was taken again at once): its
     * calls end now, as the loop's next poll would have ended them. Lock held.
     */
    private void adopt(RuntimeSocket socket) {
        int slot = socket.handle().slot();
        RuntimeSocket previous = bySlot[slot];
        if (previous != null && previous != socket && !sockets.contains(previous.handle())) {
            previous.release();
        }
        bySlot[slot] = socket;
    }

    /**
     * Returns a snapshot of what the loop has done: polls, callbacks run, failed and slow, failed polls.
     * Safe from any thread.
     */
    public RuntimeStatistics statistics() {
        return new RuntimeStatistics(polls, callbacks, callbackFailures, slowCallbacks, pollFailures);
    }

    /**
     * Returns the runtime, its interface and every socket of its set as they are now, copied in one hold of
     * the lock into an immutable record: consistent with each other, and safe to keep and to read on any
     * thread while the loop runs. Does not wake the loop; allocates (off the packet path). Safe from any
     * thread, at any phase; on the loop thread (in a callback) it reads what the poll just left.
     */
    @Override
    public RuntimeSnapshot snapshot() {
        lock.lock();
        try {
            return new RuntimeSnapshot(name, phase.name().toLowerCase(java.util.Locale.ROOT), clock.getAsLong(),
                    statistics(), iface.snapshot(), sockets.capacity(), sockets.snapshot());
        } finally {
            lock.unlock();
        }
    }

    /** Adds a frame observer with the lock held, so that it never joins a poll half-way; see {@link InterfaceService}. */
    @Override
    public void addObserver(FrameObserver observer) {
        withLock(iface, i -> {
            i.addObserver(observer);
            return null;
        });
    }

    /** Removes a frame observer with the lock held: no call to it is under way when this returns. */
    @Override
    public boolean removeObserver(FrameObserver observer) {
        return withLock(iface, i -> i.removeObserver(observer));
    }

    /** Returns how long a stop lets connections close gracefully; also each connection's default linger. */
    public Duration linger() {
        return Duration.ofNanos(lingerNanos);
    }

    /** Returns e.g. {@code runtime eth0 (running)}: the name and the phase; safe from any thread. */
    @Override
    public String toString() {
        return "runtime " + name + " (" + phase.name().toLowerCase() + ")";
    }

    // ------------------------------------------------------------ for the sockets of this package

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** A thread began to wait in {@link Waiters#await}: the loop's unpark list grows to hold it. Lock held. */
    void waiterAdded() {
        waiterCount++;
        if (deferred.length < waiterCount) {
            deferred = Arrays.copyOf(deferred, waiterCount * 2); // on the waiting thread, not the loop
        }
    }

    /** A thread stopped waiting in {@link Waiters#await}. Lock held. */
    void waiterRemoved() {
        waiterCount--;
    }

    /**
     * Keeps {@code thread} to unpark once the loop has released the lock ({@link #unparkDeferred}), so that
     * it does not wake into a held lock. Loop thread, lock held.
     */
    void deferUnpark(Thread thread) {
        if (deferredCount < deferred.length) {
            deferred[deferredCount++] = thread;
        } else {
            LockSupport.unpark(thread); // the same thread woken twice in one turn: no room, and no need to wait
        }
    }

    /** Takes the threads that waits woke during this turn, to unpark after the unlock. Loop thread, lock held. */
    private void takeDeferred() {
        unparking = deferred;
        unparkingCount = deferredCount;
        deferredCount = 0;
    }

    /** Unparks what {@link #takeDeferred} took. Loop thread, lock released. */
    private void unparkTaken() {
        for (int i = 0; i < unparkingCount; i++) {
            LockSupport.unpark(unparking[i]);
            unparking[i] = null; // only the loop writes this array, and it holds no thread beyond its turn
        }
        unparkingCount = 0;
    }

    /**
     * Applies {@code action} to {@code target} with the lock held, then wakes the loop (the action may have
     * made work): the body of every {@code with...} method of the runtime and its sockets.
     */
    <S, T> T withLock(S target, Function<? super S, ? extends T> action) {
        lock.lock();
        try {
            return action.apply(target);
        } finally {
            lock.unlock();
            wakeup.post();
        }
    }

    /** Makes the loop poll again promptly: an operation made work. Any thread, lock held or not. */
    void wake() {
        wakeup.post();
    }

    long lingerNanos() {
        return lingerNanos;
    }

    boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    /** True once a stop has begun. */
    boolean isStopping() {
        Phase p = phase;
        return p == Phase.STOPPING || p == Phase.STOPPED;
    }

    /** Throws "runtime stopped" once a stop has begun. */
    void checkNotStopping() throws SocketException {
        if (isStopping()) {
            throw new SocketException("runtime stopped");
        }
    }

    /**
     * Throws when the calling thread must not wait: on the loop thread, which would wait for itself
     * ({@link IllegalStateException}), or once a stop has begun ("runtime stopped").
     */
    void checkMayWait(String what) throws SocketException {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException(what + " would block the runtime's loop thread, which it waits for:"
                    + " in a callback, use non-blocking calls and arm the callback again");
        }
        checkNotStopping();
    }

    /**
     * Returns a local port in 49152..65535 that no TCP socket of the set uses, going round from a random
     * start. Lock held.
     *
     * @throws IllegalStateException when every one is in use
     */
    int ephemeralPort() {
        int count = 65536 - EPHEMERAL_FIRST;
        for (int tries = 0; tries < count; tries++) {
            int port = nextEphemeral;
            nextEphemeral = port == 65535 ? EPHEMERAL_FIRST : port + 1;
            if (!tcpPortInUse(port)) {
                return port;
            }
        }
        throw new IllegalStateException("every ephemeral port is in use");
    }

    private boolean tcpPortInUse(int port) {
        for (int i = 0; i < sockets.capacity(); i++) {
            if (sockets.slot(i) instanceof TcpSocket tcp && tcp.localEndpoint() != null
                    && tcp.localEndpoint().port() == port) {
                return true;
            }
        }
        return false;
    }

    /** Runs one readiness callback of {@code socket}, measured; what it throws is caught. Loop thread, lock held. */
    void runCallback(RuntimeSocket socket, Runnable callback) {
        long start = System.nanoTime();
        try {
            callback.run();
        } catch (VirtualMachineError e) {
            throw e; // the JVM is failing: nothing the loop could go on with
        } catch (Throwable failure) {
            report(() -> listener.callbackFailed(socket, failure));
            callbackFailures++; // after the report: whoever sees the count can find the report
        }
        long elapsed = System.nanoTime() - start;
        callbacks++;
        if (elapsed > slowCallbackNanos) {
            report(() -> listener.callbackSlow(socket, elapsed));
            slowCallbacks++;
        }
    }

    // ------------------------------------------------------------ the loop

    private void loop() {
        try {
            while (true) {
                Device device;
                long timeout;
                boolean refused;
                lockFromLoop();
                try {
                    long now = clock.getAsLong();
                    long busyBefore = iface.statistics().drops(IfaceDrop.DEVICE_BUSY);
                    long next = poll(now);
                    refused = iface.statistics().drops(IfaceDrop.DEVICE_BUSY) != busyBefore;
                    afterPoll();
                    if (phase == Phase.STOPPING) {
                        long left = stopDeadline - System.nanoTime();
                        if (left <= 0 || connectionsSettled()) {
                            abortAllConnections();
                            poll(clock.getAsLong()); // the RSTs leave
                            return;
                        }
                        next = Math.min(next, now + (left + 999) / 1000);
                    }
                    device = iface.device();
                    long at = device == null ? next : Math.min(next, device.pollAt(now));
                    timeout = at == Long.MAX_VALUE ? -1 : Math.max(0, at - now);
                    takeDeferred();
                } finally {
                    lock.unlock();
                }
                unparkTaken();
                try {
                    if (device == null) {
                        wakeup.await(timeout);
                    } else {
                        device.await(wakeup, timeout, refused);
                    }
                } catch (InterruptedException e) {
                    // Only stop() ends the loop: an interrupt from elsewhere is no stop request, and the
                    // interrupt status is cleared so that the next wait blocks again.
                }
            }
        } finally {
            finish();
        }
    }

    /**
     * Takes the lock for the loop without queueing for it while application threads hold it briefly:
     * spins, then yields, and queues only when a holder keeps it unusually long. Queueing costs an
     * allocation (the lock's wait node) and a park per contended acquisition, which at the rate the
     * loop takes the lock (once per poll) would be the loop's only per-packet allocation.
     */
    private void lockFromLoop() {
        for (int turn = 0; !lock.tryLock(); turn++) {
            if (turn < LOOP_LOCK_SPINS) {
                Thread.onSpinWait();
            } else if (turn < LOOP_LOCK_SPINS + LOOP_LOCK_YIELDS) {
                Thread.yield();
            } else {
                lock.lock();
                return;
            }
        }
    }

    /** Polls the interface; a poll that throws is counted and reported, and the next comes after a pause. */
    private long poll(long now) {
        polls++;
        try {
            return iface.poll(now);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable failure) {
            report(() -> listener.pollFailed(failure));
            pollFailures++;
            return now + POLL_FAILURE_PAUSE_MICROS;
        }
    }

    /**
     * After a poll, lock held: takes the released sockets that are done out of the set, forgets the views
     * of sockets removed behind them, wakes the waiters whose condition holds, then runs the due callbacks.
     */
    private void afterPoll() {
        for (int i = 0; i < bySlot.length; i++) {
            RuntimeSocket socket = bySlot[i];
            if (socket == null) {
                continue;
            }
            if (!sockets.contains(socket.handle())) {
                socket.release(); // removed through withSockets: its calls end
                bySlot[i] = null;
            } else if (socket.released() && socket.mayLeaveSet()) {
                sockets.remove(socket.handle());
                bySlot[i] = null;
            } else {
                socket.afterPoll();
            }
        }
        // Indexed loops here and below: this runs after every poll, and an iterator is an allocation.
        for (int i = servers.size() - 1; i >= 0; i--) {
            TcpServer server = servers.get(i);
            server.afterPoll();
            if (server.isClosed()) {
                servers.remove(i); // from the end down, so that the indexes still to visit stay put
            }
        }
        for (int i = 0; i < bySlot.length; i++) {
            RuntimeSocket socket = bySlot[i];
            if (socket != null) {
                socket.runDueCallbacks(); // may close sockets or add some: the array is re-read each turn
            }
        }
    }

    /** Closes every TCP connection of the set gracefully: the start of a stop. Lock held. */
    private void closeAllConnections() {
        for (int i = 0; i < sockets.capacity(); i++) {
            if (sockets.slot(i) instanceof TcpSocket tcp) {
                tcp.close();
            }
        }
    }

    /** True when every TCP connection has closed both ways (or never was open). Lock held. */
    private boolean connectionsSettled() {
        for (int i = 0; i < sockets.capacity(); i++) {
            if (sockets.slot(i) instanceof TcpSocket tcp && tcp.isActive()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The end of a stop's linger, lock held: aborts (RST) every TCP connection that has not closed both
     * ways. Nothing answers for this interface once the runtime is gone, so a peer still sending, or still
     * to send its FIN, learns so from the RST instead of retransmitting into the void until it times out.
     */
    private void abortAllConnections() {
        for (int i = 0; i < sockets.capacity(); i++) {
            if (sockets.slot(i) instanceof TcpSocket tcp && tcp.isActive()) {
                tcp.abort();
            }
        }
    }

    private void wakeAllWaiters() {
        for (RuntimeSocket socket : bySlot) {
            if (socket != null) {
                socket.wakeAll();
            }
        }
        for (int i = 0; i < servers.size(); i++) {
            servers.get(i).wakeAll();
        }
    }

    /** The loop's end, normal or not: the runtime is stopped, the waiters told, the device detached and closed. */
    private void finish() {
        Device device;
        lock.lock();
        try {
            phase = Phase.STOPPED;
            device = iface.detach();
            wakeAllWaiters();
            takeDeferred();
        } finally {
            lock.unlock();
        }
        unparkTaken();
        closeDevice(device);
        stopCapture();
    }

    private void closeDevice(Device device) {
        if (closesDevice && device instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.getLogger(InterfaceRuntime.class.getName())
                        .log(System.Logger.Level.WARNING, "closing " + device + " failed", e);
            }
        }
    }

    /** Tells the listener; what the listener throws is swallowed (the problem is counted already). */
    private void report(Runnable telling) {
        try {
            telling.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable ignored) {
            // a failing listener must not end the loop either
        }
    }

    /**
     * Builds an {@link InterfaceRuntime}. Not thread-safe; build once.
     */
    public static final class Builder {
        private final Interface iface;
        private String name;
        private Duration linger = DEFAULT_LINGER;
        private Duration slowCallbackThreshold = DEFAULT_SLOW_CALLBACK_THRESHOLD;
        private RuntimeListener listener = RuntimeListener.logging();
        private LongSupplier clock;
        private boolean closeDeviceOnStop = true;
        private Long faultSeed;

        private Builder(Interface iface) {
            this.iface = iface;
        }

        /** Sets the name the loop thread carries ({@code smol-runtime <name>}); by default the first address. */
        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("runtime name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets how long {@link InterfaceRuntime#stop()} lets connections close gracefully before it aborts
         * them, and the default linger of {@link TcpConnection#close()}; {@link #DEFAULT_LINGER} by default.
         *
         * @throws IllegalArgumentException when null or negative
         */
        public Builder linger(Duration linger) {
            if (linger == null || linger.isNegative()) {
                throw new IllegalArgumentException("linger must be zero or positive: " + linger);
            }
            this.linger = linger;
            return this;
        }

        /**
         * Sets how long a readiness callback may run before it is counted and reported as slow;
         * {@link #DEFAULT_SLOW_CALLBACK_THRESHOLD} by default.
         *
         * @throws IllegalArgumentException when null or negative
         */
        public Builder slowCallbackThreshold(Duration threshold) {
            if (threshold == null || threshold.isNegative()) {
                throw new IllegalArgumentException("slow-callback threshold must be zero or positive: " + threshold);
            }
            this.slowCallbackThreshold = threshold;
            return this;
        }

        /** Sets who hears of failed and slow callbacks and failed polls; by default they are logged. */
        public Builder listener(RuntimeListener listener) {
            if (listener == null) {
                throw new IllegalArgumentException("listener must not be null");
            }
            this.listener = listener;
            return this;
        }

        /**
         * Sets the stack's clock, in microseconds, never going back; by default {@link System#nanoTime()}
         * from when the runtime is built. Read by the loop thread only.
         */
        public Builder clock(LongSupplier micros) {
            if (micros == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = micros;
            return this;
        }

        /**
         * Sets whether the stop closes the device attached then when it is {@link AutoCloseable}; true by
         * default. An OSGi component whose device is another bundle's service sets false.
         */
        public Builder closeDeviceOnStop(boolean close) {
            this.closeDeviceOnStop = close;
            return this;
        }

        /**
         * Sets the seed of the fault injector's random decisions ({@link InterfaceRuntime#faults(FaultConfig)}),
         * so that a run can be repeated; by default a random one, drawn when the runtime is built.
         */
        public Builder faultSeed(long seed) {
            this.faultSeed = seed;
            return this;
        }

        /** Builds the runtime, not started; the interface belongs to it from now on. */
        public InterfaceRuntime build() {
            return new InterfaceRuntime(this);
        }
    }
}
