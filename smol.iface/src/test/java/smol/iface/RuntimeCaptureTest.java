package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import smol.iface.RuntimePair.Connected;
import smol.wire.EthernetFrame;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;
import smol.wire.PcapWriter;

/**
 * Packet capture as a setting of a running interface ({@link InterfaceRuntime#capture(Path)}): switched
 * on and off while a TCP connection carries data, closed by the runtime's stop, and stopped by its own
 * failure without disturbing traffic. Two runtimes on the in-memory cable, real threads and clock.
 */
class RuntimeCaptureTest {
    private static final int BUFFER = 64 * 1024;
    private static final long TOTAL = 2L << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void captureSwitchedOnMidTransferWritesBothDirectionsAndSwitchingItOffClosesTheFile() throws Exception {
        Path file = dir.resolve("mid.pcap");
        try (RuntimePair pair = new RuntimePair("capture-mid", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7200), 1, BUFFER).get(0);
            BackgroundTransfer transfer = new BackgroundTransfer(c, 7, TOTAL);
            transfer.awaitReceived(TOTAL / 4);

            FrameCapture capture = pair.a.capture(file);
            assertThat(pair.a.capture()).isSameAs(capture);
            RuntimePair.awaitTrue(() -> capture.framesWritten() > 200, "frames captured");
            assertThat(pair.a.stopCapture()).isSameAs(capture);
            long written = capture.framesWritten();
            long size = Files.size(file);
            transfer.join();

            assertThat(transfer.received.get()).isEqualTo(TOTAL);
            assertThat(transfer.firstMismatch).isEqualTo(-1);
            assertThat(pair.a.capture()).isNull();
            assertThat(capture.capturing()).isFalse();
            assertThat(capture.failure()).isNull();
            assertThat(capture.framesWritten()).as("nothing written after the stop").isEqualTo(written);
            assertThat(Files.size(file)).as("the file was complete when the stop returned").isEqualTo(size);
            Directions seen = read(file);
            assertThat(seen.frames).isEqualTo(written);
            assertThat(seen.out).as("frames from A").isPositive();
            assertThat(seen.in).as("frames to A").isPositive();
            assertThat(seen.out + seen.in).isEqualTo(seen.frames);
        }
    }

    @Test
    @Timeout(60)
    void theRuntimesStopFlushesAndClosesTheCapture() throws Exception {
        Path file = dir.resolve("stop.pcap");
        FrameCapture capture;
        try (RuntimePair pair = new RuntimePair("capture-stop", 4)) {
            capture = pair.a.capture(file);
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7201), 1, BUFFER).get(0);
            c.client().write(new byte[100], 0, 100);
            c.server().readTimeout(PATIENCE);
            assertThat(c.server().read(new byte[100], 0, 100)).isPositive();
        }
        assertThat(capture.capturing()).isFalse();
        assertThat(capture.framesWritten()).isGreaterThanOrEqualTo(4); // ARP both ways, SYN, SYN-ACK, ...
        assertThat(read(file).frames).isEqualTo(capture.framesWritten());
    }

    @Test
    @Timeout(60)
    void aCaptureWhoseFileFailsStopsItselfSaysWhyAndTrafficGoesOn() throws Exception {
        try (RuntimePair pair = new RuntimePair("capture-fail", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7202), 1, BUFFER).get(0);
            BackgroundTransfer transfer = new BackgroundTransfer(c, 9, TOTAL);
            transfer.awaitReceived(TOTAL / 8);

            FrameCapture capture = pair.a.capture(new PcapWriter(new DiskFull(100_000)));
            RuntimePair.awaitTrue(() -> capture.failure() != null, "the capture failed");
            transfer.join();

            assertThat(capture.capturing()).isFalse();
            assertThat(capture.failure()).hasMessage("disk full");
            assertThat(capture.toString()).contains("stopped by").contains("disk full");
            assertThat(capture.framesWritten()).isPositive();
            assertThat(transfer.received.get()).isEqualTo(TOTAL);
            assertThat(transfer.firstMismatch).isEqualTo(-1);
            assertThat(pair.a.statistics().pollFailures()).isZero();
            assertThat(pair.a.isRunning()).isTrue();
        }
    }

    /** How many frames a capture of A holds, and how many went out from A's MAC and in to it. */
    private record Directions(long frames, long out, long in) {}

    private static Directions read(Path file) throws IOException {
        long frames = 0;
        long out = 0;
        long in = 0;
        EthernetFrame frame = new EthernetFrame();
        try (InputStream stream = Files.newInputStream(file); PcapReader reader = new PcapReader(stream)) {
            for (PcapRecord r; (r = reader.next()) != null; ) {
                frames++;
                frame.wrap(r.buffer(), 0, r.capturedLength());
                if (frame.source() == Fixtures.MAC_A.bits()) {
                    out++;
                } else if (frame.destination() == Fixtures.MAC_A.bits()
                        || frame.destination() == 0xffff_ffff_ffffL) {
                    in++;
                }
            }
            assertThat(reader.problem()).isNull();
        }
        return new Directions(frames, out, in);
    }

    /** A stream that takes {@code room} bytes, then fails every write as a full disk does. */
    private static final class DiskFull extends OutputStream {
        private long room;

        DiskFull(long room) {
            this.room = room;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > room) {
                throw new IOException("disk full");
            }
            room -= len;
        }
    }
}
