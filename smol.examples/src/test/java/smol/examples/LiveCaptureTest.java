package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.LoopbackDevice;
import smol.phy.ReceivedChecksum;
import smol.phy.Wakeup;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;

/** The live listing: every frame with its time and direction, and offloaded checksums named as such. */
class LiveCaptureTest {

    /** A device that plays the frames of a capture and says, per frame, what a raw socket would. */
    private static final class Playback implements Device {
        private final LoopbackDevice loop = new LoopbackDevice(64);
        private final ArrayDeque<Boolean> outgoing = new ArrayDeque<>();
        private final ArrayDeque<ReceivedChecksum> checksums = new ArrayDeque<>();
        private boolean lastOutgoing;
        private ReceivedChecksum lastChecksum = ReceivedChecksum.UNKNOWN;

        void play(byte[] frame, boolean out, ReceivedChecksum checksum) {
            loop.transmit(frame, 0, frame.length, 0);
            outgoing.add(out);
            checksums.add(checksum);
        }

        @Override
        public DeviceCapabilities capabilities() {
            return loop.capabilities();
        }

        @Override
        public int receive(byte[] buf, int off, long nowMicros) {
            int len = loop.receive(buf, off, nowMicros);
            if (len > 0) {
                lastOutgoing = outgoing.poll();
                lastChecksum = checksums.poll();
            }
            return len;
        }

        @Override
        public ReceivedChecksum receivedChecksum() {
            return lastChecksum;
        }

        @Override
        public boolean receivedOutgoing() {
            return lastOutgoing;
        }

        @Override
        public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
            return loop.transmit(buf, off, len, nowMicros);
        }

        @Override
        public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException {
            loop.await(wakeup, timeoutMicros, untilWritable);
        }
    }

    private static List<byte[]> framesOf(String fixture) throws Exception {
        try (PcapReader reader = new PcapReader(java.nio.file.Files.newInputStream(TcpdumpTest.FIXTURES.resolve(fixture)))) {
            List<byte[]> frames = new java.util.ArrayList<>();
            PcapRecord r;
            while ((r = reader.next()) != null) {
                frames.add(java.util.Arrays.copyOf(r.buffer(), r.capturedLength()));
            }
            return frames;
        }
    }

    @Test
    @Timeout(10)
    void everyFrameStartsWithItsTimeOfDayAndDirectionAndOffloadedChecksumsAreNamed() throws Exception {
        List<byte[]> frames = framesOf("tcp-lo.pcap"); // a loopback capture: no checksum verifies
        Playback device = new Playback();
        for (int i = 0; i < frames.size(); i++) {
            device.play(frames.get(i), i % 2 == 0, i < 4 ? ReceivedChecksum.NOT_READY : ReceivedChecksum.UNKNOWN);
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        LiveCapture capture = new LiveCapture(device, new PrintStream(text, true, StandardCharsets.UTF_8));

        long listed = capture.run(frames.size(), () -> false);

        assertThat(listed).isEqualTo(frames.size());
        List<String> firsts = text.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith(" ")).toList();
        assertThat(firsts).hasSize(frames.size());
        for (int i = 0; i < firsts.size(); i++) {
            assertThat(firsts.get(i)).as("frame %d", i)
                    .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} " + (i % 2 == 0 ? "out " : "in  ") + "EthernetII src=.*");
        }
        String listing = text.toString(StandardCharsets.UTF_8);
        assertThat(listing.split("\\(checksum offloaded\\)", -1)).as("frames 0-3 said NOT_READY").hasSize(5);
        assertThat(listing).contains("(bad checksum)").contains("len=").contains("mss=");
    }

    @Test
    @Timeout(10)
    void stopFromAnotherThreadEndsAWaitingCapturePromptly() throws Exception {
        Playback device = new Playback();
        LiveCapture capture = new LiveCapture(device, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
        AtomicLong listed = new AtomicLong(-1);
        Thread t = new Thread(() -> listed.set(capture.run(0, () -> false)));
        t.start();
        Thread.sleep(200); // it waits for frames that never come
        assertThat(t.isAlive()).isTrue();

        capture.stop();
        t.join(5_000);

        assertThat(t.isAlive()).isFalse();
        assertThat(listed.get()).isZero();
    }
}
