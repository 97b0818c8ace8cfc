package smol.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.TcpConnection;
import smol.phy.Cable;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.SocketSet;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * {@code ./smol bench threads [OPTIONS]}: bulk TCP through the threaded runtime, as applications use it.
 * Two interfaces (10.0.0.1/24 and 10.0.0.2/24) joined by an in-memory {@link Cable}, each polled by its
 * own {@link InterfaceRuntime} thread; {@code --connections} connections, half opened each way, each with
 * a writer thread and a reader thread moving its share of {@code --bytes} through the connection's
 * {@link OutputStream} and {@link InputStream}. Every byte received is checked against the
 * {@link StreamPattern}. Wall-clock time; the figure depends on the machine and on how many cores the
 * two loops and the application threads share.
 *
 * <p>Output, one {@code key: value} a line: {@code settings}, {@code done in} (or {@code failed after}),
 * {@code throughput}, {@code verified}. Exit codes: 0 byte-exact; 1 a byte differed, a connection failed
 * or stalled ({@link #STALL} without a byte), with a one-line reason on the error stream; 2 bad usage.
 */
final class ThreadedCableBenchmark {
    static final String USAGE = "usage: ./smol bench threads [--bytes N] [--connections N] [--mtu M]";
    /** How long a read or a write may wait without progress before the run is declared stalled. */
    static final Duration STALL = Duration.ofSeconds(30);
    private static final int BUFFER_BYTES = 65536;
    private static final int SERVER_PORT = 1234;
    private static final int QUEUE_FRAMES = 1024;

    /**
     * What to run.
     *
     * @param bytes the bytes to move in all, at least {@code connections}
     * @param connections how many connections, 2..64 and even (half each way)
     * @param mtu the cable's IP MTU, 576..9000
     */
    record Settings(long bytes, int connections, int mtu) {
        static Settings defaults() {
            return new Settings(100_000_000L, 8, 1500);
        }
    }

    private ThreadedCableBenchmark() {}

    /** Runs the command with its arguments (after {@code bench threads}); returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("smol bench threads: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (settings == null) {
            help(out);
            return 0;
        }
        out.printf(Locale.ROOT, "settings: bytes=%d connections=%d (half each way, a writer and a reader thread each)"
                + " mtu=%d buffers=%d path=cable 10.0.0.1/24 <-> 10.0.0.2/24, one runtime thread per interface%n",
                settings.bytes(), settings.connections(), settings.mtu(), BUFFER_BYTES);
        out.flush();
        AtomicLong verified = new AtomicLong();
        long start = System.nanoTime();
        String failure = transfer(settings, verified);
        long nanos = System.nanoTime() - start;
        out.printf(Locale.ROOT, "%s: %.3f s%n", failure == null ? "done in" : "failed after", nanos / 1e9);
        out.printf(Locale.ROOT, "throughput: %.3f Gbps (%.1f MB/s)%n", verified.get() * 8.0 / nanos,
                verified.get() * 1000.0 / nanos);
        out.println("verified: " + verified.get() + (failure == null ? "" : " of " + settings.bytes())
                + " bytes byte-exact");
        out.flush();
        if (failure != null) {
            err.println("smol bench threads: " + failure);
            return 1;
        }
        return 0;
    }

    /** Moves the bytes; returns null when every byte arrived byte-exact, else why not. */
    private static String transfer(Settings settings, AtomicLong verified) {
        Cable cable = Cable.create(DeviceCapabilities.ethernet(settings.mtu(), ChecksumCapabilities.NONE), QUEUE_FRAMES);
        InterfaceRuntime a = runtime("a", "02-00-00-00-00-01", "10.0.0.1/24", settings.connections());
        InterfaceRuntime b = runtime("b", "02-00-00-00-00-02", "10.0.0.2/24", settings.connections());
        a.attach(cable.a());
        b.attach(cable.b());
        a.start();
        b.start();
        StreamPattern pattern = new StreamPattern();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        try {
            int each = settings.connections() / 2;
            List<TcpConnection[]> pairs = new ArrayList<>();
            pairs.addAll(open(a, b, new IpEndpoint(Ipv4Address.parse("10.0.0.2"), SERVER_PORT), each));
            pairs.addAll(open(b, a, new IpEndpoint(Ipv4Address.parse("10.0.0.1"), SERVER_PORT), each));
            long share = settings.bytes() / pairs.size();
            for (int i = 0; i < pairs.size(); i++) {
                TcpConnection writer = pairs.get(i)[0];
                TcpConnection reader = pairs.get(i)[1];
                long bytes = i == 0 ? settings.bytes() - share * (pairs.size() - 1) : share;
                String name = "connection " + i;
                threads.add(start(name + " writer", failure, () -> write(writer.outputStream(), pattern, bytes)));
                threads.add(start(name + " reader", failure, () -> {
                    long n = read(reader.inputStream(), pattern, verified, name);
                    if (n != bytes) {
                        throw new IOException(name + ": the stream ended after " + n + " of " + bytes + " bytes");
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (IOException e) {
            failure.compareAndSet(null, "opening the connections failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, "interrupted");
        } finally {
            a.stop(); // ends every blocked call of a failed run, and the threads with them
            b.stop();
        }
        return failure.get();
    }

    private static InterfaceRuntime runtime(String name, String mac, String cidr, int connections) {
        InterfaceConfig config = InterfaceConfig.builder().mac(EthernetAddress.parse(mac))
                .address(Ipv4Cidr.parse(cidr)).build();
        return InterfaceRuntime.builder(new Interface(config, new SocketSet(connections))).name("bench-" + name).build();
    }

    /** Opens {@code count} connections from {@code clients} to {@code servers}; each as {writing end, reading end}. */
    private static List<TcpConnection[]> open(InterfaceRuntime clients, InterfaceRuntime servers, IpEndpoint server,
            int count) throws IOException {
        List<TcpConnection[]> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TcpConnection listening = servers.tcp(BUFFER_BYTES, BUFFER_BYTES);
            listening.listen(server.port());
            TcpConnection client = clients.tcp(BUFFER_BYTES, BUFFER_BYTES);
            client.connect(server, STALL);
            listening.awaitConnected(STALL); // the only listener: the client's peer
            client.writeTimeout(STALL);
            listening.readTimeout(STALL);
            pairs.add(new TcpConnection[] {client, listening});
        }
        return pairs;
    }

    private static void write(OutputStream out, StreamPattern pattern, long bytes) throws IOException {
        for (long written = 0; written < bytes; ) {
            int n = (int) Math.min(StreamPattern.MAX_STRETCH, bytes - written);
            out.write(pattern.bytes(), StreamPattern.offsetOf(written), n);
            written += n;
        }
        out.close(); // FIN: the reader's end of stream
    }

    private static long read(InputStream in, StreamPattern pattern, AtomicLong verified, String name) throws IOException {
        byte[] buf = new byte[StreamPattern.MAX_STRETCH];
        long position = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            int bad = pattern.mismatch(position, buf, 0, n);
            if (bad >= 0) {
                throw new IOException(name + ": byte " + (position + bad) + " is " + (buf[bad] & 0xff)
                        + ", expected " + pattern.byteAt(position + bad));
            }
            position += n;
            verified.addAndGet(n);
        }
        return position;
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
        t.start();
        return t;
    }

    /**
     * Parses the options; returns null when help was asked for.
     *
     * @throws IllegalArgumentException naming the bad option or value
     */
    static Settings parse(String[] args) {
        Settings d = Settings.defaults();
        long bytes = d.bytes();
        int connections = d.connections();
        int mtu = d.mtu();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--bytes" -> bytes = LoopbackBenchmark.parseSize(option, LoopbackBenchmark.value(args, i++));
                case "--connections" ->
                    connections = (int) LoopbackBenchmark.parseLong(option, LoopbackBenchmark.value(args, i++), 2, 64);
                case "--mtu" -> mtu = (int) LoopbackBenchmark.parseLong(option, LoopbackBenchmark.value(args, i++), 576, 9000);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (connections % 2 != 0) {
            throw new IllegalArgumentException("--connections must be even (half each way): " + connections);
        }
        if (bytes < connections) {
            throw new IllegalArgumentException("--bytes must be at least one per connection: " + bytes);
        }
        return new Settings(bytes, connections, mtu);
    }

    private static void help(PrintStream out) {
        out.println(USAGE);
        out.println("Bulk TCP through the threaded runtime: two interfaces on an in-memory cable, each polled by");
        out.println("its own runtime thread, with a writer and a reader thread per connection using the");
        out.println("connections' streams; every byte received is checked.");
        out.println("  --bytes N         bytes to move in all, e.g. 100m (default 100000000)");
        out.println("  --connections N   connections, even, 2..64, half each way (default 8: 16 application threads)");
        out.println("  --mtu M           the cable's IP MTU, 576..9000 (default 1500)");
        out.println("Prints the settings, the wall time and the throughput. Exit 0 done byte-exact; 1 failed;");
        out.println("2 bad usage.");
    }
}
