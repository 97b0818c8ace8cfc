package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.iface.InterfaceService;
import smol.iface.InterfaceStatisticsSnapshot;
import smol.phy.DeviceProperties;

/**
 * Devices swapped under load, against the kernel ({@link KernelLab}): a 20 MB TCP echo from the kernel's
 * side runs while the TAP bundle stops and starts again, and while the TAP device is replaced by a raw
 * device on a veth bridged beside it. Each transfer completes byte-exact (SHA-256), the interface sees
 * traffic again within a second of the new device's arrival, and the new device carries the rest.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class DeviceSwapUnderLoadTest {
    static final int BYTES = 20_000_000;
    static final int SWAP_AFTER = 4_000_000;
    static final long RESUME_LIMIT_NANOS = Duration.ofSeconds(1).toNanos();

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    KernelLab lab;

    @BeforeEach
    void setUp() {
        lab = new KernelLab(context, configAdmin, "oswap");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aTwentyMegabyteEchoCompletesWhileTheTapBundleStopsAndStartsAgain() throws Exception {
        lab.tapDevice("swap-tap", "tap0", KernelLab.DEVICE);
        InterfaceService iface = lab.startInterface("02-00-00-00-00-01");
        lab.startEcho();
        Echo echo = Echo.start(lab.connectFromKernel(KernelLab.OUR_IP, KernelLab.ECHO_PORT), BYTES);
        echo.awaitReceived(SWAP_AFTER, iface);
        Bundle tap = bundle("smol.phy.tap");
        Object oldDevice = deviceServiceId();

        tap.stop();
        lab.awaitInterface(s -> !s.iface().linkUp());
        Arrival arrival = Arrival.watch(context, iface);
        tap.start();

        long resumedNanos = arrival.awaitTrafficAfter();
        echo.awaitDone();
        InterfaceStatisticsSnapshot end = iface.snapshot().iface().statistics();
        System.out.printf("DeviceSwapUnderLoadTest: TAP bundle restart: traffic %d ms after the device's arrival;"
                + " %d / %d bytes in / out after it%n", resumedNanos / 1_000_000,
                end.bytesIn() - arrival.statistics.bytesIn(), end.bytesOut() - arrival.statistics.bytesOut());
        assertThat(resumedNanos).as("nanoseconds from the new device's arrival to a frame in").isLessThan(RESUME_LIMIT_NANOS);
        assertThat(deviceServiceId()).as("a new Device service").isNotEqualTo(oldDevice);
        assertThat(end.bytesOut() - arrival.statistics.bytesOut()).as("bytes out through the new device")
                .isGreaterThan(BYTES - SWAP_AFTER - 4_000_000L);
        assertThat(end.bytesIn() - arrival.statistics.bytesIn()).as("bytes in through the new device")
                .isGreaterThan(BYTES - SWAP_AFTER - 4_000_000L);
    }

    @Test
    void aTwentyMegabyteEchoCompletesWhileTheTapIsReplacedByARawDeviceOnABridgedVeth() throws Exception {
        lab.tapDevice("swap-tap", "tap0", KernelLab.DEVICE);
        InterfaceService iface = lab.startInterface("02-00-00-00-00-01");
        // The raw device starts before the TAP's configuration goes: registered later, with the same ranking,
        // it waits; the TAP's removal makes it the interface's device at once.
        lab.rawDevice("swap-raw");
        DeviceServices.awaitUntil(() -> lab.services.devices(KernelLab.DEVICE).size() == 2,
                () -> "the raw device beside the TAP");
        lab.startEcho();
        Echo echo = Echo.start(lab.connectFromKernel(KernelLab.OUR_IP, KernelLab.ECHO_PORT), BYTES);
        echo.awaitReceived(SWAP_AFTER, iface);
        assertThat(iface.snapshot().iface().device()).as("the TAP, registered first, is still attached").contains("tap0");

        Arrival arrival = Arrival.watchRemoval(context, iface);
        lab.services.delete("smol.phy.tap", "swap-tap");
        lab.awaitInterface(s -> s.iface().linkUp() && s.iface().device().contains("vethr"));
        // The kernel's counters first, then ours: every frame we count from here on, vethr counts too.
        long vethOutBefore = lab.kernelPackets("vethr", "tx") + lab.kernelCount("vethr", "tx_dropped");
        long vethInBefore = lab.kernelPackets("vethr", "rx");
        InterfaceStatisticsSnapshot onRaw = iface.snapshot().iface().statistics();

        long resumedNanos = arrival.awaitTrafficAfter();
        echo.awaitDone();
        InterfaceStatisticsSnapshot end = iface.snapshot().iface().statistics();
        long framesOutAfter = end.framesOut() - onRaw.framesOut();
        long framesInAfter = end.framesIn() - onRaw.framesIn();
        // What the raw socket handed to vethr: sent on, or dropped by a full backlog of the bridge's port.
        long sentOnVeth = lab.kernelPackets("vethr", "tx") + lab.kernelCount("vethr", "tx_dropped") - vethOutBefore;
        long receivedOnVeth = lab.kernelPackets("vethr", "rx") - vethInBefore;
        System.out.printf("DeviceSwapUnderLoadTest: TAP to raw: traffic %d ms after the TAP left; on the raw device the"
                + " interface sent %d frames (vethr carried %d out) and took %d (vethr carried %d in), %d / %d bytes%n",
                resumedNanos / 1_000_000, framesOutAfter, sentOnVeth, framesInAfter, receivedOnVeth,
                end.bytesIn() - onRaw.bytesIn(), end.bytesOut() - onRaw.bytesOut());
        assertThat(resumedNanos).as("nanoseconds from the swap to a frame in").isLessThan(RESUME_LIMIT_NANOS);
        assertThat(iface.snapshot().iface().device()).as("the raw device is attached").contains("vethr");
        // Every frame the interface moved after the swap went through the raw device: vethr counted each.
        assertThat(sentOnVeth).as("frames handed to vethr after the swap").isGreaterThanOrEqualTo(framesOutAfter);
        assertThat(receivedOnVeth).as("frames received on vethr after the swap").isGreaterThanOrEqualTo(framesInAfter);
        assertThat(end.bytesIn() - onRaw.bytesIn()).as("bytes in on the raw device")
                .isGreaterThan(BYTES - SWAP_AFTER - 8_000_000L);
        assertThat(end.bytesOut() - onRaw.bytesOut()).as("bytes out on the raw device")
                .isGreaterThan(BYTES - SWAP_AFTER - 8_000_000L);
    }

    Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    Object deviceServiceId() throws Exception {
        var refs = lab.services.devices(KernelLab.DEVICE);
        return refs.isEmpty() ? null : refs.get(0).getProperty("service.id");
    }

    /**
     * When the interface's next device arrives (a Device service of the lab's name registered, or the old one
     * unregistering beside a waiting one), the interface's counters at that moment, and how long it takes from
     * then until a frame comes in.
     */
    static final class Arrival implements ServiceListener {
        private final BundleContext context;
        private final InterfaceService iface;
        private final int eventType;
        private volatile long atNanos;
        volatile InterfaceStatisticsSnapshot statistics;

        private Arrival(BundleContext context, InterfaceService iface, int eventType) throws Exception {
            this.context = context;
            this.iface = iface;
            this.eventType = eventType;
            context.addServiceListener(this, "(" + DeviceProperties.NAME + "=" + KernelLab.DEVICE + ")");
        }

        static Arrival watch(BundleContext context, InterfaceService iface) throws Exception {
            return new Arrival(context, iface, ServiceEvent.REGISTERED);
        }

        static Arrival watchRemoval(BundleContext context, InterfaceService iface) throws Exception {
            return new Arrival(context, iface, ServiceEvent.UNREGISTERING);
        }

        @Override
        public void serviceChanged(ServiceEvent event) {
            if (event.getType() == eventType && atNanos == 0) {
                statistics = iface.snapshot().iface().statistics();
                atNanos = System.nanoTime();
            }
        }

        /** Waits for the arrival, then for a frame in after it; returns the nanoseconds between. */
        long awaitTrafficAfter() throws Exception {
            try {
                DeviceServices.awaitUntil(() -> atNanos != 0, () -> "the new device");
                long framesAtArrival = statistics.framesIn();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (iface.snapshot().iface().statistics().framesIn() == framesAtArrival) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("no frame in within 30 s of the new device's arrival");
                    }
                    Thread.onSpinWait();
                }
                return System.nanoTime() - atNanos;
            } finally {
                context.removeServiceListener(this);
            }
        }
    }

    /**
     * A TCP echo from the kernel's side: one thread writes pseudo-random bytes, one reads what comes back,
     * counting and hashing it; done when the end of the stream came after every byte.
     */
    static final class Echo {
        private final byte[] data;
        private final AtomicLong received = new AtomicLong();
        private final CompletableFuture<byte[]> readerDone;
        private final CompletableFuture<Void> writerDone;

        private Echo(Socket socket, int bytes) {
            data = new byte[bytes];
            new Random(bytes).nextBytes(data);
            writerDone = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < data.length; off += 65536) {
                        out.write(data, off, Math.min(65536, data.length - off));
                    }
                    socket.shutdownOutput();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, Echo::ownThread);
            readerDone = CompletableFuture.supplyAsync(() -> {
                try (socket) {
                    MessageDigest digest = MessageDigest.getInstance("SHA-256");
                    InputStream in = socket.getInputStream();
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        digest.update(buf, 0, n);
                        received.addAndGet(n);
                    }
                    return digest.digest();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, Echo::ownThread);
        }

        /**
         * Runs a blocking task on a daemon thread of its own. Not the common pool: on two cores it has one
         * worker (on Java 25 too, where the pool no longer falls back to a thread per task), and a writer
         * blocked until the reader reads would keep the reader from ever starting.
         */
        private static void ownThread(Runnable task) {
            Thread t = new Thread(task, "echo-transfer");
            t.setDaemon(true);
            t.start();
        }

        static Echo start(Socket socket, int bytes) {
            return new Echo(socket, bytes);
        }

        /** Waits until {@code bytes} came back; a failure shows {@code iface}'s sockets, where the bytes stand. */
        void awaitReceived(long bytes, InterfaceService iface) throws Exception {
            DeviceServices.awaitUntil(() -> received.get() >= bytes || readerDone.isDone(),
                    () -> bytes + " bytes echoed; " + received.get() + " so far; the interface: "
                            + iface.snapshot().iface() + "; its sockets: " + iface.snapshot().sockets());
        }

        void awaitDone() throws Exception {
            byte[] sha = readerDone.get(120, TimeUnit.SECONDS);
            writerDone.get(10, TimeUnit.SECONDS);
            assertThat(received.get()).as("bytes echoed").isEqualTo(data.length);
            assertThat(sha).as("SHA-256 of the echo").isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }
}
