package smol.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.TcpConnection;
import smol.iface.TcpServer;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.phy.LoopbackDevice;
import smol.socket.SocketSet;
import smol.socket.driver.InitialSequence;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * {@code ./smol bench loopback --threads}: the loopback benchmark's transfer through the threaded runtime.
 * One interface (127.0.0.1/8) on a {@link LoopbackDevice}, polled by its {@link InterfaceRuntime} thread;
 * a client connection written by one application thread through its {@link OutputStream}, the accepted
 * server connection read by another through its {@link InputStream}, every byte checked against the
 * {@link StreamPattern}. Wall-clock time. Also reads what the runtime's loop thread allocated per MiB
 * moved after the first eighth of the transfer (through the JDK's per-thread counter).
 */
final class ThreadedLoopback {
    private static final int PORT = 1234;
    private static final int BUFFER_BYTES = LoopbackTransfer.BUFFER_BYTES;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private ThreadedLoopback() {}

    /** Runs the transfer of {@code settings} (bytes, MTU, checksums); returns the exit code. */
    static int run(LoopbackTransfer.Settings settings, PrintStream out, PrintStream err) {
        out.printf(Locale.ROOT, "settings: bytes=%d mtu=%d checksums=%s buffers=%d path=loopback 127.0.0.1/8,"
                + " one runtime thread, a writer and a reader thread on the streams%n", settings.bytes(),
                settings.mtu(), settings.checksums() ? "on" : "off", BUFFER_BYTES);
        out.flush();
        DeviceCapabilities capabilities = DeviceCapabilities.ethernet(settings.mtu(),
                settings.checksums() ? ChecksumCapabilities.ALL : ChecksumCapabilities.NONE);
        Interface iface = new Interface(InterfaceConfig.builder().mac(EthernetAddress.parse("02-00-00-00-00-01"))
                .address(Ipv4Cidr.parse("127.0.0.1/8")).initialSequence(InitialSequence.keyed(0x736d6f6cL, 1))
                .build(), new SocketSet(4));
        InterfaceRuntime runtime = InterfaceRuntime.builder(iface).name("loopback").build();
        runtime.attach(new LoopbackDevice(capabilities, LoopbackTransfer.queueFrames(settings.mtu())));
        runtime.start();
        StreamPattern pattern = new StreamPattern();
        long[] received = new long[1];
        long[] steady = {-1, -1}; // bytes received and loop-thread allocation when the steady state began
        AtomicReference<String> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try {
            TcpServer server = runtime.listen(PORT, 1, BUFFER_BYTES, BUFFER_BYTES).acceptTimeout(PATIENCE);
            TcpConnection client = runtime.tcp(BUFFER_BYTES, BUFFER_BYTES).writeTimeout(PATIENCE);
            client.connect(new IpEndpoint(Ipv4Address.parse("127.0.0.1"), PORT), PATIENCE);
            TcpConnection accepted = server.accept().readTimeout(PATIENCE);
            long loopThread = runtime.threadId();
            AllocationMeter meter = loopThread < 0 ? null : AllocationMeter.create();
            Thread writer = new Thread(() -> write(client, pattern, settings.bytes(), failure), "writer");
            writer.start();
            byte[] buf = new byte[BUFFER_BYTES];
            InputStream in = accepted.inputStream();
            while (received[0] < settings.bytes() && failure.get() == null) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, settings.bytes() - received[0]));
                if (n < 0) {
                    failure.set("the connection ended after " + received[0] + " bytes");
                    break;
                }
                int bad = pattern.mismatch(received[0], buf, 0, n);
                if (bad >= 0) {
                    failure.set("byte " + (received[0] + bad) + " of the stream differs");
                    received[0] += bad;
                    break;
                }
                received[0] += n;
                if (steady[0] < 0 && received[0] >= settings.bytes() / 8) {
                    steady[0] = received[0];
                    steady[1] = meter == null ? -1 : meter.allocatedBytes(loopThread);
                }
            }
            writer.join(PATIENCE.toMillis());
            long nanos = System.nanoTime() - start;
            long allocatedNow = steady[1] < 0 ? -1 : meter.allocatedBytes(loopThread);
            long allocatedSince = allocatedNow < 0 ? -1 : allocatedNow - steady[1];
            report(out, failure.get() == null, received[0], settings.bytes(), nanos, received[0] - steady[0],
                    allocatedSince);
        } catch (IOException | InterruptedException e) {
            failure.compareAndSet(null, e.toString());
            report(out, false, received[0], settings.bytes(), System.nanoTime() - start, 0, -1);
        } finally {
            runtime.stop();
        }
        if (failure.get() != null) {
            err.println("smol bench loopback: " + failure.get());
            return 1;
        }
        return 0;
    }

    private static void write(TcpConnection client, StreamPattern pattern, long total, AtomicReference<String> failure) {
        try {
            OutputStream out = client.outputStream();
            long sent = 0;
            while (sent < total) {
                int n = (int) Math.min(total - sent, StreamPattern.MAX_STRETCH);
                out.write(pattern.bytes(), StreamPattern.offsetOf(sent), n);
                sent += n;
            }
            out.close();
        } catch (IOException e) {
            failure.compareAndSet(null, "writing: " + e.getMessage());
        }
    }

    private static void report(PrintStream out, boolean done, long received, long total, long nanos,
            long steadyBytes, long steadyAllocated) {
        out.printf(Locale.ROOT, "%s: %.3f s%n", done ? "done in" : "failed after", nanos / 1e9);
        out.printf(Locale.ROOT, "throughput: %.3f Gbps%n", received * 8.0 / nanos);
        if (steadyAllocated >= 0 && steadyBytes > 0) {
            out.printf(Locale.ROOT, "allocated on the loop thread: %d bytes per MiB moved (%d bytes while moving"
                    + " the last %d bytes)%n", steadyAllocated * 1_048_576 / steadyBytes, steadyAllocated, steadyBytes);
        } else {
            out.println("allocated on the loop thread: not measured (the JVM does not count it, or the run ended early)");
        }
        out.println("verified: " + received + (done ? "" : " of " + total) + " bytes byte-exact");
        out.flush();
    }
}
