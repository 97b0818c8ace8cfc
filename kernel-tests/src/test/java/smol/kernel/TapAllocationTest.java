package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.kernel.TapFrames.KERNEL_IP;
import static smol.kernel.TapFrames.OUR_MAC;
import static smol.kernel.TapFrames.TAP;

import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import smol.phy.DeviceProviders;
import smol.phy.Wakeup;
import smol.phy.tap.TapDevice;
import smol.testsupport.Netns;

/**
 * The TAP's data path allocates nothing per frame: echo requests to the kernel and its replies back, counted
 * with the JVM's per-thread allocation counter. An allocation check, not a timing one.
 */
class TapAllocationTest {
    private static final int WARM_UP = 5_000;
    private static final int MEASURED = 20_000;

    @Test
    void transmitReceiveAndAwaitAllocateLessThanOneBytePerFrame() throws Exception {
        Netns.requireRootAndTun();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (Netns ns = Netns.create("alloc");
                TapDevice tap = (TapDevice) DeviceProviders.open("tap", TAP, Map.of("netns", ns.name()))) {
            ns.check("sysctl", "-qw", "net.ipv6.conf." + TAP + ".disable_ipv6=1");
            ns.check("ip", "addr", "add", "192.168.69.100/24", "dev", TAP);
            ns.check("ip", "link", "set", TAP, "up");
            // the kernel knows our MAC beforehand: it answers at once, without asking by ARP
            ns.check("ip", "neigh", "replace", "192.168.69.1", "lladdr", "02:00:00:00:00:01", "dev", TAP);
            long kernelMac = Long.parseLong(
                    ns.check("cat", "/sys/class/net/" + TAP + "/address").trim().replace(":", ""), 16);
            byte[] request = new byte[1514];
            int requestLen = new TapFrames().echoRequest(request, kernelMac, 0x5301, 1, 56);
            byte[] buf = new byte[tap.capabilities().maxFrameLength()];
            Wakeup wakeup = new Wakeup();

            assertThat(pingPong(tap, request, requestLen, buf, wakeup, WARM_UP)).isEqualTo(WARM_UP);
            long before = threads.getCurrentThreadAllocatedBytes();
            int replies = pingPong(tap, request, requestLen, buf, wakeup, MEASURED);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            assertThat(replies).isEqualTo(MEASURED);
            long frames = 2L * MEASURED; // each round: one transmitted, at least one received
            System.out.printf("tap data path: %d bytes allocated over %d frames (%.4f bytes/frame)%n",
                    allocated, frames, (double) allocated / frames);
            assertThat((double) allocated / frames).as("bytes allocated per frame").isLessThan(1.0);
            assertThat(tap.transmitErrors()).isZero();
            assertThat(tap.receiveErrors()).isZero();
        }
    }

    /** Sends {@code rounds} echo requests one at a time, each time waiting for its reply; returns the replies. */
    private static int pingPong(TapDevice tap, byte[] request, int requestLen, byte[] buf, Wakeup wakeup, int rounds)
            throws InterruptedException {
        int replies = 0;
        for (int i = 0; i < rounds; i++) {
            if (!tap.transmit(request, 0, requestLen, 0)) {
                throw new AssertionError("the TAP refused a frame");
            }
            long deadline = System.nanoTime() + 2_000_000_000L;
            boolean answered = false;
            while (!answered && System.nanoTime() < deadline) {
                tap.await(wakeup, 100_000, false);
                int len;
                while ((len = tap.receive(buf, 0, 0)) > 0) {
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
