package smol.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;
import smol.wire.PcapWriter;

/**
 * The pcap path a live capture takes: writing one 1514-byte frame, and reading frames back from a file
 * image. Run with {@code -prof gc}: the target is 0 B/op, since a capture sits on the packet path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PcapBenchmark {
    static final int FRAMES = 10_000;

    final byte[] frame = new byte[1514];
    PcapWriter writer;
    byte[] file;
    PcapReader reader;
    long time;

    /** Opens a writer over a discarding stream and builds a file image of {@value #FRAMES} frames to read. */
    @Setup
    public void setUp() throws IOException {
        writer = new PcapWriter(OutputStream.nullOutputStream());
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(image)) {
            for (int i = 0; i < FRAMES; i++) {
                w.write(i * 1000L, frame, 0, frame.length);
            }
        }
        file = image.toByteArray();
    }

    /** Opens the reader over the image repeated without end, so that reading never reopens anything. */
    @Setup(Level.Iteration)
    public void openReader() throws IOException {
        reader = new PcapReader(new Repeating(file, 24));
    }

    /** A stream that plays a file image, then its records again and again (skipping the file header). */
    static final class Repeating extends InputStream {
        private final byte[] image;
        private final int restart;
        private int position;

        Repeating(byte[] image, int restart) {
            this.image = image;
            this.restart = restart;
        }

        @Override
        public int read() {
            if (position == image.length) {
                position = restart;
            }
            return image[position++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position == image.length) {
                position = restart;
            }
            int n = Math.min(len, image.length - position);
            System.arraycopy(image, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** Closes the writer. */
    @TearDown
    public void tearDown() throws IOException {
        writer.close();
    }

    /** Writes one 1514-byte frame with its record header. */
    @Benchmark
    public void writeFrame() throws IOException {
        writer.write(time += 1000, frame, 0, frame.length);
    }

    /** Reads the next frame. */
    @Benchmark
    public int readFrame() throws IOException {
        PcapRecord r = reader.next();
        return r == null ? -1 : r.capturedLength();
    }
}
