package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bulk transfers with the measuring ports from the kernel's side, each checked byte for byte: echo
 * (SHA-256 of what went and what came back), sink (every byte written, the close completed) and source
 * (every byte the pattern's). Blocking java.net calls; a stall ends in the socket's read timeout.
 */
final class Transfers {
    private static final int CHUNK = 64 * 1024;

    private Transfers() {}

    /** Returns {@code length} pseudo-random bytes, the same for the same {@code seed}. */
    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] sha256(byte[] bytes) {
        return digest().digest(bytes);
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code data} to the echo port through {@code socket} on one thread (then shuts its output down)
     * while reading on this one until the end of the stream; asserts that the same bytes came back (count
     * and SHA-256) and closes the socket.
     */
    static void echo(Socket socket, byte[] data) throws Exception {
        try (socket) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < data.length; off += CHUNK) {
                        out.write(data, off, Math.min(CHUNK, data.length - off));
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, Transfers::startDaemon);
            MessageDigest received = digest();
            long count = 0;
            byte[] buf = new byte[CHUNK];
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                received.update(buf, 0, n);
                count += n;
            }
            writer.get(10, TimeUnit.SECONDS);
            assertThat(count).as("bytes echoed").isEqualTo(data.length);
            assertThat(received.digest()).as("SHA-256 of the echo").isEqualTo(sha256(data));
        }
    }

    /**
     * Writes {@code length} bytes into the sink through {@code socket}, shuts its output down, and asserts
     * that the sink closes its side too (the end of the stream, with nothing read) within 30 s.
     */
    static void sink(Socket socket, int length) throws IOException {
        try (socket) {
            byte[] data = randomBytes(CHUNK, length);
            OutputStream out = socket.getOutputStream();
            for (int sent = 0; sent < length; sent += CHUNK) {
                out.write(data, 0, Math.min(CHUNK, length - sent));
            }
            socket.shutdownOutput();
            assertThat(socket.getInputStream().read()).as("the sink's close after ours").isEqualTo(-1);
        }
    }

    /** Reads {@code length} bytes of the source through {@code socket}, asserts each is the pattern's, closes. */
    static void source(Socket socket, int length) throws IOException {
        try (socket) {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[CHUNK];
            long position = 0;
            while (position < length) {
                int n = in.read(buf, 0, (int) Math.min(CHUNK, length - position));
                assertThat(n).as("the source ended after " + position + " bytes").isPositive();
                for (int i = 0; i < n; i++) {
                    if (buf[i] != Pattern.byteAt(position + i)) {
                        throw new AssertionError("byte " + (position + i) + " of the source is " + (buf[i] & 0xff)
                                + ", the pattern's is " + (Pattern.byteAt(position + i) & 0xff));
                    }
                }
                position += n;
            }
        }
    }

    /** Waits for {@code future}, unwrapping an assertion or I/O failure so that the report shows it. */
    static void await(CompletableFuture<?> future, long seconds) throws Exception {
        try {
            future.get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("not done within " + seconds + " s", e);
        }
    }

    static void startDaemon(Runnable body) {
        Thread thread = new Thread(body, "kernel-tests transfer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The pattern of the measuring ports' source, as MeasuringPorts documents it (and as the benchmarks'
     * StreamPattern computes it, which is not public): byte {@code i} is the low byte of the {@code i}th
     * output (from 0) of SplitMix64 seeded with {@code 0x736d6f6c62656e63}, with a period of 1,048,573 bytes.
     * Written here from the documentation, so that the test checks the promise, not the code that keeps it.
     */
    static final class Pattern {
        static final int PERIOD = 1_048_573;
        private static final byte[] BYTES = new byte[PERIOD];

        static {
            long state = 0x736d6f6c62656e63L;
            for (int i = 0; i < PERIOD; i++) {
                long z = state += 0x9E3779B97F4A7C15L;
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                BYTES[i] = (byte) (z ^ (z >>> 31));
            }
        }

        private Pattern() {}

        static byte byteAt(long position) {
            return BYTES[(int) (position % PERIOD)];
        }
    }
}
