package smol.iface;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import smol.iface.RuntimePair.Connected;

/**
 * One connection's bulk transfer in two threads of its own, for the runtime tests that change the
 * interface while data flows: a writer sends {@code total} bytes of {@link PatternStream} and closes,
 * a reader checks every byte and counts them. The test watches {@link #received} and changes things.
 */
final class BackgroundTransfer {
    final AtomicLong received = new AtomicLong();
    /** The index of the first byte that did not match the pattern, or -1. */
    volatile long firstMismatch = -1;
    volatile Throwable failure;
    private final Thread writer;
    private final Thread reader;

    BackgroundTransfer(Connected c, int salt, long total) {
        c.client().writeTimeout(RuntimePair.PATIENCE);
        c.server().readTimeout(RuntimePair.PATIENCE);
        writer = new Thread(() -> guarded(() -> write(c.client().outputStream(), salt, total)), "transfer-writer");
        reader = new Thread(() -> guarded(() -> read(c.server().inputStream(), salt)), "transfer-reader");
        writer.start();
        reader.start();
    }

    /** Waits until {@code bytes} have been received (checked), failing on a thread's failure or after the patience. */
    void awaitReceived(long bytes) throws InterruptedException {
        RuntimePair.awaitTrue(() -> received.get() >= bytes || failure != null, bytes + " bytes received");
        if (failure != null) {
            throw new AssertionError("transfer failed", failure);
        }
    }

    /** Waits for both threads to end. */
    void join() throws InterruptedException {
        writer.join(RuntimePair.PATIENCE.toMillis());
        reader.join(RuntimePair.PATIENCE.toMillis());
    }

    private static void write(OutputStream out, int salt, long total) throws Exception {
        byte[] chunk = new byte[8192];
        for (long sent = 0; sent < total; ) {
            int n = (int) Math.min(chunk.length, total - sent);
            for (int i = 0; i < n; i++) {
                chunk[i] = PatternStream.at(salt, sent + i);
            }
            out.write(chunk, 0, n);
            sent += n;
        }
        out.close();
    }

    private void read(InputStream in, int salt) throws Exception {
        byte[] chunk = new byte[8192];
        long index = 0;
        for (int n; (n = in.read(chunk)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (chunk[i] != PatternStream.at(salt, index + i) && firstMismatch < 0) {
                    firstMismatch = index + i;
                }
            }
            index += n;
            received.set(index);
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private void guarded(Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            failure = t;
        }
    }
}
