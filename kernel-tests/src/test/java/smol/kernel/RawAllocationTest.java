package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.kernel.RawVeth.DEVICE_END;
import static smol.kernel.RawVeth.KERNEL_END;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import smol.phy.DeviceProviders;
import smol.phy.Wakeup;
import smol.phy.raw.RawDevice;
import smol.testsupport.Netns;

/**
 * The raw device's data path allocates nothing per frame: echo requests to the kernel across a veth pair
 * and its replies back, counted with the JVM's per-thread allocation counter. An allocation check, not a
 * timing one.
 */
class RawAllocationTest {
    private static final int WARM_UP = 5_000;
    private static final int MEASURED = 20_000;

    @Test
    void transmitReceiveAndAwaitAllocateLessThanOneBytePerFrame() throws Exception {
        Netns.requireRootAndTun();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (Netns ns = Netns.create("rawalloc")) {
            RawVeth.create(ns, "192.168.69.100/24");
            // the kernel knows our MAC beforehand: it answers at once, without asking by ARP
            ns.check("ip", "neigh", "replace", "192.168.69.1", "lladdr", "02:00:00:00:00:01", "dev", KERNEL_END);
            long kernelMac = RawVeth.mac(ns, KERNEL_END);
            try (RawDevice raw = (RawDevice) DeviceProviders.open("raw", DEVICE_END, Map.of("netns", ns.name()))) {
                byte[] request = new byte[1514];
                int requestLen = new TapFrames().echoRequest(request, kernelMac, 0x5301, 1, 56);
                byte[] buf = new byte[raw.capabilities().maxFrameLength()];
                Wakeup wakeup = new Wakeup();

                assertThat(pingPong(raw, request, requestLen, buf, wakeup, WARM_UP)).isEqualTo(WARM_UP);
                long before = threads.getCurrentThreadAllocatedBytes();
                int replies = pingPong(raw, request, requestLen, buf, wakeup, MEASURED);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;

                assertThat(replies).isEqualTo(MEASURED);
                long frames = 2L * MEASURED; // each round: one transmitted, at least one received
                System.out.printf("raw data path: %d bytes allocated over %d frames (%.4f bytes/frame)%n",
                        allocated, frames, (double) allocated / frames);
                assertThat((double) allocated / frames).as("bytes allocated per frame").isLessThan(1.0);
                assertThat(raw.transmitErrors()).isZero();
                assertThat(raw.receiveErrors()).isZero();
            }
        }
    }

    /**
     * A bulk TCP stream between two kernels across the veth arrives as TSO frames of up to 64 KiB; received
     * into an array of MTU + 14 bytes, the device cuts them into segments: that allocates nothing either.
     */
    @Test
    void cuttingLargeFramesIntoSegmentsAllocatesLessThanOneBytePerFrame() throws Exception {
        Netns.requireRootAndTun();
        Netns.requireTool("socat", "socat");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (Netns ns = Netns.create("rawalloc"); Netns sender = RawVeth.twoKernels(ns);
                RawDevice raw = (RawDevice) DeviceProviders.open("raw", DEVICE_END, Map.of("netns", ns.name()))) {
            ns.start("socat", "-u", "TCP-LISTEN:5001,reuseaddr", "OPEN:/dev/null");
            Thread.sleep(300);
            sender.start("timeout", "6", "socat", "-u", "OPEN:/dev/zero", "TCP:10.77.0.1:5001");
            byte[] buf = new byte[raw.capabilities().maxFrameLength()];
            Wakeup wakeup = new Wakeup();
            receiveFor(raw, buf, wakeup, 1_000); // warm up
            long segmentedBefore = raw.segmentedFrames();
            long before = threads.getCurrentThreadAllocatedBytes();
            long frames = receiveFor(raw, buf, wakeup, 2_000);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            long segmented = raw.segmentedFrames() - segmentedBefore;
            System.out.printf("raw segmenting: %d bytes allocated over %d frames received, %d large frames cut"
                    + " (%.4f bytes/frame)%n", allocated, frames, segmented, (double) allocated / frames);
            assertThat(segmented).as("large frames cut into segments").isPositive();
            assertThat(frames).isGreaterThan(10_000);
            assertThat((double) allocated / frames).as("bytes allocated per frame").isLessThan(1.0);
            assertThat(raw.droppedTooLong()).isZero();
        }
    }

    /** Receives for {@code millis} (wall clock, read every 1024 frames); returns the frames received. */
    private static long receiveFor(RawDevice raw, byte[] buf, Wakeup wakeup, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        long frames = 0;
        while (System.nanoTime() < deadline) {
            raw.await(wakeup, 100_000, false);
            for (int i = 0; i < 1024 && raw.receive(buf, 0, 0) > 0; i++) {
                frames++;
            }
        }
        return frames;
    }

    /** Sends {@code rounds} echo requests one at a time, each time waiting for its reply; returns the replies. */
    private static int pingPong(RawDevice raw, byte[] request, int requestLen, byte[] buf, Wakeup wakeup, int rounds)
            throws InterruptedException {
        int replies = 0;
        for (int i = 0; i < rounds; i++) {
            if (!raw.transmit(request, 0, requestLen, 0)) {
                throw new AssertionError("the raw device refused a frame");
            }
            long deadline = System.nanoTime() + 2_000_000_000L;
            boolean answered = false;
            while (!answered && System.nanoTime() < deadline) {
                raw.await(wakeup, 100_000, false);
                int len;
                while ((len = raw.receive(buf, 0, 0)) > 0) {
                    if (TapFrames.isEchoReplyToUs(buf, len)) {
                        answered = true;
                        replies++;
                    }
                }
            }
            if (!answered) {
                return replies;
            }
        }
        return replies;
    }
}
