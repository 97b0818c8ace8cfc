package smol.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.InterfaceStatisticsSnapshot;
import smol.iface.TcpConnection;
import smol.iface.TcpServer;
import smol.phy.Device;
import smol.phy.DeviceProviders;
import smol.phy.linux.NetworkNamespace;
import smol.socket.SocketSet;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Cidr;

/**
 * {@code ./smol bench tap reader|writer|ping [OPTIONS]}: the stack against the Linux kernel over a TAP
 * device, the counterpart of smoltcp's {@code benchmark} example ({@code benchmark --tap tap0 reader|writer}).
 *
 * <p>The command makes a throw-away network namespace {@code smol-bench-XXXX} ({@code ip netns add}), and in
 * it the TAP {@value #TAP} at the MTU asked for, with the kernel's side at {@value #KERNEL_ADDRESS}, up. The
 * stack is an {@link Interface} ({@value #MAC}, {@value #ADDRESS}) on an {@link InterfaceRuntime} thread, with
 * sockets of {@value #BUFFER_BYTES}-byte rings. The kernel's side is an ordinary {@code java.net.Socket} of
 * this process, made inside the namespace ({@link NetworkNamespace#run}) with 64 KiB send and receive
 * buffers unless {@code --kernel-buffers} says otherwise ({@code auto}: the kernel's defaults and autotuning,
 * as smoltcp's benchmark leaves them):
 * <ul>
 *   <li>{@code reader}: the kernel connects to port {@value #READER_PORT} and reads {@code --bytes} that an
 *       application thread of the stack writes; the kernel checks every byte against the {@link StreamPattern};</li>
 *   <li>{@code writer}: the kernel connects to port {@value #WRITER_PORT} and writes {@code --bytes}; the
 *       stack's application thread reads and checks them. The clock stops when the stack has read the last
 *       byte (smoltcp's stops when its kernel client has handed the last byte to its socket);</li>
 *   <li>{@code ping}: {@code ping -c N -i 0.01 -s 56 -q 192.168.69.1} from the namespace; the stack's loop
 *       thread answers.</li>
 * </ul>
 * The clock starts once the connection is established, as smoltcp's. The namespace, and the TAP with it,
 * is deleted at the end, also after a failure or Ctrl-C (a shutdown hook).
 *
 * <p>Output, one {@code key: value} a line: {@code settings}, {@code done in} (or {@code failed after}),
 * {@code throughput}, {@code allocated on the loop thread}, {@code verified}, {@code frames}; for ping, the
 * {@code settings}, ping's summary and its {@code rtt} line. Exit codes: 0 done (byte-exact); 1 failed, or
 * not privileged, with a one-line reason on the error stream; 2 bad usage. Needs root (CAP_NET_ADMIN and
 * CAP_SYS_ADMIN, to make and enter the namespace) and the TAP device (smol.phy.tap) on the class path.
 */
final class TapBenchmark {
    static final String USAGE = "usage: ./smol bench tap reader|writer|ping [--bytes N] [--mtu M] [--kernel-buffers N|auto]"
            + " [--count N]";
    /** The TAP's name inside the namespace. */
    static final String TAP = "smoltap0";
    /** The stack's MAC address and its address and prefix, as smoltcp's example. */
    static final String MAC = "02-00-00-00-00-01";
    static final String ADDRESS = "192.168.69.1/24";
    /** The kernel side's address and prefix. */
    static final String KERNEL_ADDRESS = TapSetup.KERNEL_ADDRESS;
    /** Where the kernel reads from the stack, and where it writes to it: smoltcp's example's ports. */
    static final int READER_PORT = 1234;
    static final int WRITER_PORT = 1235;
    /** The rings of the stack's sockets and the kernel socket's buffers, each way. */
    static final int BUFFER_BYTES = 65536;
    /** How long a read, a write or the handshake may wait without progress before the run is declared stalled. */
    static final Duration STALL = Duration.ofSeconds(30);
    /** Ping's payload and interval, as the anchor measures smoltcp's server. */
    static final int PING_BYTES = 56;
    static final String PING_INTERVAL = "0.01";
    /** CAP_NET_ADMIN and CAP_SYS_ADMIN, bits of /proc/self/status's CapEff. */
    private static final long NEEDED_CAPABILITIES = (1L << 12) | (1L << 21);

    /** What the kernel does. */
    enum Mode {
        READER, WRITER, PING;

        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What to run.
     *
     * @param mode reader, writer or ping
     * @param bytes the bytes to move (reader, writer), at least 1
     * @param mtu the TAP's MTU, 576..9000
     * @param kernelBuffers the kernel socket's send and receive buffer sizes (SO_SNDBUF, SO_RCVBUF), or 0 to
     *     leave the kernel's defaults and its autotuning, as smoltcp's benchmark does
     * @param pings how many echo requests (ping), 1..100000
     */
    record Settings(Mode mode, long bytes, int mtu, int kernelBuffers, int pings) {}

    private TapBenchmark() {}

    /** Runs the command with its arguments (after {@code bench tap}); returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("smol bench tap: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (settings == null) {
            help(out);
            return 0;
        }
        if (!privileged(readStatus())) {
            err.println("smol bench tap: needs root (CAP_NET_ADMIN): sudo ./smol bench tap " + settings.mode().word());
            return 1;
        }
        if (!DeviceProviders.kinds().contains("tap")) {
            err.println("smol bench tap: the TAP device (smol.phy.tap) is not on the class path (device kinds found: "
                    + String.join(", ", DeviceProviders.kinds()) + ")");
            return 1;
        }
        try (ThrowAwayNamespace ns = ThrowAwayNamespace.create()) {
            setUpKernelSide(ns, settings.mtu());
            Device device = DeviceProviders.open("tap", TAP, Map.of("netns", ns.name()));
            InterfaceRuntime runtime = runtime(device);
            try {
                String failure = settings.mode() == Mode.PING
                        ? ping(ns, settings, out)
                        : transfer(ns, runtime, settings, out);
                if (failure != null) {
                    err.println("smol bench tap: " + failure);
                    return 1;
                }
                return 0;
            } finally {
                runtime.stop(); // closes the TAP
            }
        } catch (IOException | RuntimeException e) {
            err.println("smol bench tap: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
    }

    /** Creates the TAP persistent at {@code mtu} (the device reads its MTU when it opens), its address, up. */
    private static void setUpKernelSide(ThrowAwayNamespace ns, int mtu) throws IOException {
        ns.check("ip", "link", "set", "lo", "up");
        ns.check("ip", "tuntap", "add", "name", TAP, "mode", "tap");
        ns.check("ip", "link", "set", "dev", TAP, "mtu", Integer.toString(mtu));
        ns.run("sysctl", "-qw", "net.ipv6.conf." + TAP + ".disable_ipv6=1"); // only IPv4 on the wire; optional
        ns.check("ip", "addr", "add", KERNEL_ADDRESS, "dev", TAP);
        ns.check("ip", "link", "set", "dev", TAP, "up");
    }

    /** The stack: one interface on the TAP, on a runtime thread of its own, started. */
    private static InterfaceRuntime runtime(Device device) {
        Interface iface = new Interface(InterfaceConfig.builder().mac(EthernetAddress.parse(MAC))
                .address(Ipv4Cidr.parse(ADDRESS)).build(), new SocketSet(4));
        InterfaceRuntime runtime = InterfaceRuntime.builder(iface).name("bench-tap").build();
        runtime.attach(device);
        runtime.start();
        return runtime;
    }

    /** Runs ping from the namespace to the stack and prints its summary; returns null, or why it failed. */
    private static String ping(ThrowAwayNamespace ns, Settings settings, PrintStream out) throws IOException {
        String target = ADDRESS.substring(0, ADDRESS.indexOf('/'));
        out.printf(Locale.ROOT, "settings: pings=%d size=%d interval=%ss mtu=%d path=kernel %s -> TAP %s -> smol %s"
                + " (its runtime thread answers) netns=%s%n", settings.pings(), PING_BYTES, PING_INTERVAL,
                settings.mtu(), KERNEL_ADDRESS, TAP, ADDRESS, ns.name());
        out.flush();
        TapSetup.Result result = ns.run("ping", "-c", Integer.toString(settings.pings()), "-i", PING_INTERVAL,
                "-s", Integer.toString(PING_BYTES), "-q", target);
        for (String line : result.output().split("\n")) {
            if (line.contains("packets transmitted")) {
                out.println("ping: " + line.strip());
            } else if (line.startsWith("rtt") || line.startsWith("round-trip")) {
                out.println(line.strip());
            }
        }
        out.flush();
        return result.exitCode() == 0 ? null
                : "ping exited " + result.exitCode() + ": " + result.output().strip().replace('\n', ' ');
    }

    /** Moves the bytes between the kernel and the stack, prints the figures; returns null, or why it failed. */
    private static String transfer(ThrowAwayNamespace ns, InterfaceRuntime runtime, Settings settings, PrintStream out)
            throws IOException {
        boolean reader = settings.mode() == Mode.READER;
        int port = reader ? READER_PORT : WRITER_PORT;
        out.printf(Locale.ROOT, "settings: mode=%s (the kernel %s) bytes=%d mtu=%d buffers=%d kernel-buffers=%s path=kernel"
                + " %s -> TAP %s -> smol %s port %d, one runtime thread netns=%s%n", settings.mode().word(),
                reader ? "reads from the stack" : "writes to the stack", settings.bytes(), settings.mtu(), BUFFER_BYTES,
                settings.kernelBuffers() == 0 ? "auto" : Integer.toString(settings.kernelBuffers()), KERNEL_ADDRESS,
                TAP, ADDRESS, port, ns.name());
        out.flush();
        StreamPattern pattern = new StreamPattern();
        AtomicReference<String> failure = new AtomicReference<>();
        Progress progress = new Progress(settings.bytes(), runtime.threadId(), AllocationMeter.create());
        TcpServer server = runtime.listen(port, 1, BUFFER_BYTES, BUFFER_BYTES).acceptTimeout(STALL);
        Socket kernel = connectFrom(ns, port, settings.kernelBuffers());
        Thread helper = null;
        try {
            TcpConnection stack = server.accept().readTimeout(STALL).writeTimeout(STALL);
            progress.start();
            if (reader) {
                helper = start("stack writer", failure, () -> write(stack.outputStream(), pattern, settings.bytes()));
                receive(kernel.getInputStream(), pattern, progress, failure, "the kernel");
            } else {
                helper = start("kernel writer", failure, () -> {
                    write(kernel.getOutputStream(), pattern, settings.bytes());
                    kernel.shutdownOutput();
                });
                receive(stack.inputStream(), pattern, progress, failure, "the stack");
            }
            progress.stop();
            helper.join(STALL.toMillis());
        } catch (IOException e) {
            failure.compareAndSet(null, e.toString());
            progress.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, "interrupted");
            progress.stop();
        } finally {
            kernel.close(); // ends a helper blocked on the kernel's socket; the runtime's stop ends one on the stack's
        }
        progress.report(out, failure.get() == null, runtime.snapshot().iface().statistics());
        return failure.get();
    }

    /**
     * Makes the kernel's socket inside the namespace, with buffers of {@code buffers} bytes (0: the kernel's
     * defaults), and connects it to the stack.
     */
    private static Socket connectFrom(ThrowAwayNamespace ns, int port, int buffers) throws IOException {
        String address = ADDRESS.substring(0, ADDRESS.indexOf('/'));
        return NetworkNamespace.of(ns.name()).run(() -> {
            Socket socket = new Socket();
            try {
                if (buffers > 0) { // before connecting, so that the window scale offered in the SYN fits them
                    socket.setReceiveBufferSize(buffers);
                    socket.setSendBufferSize(buffers);
                }
                socket.setSoTimeout((int) STALL.toMillis());
                socket.connect(new InetSocketAddress(address, port), (int) STALL.toMillis());
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        });
    }

    /** Writes {@code bytes} of the pattern from its first byte on. */
    private static void write(OutputStream out, StreamPattern pattern, long bytes) throws IOException {
        for (long written = 0; written < bytes; ) {
            int n = (int) Math.min(StreamPattern.MAX_STRETCH, bytes - written);
            out.write(pattern.bytes(), StreamPattern.offsetOf(written), n);
            written += n;
        }
        out.flush();
    }

    /** Reads the whole transfer, checking every byte against the pattern; records a failure instead of throwing. */
    private static void receive(InputStream in, StreamPattern pattern, Progress progress,
            AtomicReference<String> failure, String who) throws IOException {
        byte[] buf = new byte[StreamPattern.MAX_STRETCH];
        while (progress.received < progress.total && failure.get() == null) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, progress.total - progress.received));
            if (n < 0) {
                failure.compareAndSet(null, "the connection ended after " + progress.received + " bytes");
                return;
            }
            int bad = pattern.mismatch(progress.received, buf, 0, n);
            if (bad >= 0) {
                failure.compareAndSet(null, who + " read byte " + (progress.received + bad) + " as "
                        + (buf[bad] & 0xff) + ", expected " + pattern.byteAt(progress.received + bad));
                progress.received(bad);
                return;
            }
            progress.received(n);
        }
    }

    /** The bytes received, the clock, and the loop thread's allocation from the steady state on. */
    private static final class Progress {
        final long total;
        private final long loopThread;
        private final AllocationMeter meter;
        long received;
        private long startNanos;
        private long nanos = -1;
        private long steadyBytes = -1;
        private long steadyAllocated = -1;
        private long allocated = -1;

        Progress(long total, long loopThread, AllocationMeter meter) {
            this.total = total;
            this.loopThread = loopThread;
            this.meter = loopThread < 0 ? null : meter;
        }

        void start() {
            startNanos = System.nanoTime();
        }

        void received(int n) {
            received += n;
            if (steadyBytes < 0 && received >= total / 8 && meter != null) {
                steadyBytes = received;
                steadyAllocated = meter.allocatedBytes(loopThread);
            }
        }

        void stop() {
            if (nanos < 0) {
                nanos = startNanos == 0 ? 0 : System.nanoTime() - startNanos;
                if (steadyAllocated >= 0) {
                    long now = meter.allocatedBytes(loopThread);
                    allocated = now < 0 ? -1 : now - steadyAllocated;
                }
            }
        }

        void report(PrintStream out, boolean done, InterfaceStatisticsSnapshot statistics) {
            out.printf(Locale.ROOT, "%s: %.3f s%n", done ? "done in" : "failed after", nanos / 1e9);
            out.printf(Locale.ROOT, "throughput: %.3f Gbps%n", nanos <= 0 ? 0.0 : received * 8.0 / nanos);
            long steady = received - steadyBytes;
            if (allocated >= 0 && steady > 0) {
                out.printf(Locale.ROOT, "allocated on the loop thread: %d bytes per MiB moved (%d bytes while moving"
                        + " the last %d bytes)%n", allocated * 1_048_576 / steady, allocated, steady);
            } else {
                out.println("allocated on the loop thread: not measured (the JVM does not count it, or the run ended"
                        + " early)");
            }
            out.println("verified: " + received + (done ? "" : " of " + total) + " bytes byte-exact");
            out.println("frames: in " + statistics.framesIn() + " (" + statistics.bytesIn() + " B), out "
                    + statistics.framesOut() + " (" + statistics.bytesOut() + " B), dropped "
                    + statistics.receivedDrops() + " in and " + statistics.sendDrops() + " out");
            out.flush();
        }
    }

    /** A body that may throw. */
    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, AtomicReference<String> failure, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                failure.compareAndSet(null, name + ": " + e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * A network namespace {@code smol-bench-XXXX} made for one run and deleted at its end, or by a shutdown
     * hook when the JVM ends first (Ctrl-C). Runs commands inside it with {@code ip netns exec}.
     */
    static final class ThrowAwayNamespace implements AutoCloseable {
        private final String name;
        private final AtomicBoolean deleted = new AtomicBoolean();
        private final Thread hook;

        private ThrowAwayNamespace(String name) {
            this.name = name;
            this.hook = new Thread(this::delete, "smol bench tap: delete " + name);
        }

        /** Makes a namespace of a fresh name; it is deleted on {@link #close} or when the JVM ends. */
        static ThrowAwayNamespace create() throws IOException {
            String name = String.format(Locale.ROOT, "smol-bench-%04x", ThreadLocalRandom.current().nextInt(0x10000));
            TapSetup.Result added = TapSetup.SYSTEM.run(List.of("ip", "netns", "add", name));
            if (added.exitCode() != 0) {
                throw new IOException("'ip netns add " + name + "' failed (exit " + added.exitCode() + "): "
                        + added.output());
            }
            ThrowAwayNamespace ns = new ThrowAwayNamespace(name);
            Runtime.getRuntime().addShutdownHook(ns.hook);
            return ns;
        }

        String name() {
            return name;
        }

        /** Runs {@code command} inside the namespace and returns how it ended. */
        TapSetup.Result run(String... command) throws IOException {
            List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
            full.addAll(List.of(command));
            return TapSetup.SYSTEM.run(full);
        }

        /** Runs {@code command} inside the namespace; it must succeed. */
        void check(String... command) throws IOException {
            TapSetup.Result result = run(command);
            if (result.exitCode() != 0) {
                throw new IOException("'ip netns exec " + name + " " + String.join(" ", command) + "' failed (exit "
                        + result.exitCode() + ")" + (result.output().isEmpty() ? "" : ": " + result.output()));
            }
        }

        /** Deletes the namespace, with the TAP in it. */
        @Override
        public void close() {
            delete();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran: it found the namespace deleted
            }
        }

        private void delete() {
            if (deleted.compareAndSet(false, true)) {
                try {
                    TapSetup.SYSTEM.run(List.of("ip", "netns", "delete", name));
                } catch (IOException e) {
                    System.err.println("smol bench tap: could not delete namespace " + name + ": " + e.getMessage()
                            + " (remove it with: sudo ip netns delete " + name + ")");
                }
            }
        }
    }

    /** Reads {@code /proc/self/status}; empty when it cannot (not Linux). */
    private static String readStatus() {
        try {
            return Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Returns true when the effective capabilities in {@code status} (the text of {@code /proc/self/status})
     * hold CAP_NET_ADMIN and CAP_SYS_ADMIN, as root's do.
     */
    static boolean privileged(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                try {
                    long effective = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                    return (effective & NEEDED_CAPABILITIES) == NEEDED_CAPABILITIES;
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    /**
     * Parses the arguments; returns null when help was asked for.
     *
     * @throws IllegalArgumentException naming the bad mode, option or value
     */
    static Settings parse(String[] args) {
        Mode mode = null;
        long bytes = 1_000_000_000L;
        int mtu = 1500;
        int pings = 200;
        int kernelBuffers = BUFFER_BYTES;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "-h", "--help" -> {
                    return null;
                }
                case "reader", "writer", "ping" -> {
                    if (mode != null) {
                        throw new IllegalArgumentException("one mode only, not '" + mode.word() + "' and '" + option + "'");
                    }
                    mode = Mode.valueOf(option.toUpperCase(Locale.ROOT));
                }
                case "--bytes" -> bytes = LoopbackBenchmark.parseSize(option, LoopbackBenchmark.value(args, i++));
                case "--mtu" -> mtu = (int) LoopbackBenchmark.parseLong(option, LoopbackBenchmark.value(args, i++), 576, 9000);
                case "--kernel-buffers" -> {
                    String value = LoopbackBenchmark.value(args, i++);
                    long size = value.equals("auto") ? 0 : LoopbackBenchmark.parseSize(option, value);
                    if (size > 1 << 30) {
                        throw new IllegalArgumentException(option + " must be at most 1g: " + value);
                    }
                    kernelBuffers = (int) size;
                }
                case "--count" ->
                    pings = (int) LoopbackBenchmark.parseLong(option, LoopbackBenchmark.value(args, i++), 1, 100_000);
                default -> throw new IllegalArgumentException(option.startsWith("-")
                        ? "unknown option '" + option + "'" : "unknown mode '" + option + "' (reader, writer or ping)");
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("which mode? reader, writer or ping");
        }
        return new Settings(mode, bytes, mtu, kernelBuffers, pings);
    }

    private static void help(PrintStream out) {
        out.println(USAGE);
        out.println("The stack against the Linux kernel over a TAP, as smoltcp's benchmark example: the command makes");
        out.println("a throw-away namespace smol-bench-XXXX with the TAP " + TAP + " (the kernel's side "
                + KERNEL_ADDRESS + "),");
        out.println("runs the stack on it as " + ADDRESS + ", and deletes the namespace at the end. The kernel's side");
        out.println("is a java.net socket of this process, made inside the namespace. Needs root.");
        out.println("  reader            the kernel reads --bytes from the stack (port " + READER_PORT + ")");
        out.println("  writer            the kernel writes --bytes to the stack (port " + WRITER_PORT + ")");
        out.println("  ping              the kernel pings the stack: --count echo requests of " + PING_BYTES
                + " bytes, 10 ms apart");
        out.println("  --bytes N         bytes to move, e.g. 20m (default 1000000000, as smoltcp's)");
        out.println("  --mtu M           the TAP's MTU, 576..9000 (default 1500)");
        out.println("  --kernel-buffers N|auto  the kernel socket's SO_SNDBUF and SO_RCVBUF (default 64k, as the stack's");
        out.println("                    rings; Linux doubles what it is given); auto leaves the kernel's defaults and");
        out.println("                    autotuning, as smoltcp's benchmark does");
        out.println("  --count N         echo requests for ping, 1..100000 (default 200)");
        out.println("Every byte is checked against a known pattern.");
        out.println("Prints the settings, the wall time from the established connection, the throughput in Gbps,");
        out.println("the loop thread's allocation per MiB and the frame counts; for ping, ping's summary and rtt");
        out.println("line. Exit 0 done byte-exact; 1 failed or not root; 2 bad usage.");
    }
}
