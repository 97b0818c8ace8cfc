package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.phy.Frames.numbered;
import static smol.phy.Frames.receive;
import static smol.phy.Frames.udp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smol.wire.LinkType;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;
import smol.wire.PcapWriter;
import smol.wire.testing.Wireshark;

class PcapCaptureTest {
    /** One frame read back from a capture. */
    record Captured(long timestampNanos, byte[] frame) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Captured c && c.timestampNanos == timestampNanos && Arrays.equals(c.frame, frame);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(timestampNanos) * 31 + Arrays.hashCode(frame);
        }

        @Override
        public String toString() {
            return timestampNanos + "ns " + frame.length + " bytes";
        }
    }

    private static List<Captured> readBack(byte[] file) throws IOException {
        List<Captured> frames = new ArrayList<>();
        try (PcapReader reader = new PcapReader(new ByteArrayInputStream(file))) {
            for (PcapRecord r = reader.next(); r != null; r = reader.next()) {
                assertThat(r.linkType()).isEqualTo(LinkType.ETHERNET);
                assertThat(r.originalLength()).isEqualTo(r.capturedLength());
                frames.add(new Captured(r.timestampNanos(), Arrays.copyOf(r.buffer(), r.capturedLength())));
            }
            assertThat(reader.problem()).isNull();
        }
        return frames;
    }

    private static PcapWriter nanosecondWriter(OutputStream out) throws IOException {
        return new PcapWriter(out, ByteOrder.LITTLE_ENDIAN, PcapWriter.Precision.NANOSECONDS,
                PcapWriter.DEFAULT_SNAPLEN, LinkType.ETHERNET);
    }

    @Test
    void everyFrameTransmittedAndReceivedIsWrittenWithItsTime() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LoopbackDevice loopback = new LoopbackDevice(4);
        PcapCapture capture = new PcapCapture(loopback, nanosecondWriter(file));
        byte[] first = udp("hello".getBytes(StandardCharsets.US_ASCII));
        byte[] second = numbered(2, 80);
        assertThat(capture.transmit(first, 0, first.length, 1_000_001)).isTrue();
        assertThat(capture.transmit(second, 0, second.length, 1_000_002)).isTrue();
        assertThat(receive(capture, 2_500_000)).isEqualTo(first);
        assertThat(receive(capture, 2_500_001)).isEqualTo(second);
        assertThat(receive(capture, 2_500_002)).isNull();
        capture.close();

        assertThat(capture.framesWritten()).isEqualTo(4);
        assertThat(capture.failure()).isNull();
        assertThat(readBack(file.toByteArray())).containsExactly(
                new Captured(1_000_001_000L, first), new Captured(1_000_002_000L, second),
                new Captured(2_500_000_000L, first), new Captured(2_500_001_000L, second));
    }

    @Test
    void aRefusedTransmitIsNotWritten() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LoopbackDevice loopback = new LoopbackDevice(1);
        PcapCapture capture = new PcapCapture(loopback, new PcapWriter(file));
        assertThat(capture.transmit(numbered(1, 60), 0, 60, 10)).isTrue();
        assertThat(capture.transmit(numbered(2, 60), 0, 60, 20)).isFalse();
        capture.close();
        assertThat(readBack(file.toByteArray())).containsExactly(new Captured(10_000, numbered(1, 60)));
    }

    @Test
    void tsharkReadsTheCaptureWithTheSameFramesAndTimes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("capture.pcap");
        Cable cable = Cable.create(4);
        PcapCapture capture = new PcapCapture(cable.a(), new PcapWriter(Files.newOutputStream(file)));
        byte[] out = udp("ping".getBytes(StandardCharsets.US_ASCII));
        byte[] in = udp("pong!".getBytes(StandardCharsets.US_ASCII));
        capture.transmit(out, 0, out.length, 1_700_000_000_123_456L);
        cable.b().transmit(in, 0, in.length, 0);
        assertThat(receive(capture, 1_700_000_001_000_001L)).isEqualTo(in);
        capture.close();

        assertThat(Wireshark.tsharkReadsCleanly(file, "-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len",
                "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.payload"))
                .containsExactly(
                        "1700000000.123456000\t46\t53\t6969\t70696e67",
                        "1700000001.000001000\t47\t53\t6969\t706f6e6721");
        assertThat(readBack(Files.readAllBytes(file))).containsExactly(
                new Captured(1_700_000_000_123_456_000L, out), new Captured(1_700_000_001_000_001_000L, in));
    }

    /** A stream that fails from its {@code failAt}-th write on. */
    private static final class FailingStream extends OutputStream {
        private final int failAt;
        private int writes;

        FailingStream(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (++writes >= failAt) {
                throw new IOException("disk full");
            }
        }
    }

    @Test
    void aWriteErrorStopsCapturingIsKeptAndNeverReachesTheStack() throws IOException {
        LoopbackDevice loopback = new LoopbackDevice(DeviceCapabilities.ethernet(65535, ChecksumCapabilities.NONE), 4);
        // The writer buffers 64 KiB: the second large frame makes it write to the stream, which fails.
        PcapCapture capture = new PcapCapture(loopback, new PcapWriter(new FailingStream(1)));
        int len = 40_000;
        assertThat(capture.capturing()).isTrue();
        assertThat(capture.transmit(numbered(1, len), 0, len, 1)).isTrue();
        assertThat(capture.capturing()).isTrue();
        assertThat(capture.transmit(numbered(2, len), 0, len, 2)).isTrue();
        assertThat(capture.capturing()).isFalse();
        IOException failure = capture.failure();
        assertThat(failure).hasMessage("disk full");
        assertThat(capture.framesWritten()).isEqualTo(1);

        // Traffic goes on; nothing more is written and the first error stays.
        assertThat(receive(capture, 3)).isEqualTo(numbered(1, len));
        assertThat(receive(capture, 4)).isEqualTo(numbered(2, len));
        capture.flush();
        capture.close();
        assertThat(capture.failure()).isSameAs(failure);
        assertThat(capture.framesWritten()).isEqualTo(1);
    }

    @Test
    void closingStopsCapturingButNotTraffic() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LoopbackDevice loopback = new LoopbackDevice(4);
        PcapCapture capture = new PcapCapture(loopback, new PcapWriter(file));
        capture.close();
        capture.close();
        assertThat(capture.capturing()).isFalse();
        assertThat(capture.failure()).isNull();
        assertThat(capture.transmit(numbered(1, 60), 0, 60, 1)).isTrue();
        assertThat(receive(capture, 2)).isEqualTo(numbered(1, 60));
        assertThat(readBack(file.toByteArray())).isEmpty();
    }

    @Test
    void theCaptureKeepsTheWrappedDevicesCapabilitiesAndGoesOnAcrossDevices() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LoopbackDevice first = new LoopbackDevice(2);
        PcapCapture capture = new PcapCapture(first, new PcapWriter(file));
        assertThat(capture.capabilities()).isSameAs(first.capabilities());
        capture.transmit(numbered(1, 60), 0, 60, 1);
        capture.detach();
        assertThat(capture.transmit(numbered(2, 60), 0, 60, 2)).isFalse();
        assertThat(capture.receive(new byte[100], 0, 3)).isZero();
        LoopbackDevice second = new LoopbackDevice(2);
        capture.attach(second);
        capture.transmit(numbered(3, 60), 0, 60, 4);
        capture.close();
        assertThat(readBack(file.toByteArray())).containsExactly(
                new Captured(1_000, numbered(1, 60)), new Captured(4_000, numbered(3, 60)));
    }
}
