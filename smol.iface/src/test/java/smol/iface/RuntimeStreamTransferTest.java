package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atA;
import static smol.iface.RuntimePair.atB;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.RuntimePair.Connected;

/**
 * Bulk data through the stream adapters of {@link TcpConnection}, between two interfaces on the in-memory
 * cable, each on its own runtime thread, with many application threads at once; and the {@code java.io}
 * classes a Java developer reaches for first, on top of them. Real threads and the real clock: nothing
 * here asserts on speed.
 */
class RuntimeStreamTransferTest {
    /** 100 MB in all, as the issue asks. */
    private static final long TOTAL_BYTES = 100_000_000L;
    /** Connections each way; each has a writer and a reader thread: 16 application threads in all. */
    private static final int CONNECTIONS_EACH_WAY = 4;
    private static final int BUFFER_BYTES = 65536;

    @Test
    @Timeout(180)
    void sixteenThreadsMoveOneHundredMegabytesThroughTheStreamsByteExact() throws Exception {
        try (RuntimePair pair = new RuntimePair("bulk", 2 * CONNECTIONS_EACH_WAY + 2)) {
            List<Connected> connections = new ArrayList<>();
            connections.addAll(RuntimePair.connect(pair.a, pair.b, atB(7000), CONNECTIONS_EACH_WAY, BUFFER_BYTES));
            connections.addAll(RuntimePair.connect(pair.b, pair.a, atA(7001), CONNECTIONS_EACH_WAY, BUFFER_BYTES));
            long perConnection = TOTAL_BYTES / connections.size();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong received = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < connections.size(); i++) {
                int salt = i;
                Connected c = connections.get(i);
                c.server().readTimeout(PATIENCE);
                c.client().writeTimeout(PATIENCE);
                threads.add(started("writer-" + i, guarded(failures,
                        () -> writePattern(c.client().outputStream(), salt, perConnection))));
                threads.add(started("reader-" + i, guarded(failures,
                        () -> received.addAndGet(readPattern(c.server().inputStream(), salt)))));
            }
            for (Thread t : threads) {
                t.join();
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(Locale.ROOT, "%d bytes over %d connections in %d ms (%.1f MB/s)%n", received.get(),
                    connections.size(), elapsedMillis, received.get() / 1000.0 / Math.max(1, elapsedMillis));

            assertThat(failures).isEmpty();
            assertThat(threads).hasSize(16);
            assertThat(received.get()).isEqualTo(perConnection * connections.size());
            for (Connected c : connections) {
                assertThat(c.client().close(PATIENCE)).isTrue();
                assertThat(c.server().close(PATIENCE)).isTrue();
            }
            pair.close();
            assertThat(pair.liveRuntimeThreads()).isEmpty();
        }
    }

    @Test
    @Timeout(60)
    void bufferedReaderAndPrintWriterCarryLinesBothWays() throws Exception {
        try (RuntimePair pair = new RuntimePair("lines", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7002), 1, 4096).get(0);
            c.client().readTimeout(PATIENCE);
            c.server().readTimeout(PATIENCE);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            // The server answers each line in upper case until the client's end of stream.
            Thread server = started("echo", guarded(failures, () -> {
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(c.server().inputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(
                        new OutputStreamWriter(c.server().outputStream(), StandardCharsets.UTF_8), true);
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(line.toUpperCase(Locale.ROOT));
                }
                out.close();
            }));
            PrintWriter out = new PrintWriter(
                    new OutputStreamWriter(c.client().outputStream(), StandardCharsets.UTF_8), true);
            BufferedReader in = new BufferedReader(new InputStreamReader(c.client().inputStream(), StandardCharsets.UTF_8));
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                out.println("line " + i + " — grüße");
                answers.add(in.readLine());
            }
            out.close(); // FIN: the server's readLine returns null, and it closes its side
            String last = in.readLine();
            server.join();

            assertThat(failures).isEmpty();
            assertThat(answers).hasSize(500).first().isEqualTo("LINE 0 — GRÜSSE");
            assertThat(answers.get(499)).isEqualTo("LINE 499 — GRÜSSE");
            assertThat(last).isNull();
        }
    }

    @Test
    @Timeout(60)
    void dataOutputStreamAndDataInputStreamCarryTypedValues() throws Exception {
        try (RuntimePair pair = new RuntimePair("data", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7003), 1, 2048).get(0);
            c.server().readTimeout(PATIENCE);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread writer = started("data-writer", guarded(failures, () -> {
                try (DataOutputStream out = new DataOutputStream(c.client().outputStream())) {
                    for (long i = 0; i < 10_000; i++) {
                        out.writeLong(i * 0x9e3779b97f4a7c15L);
                    }
                    out.writeUTF("done");
                }
            }));
            DataInputStream in = new DataInputStream(c.server().inputStream());
            for (long i = 0; i < 10_000; i++) {
                assertThat(in.readLong()).isEqualTo(i * 0x9e3779b97f4a7c15L);
            }
            assertThat(in.readUTF()).isEqualTo("done");
            assertThat(in.read()).isEqualTo(-1);
            writer.join();
            assertThat(failures).isEmpty();
        }
    }

    /** Writes {@code total} bytes of the pattern of {@code salt} in 16 KiB writes, then closes (FIN). */
    private static void writePattern(OutputStream out, int salt, long total) throws Exception {
        byte[] chunk = new byte[16384];
        long written = 0;
        while (written < total) {
            int n = (int) Math.min(chunk.length, total - written);
            for (int i = 0; i < n; i++) {
                chunk[i] = PatternStream.at(salt, written + i);
            }
            out.write(chunk, 0, n);
            written += n;
        }
        out.close();
    }

    /** Reads to the end of the stream, checking every byte against the pattern of {@code salt}; returns the count. */
    private static long readPattern(InputStream in, int salt) throws Exception {
        byte[] buf = new byte[16384];
        long read = 0;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != PatternStream.at(salt, read + i)) {
                    throw new AssertionError("connection " + salt + ": byte " + (read + i) + " is " + buf[i]
                            + ", expected " + PatternStream.at(salt, read + i));
                }
            }
            read += n;
        }
        return read;
    }

    /** Starts a thread named {@code name} running {@code body}. */
    static Thread started(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        return t;
    }

    /** A body that may throw. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}, collecting what it throws into {@code failures}. */
    static Runnable guarded(ConcurrentLinkedQueue<Throwable> failures, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        };
    }
}
