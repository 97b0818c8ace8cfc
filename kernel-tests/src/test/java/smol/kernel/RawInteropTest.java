package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.kernel.RawVeth.DEVICE_END;
import static smol.kernel.RawVeth.KERNEL_END;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import smol.examples.MeasuringPorts;
import smol.examples.Server;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.DeviceProviders;
import smol.phy.ReceivedChecksum;
import smol.phy.Wakeup;
import smol.phy.linux.NetworkNamespace;
import smol.phy.raw.RawDevice;
import smol.socket.SocketSet;
import smol.testsupport.Netns;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Cidr;

/**
 * The whole stack on a raw device against the kernel: a veth pair in a namespace, the stack (10.77.0.1, MAC
 * 02-00-00-00-00-01, the example server and measuring ports) on smolv0 through smol.phy.raw, the kernel
 * (10.77.0.2) on smolv1. The kernel pings the stack with full-sized packets and echoes 20 MB through TCP
 * 6970; once with the veth's offloads off, once with the kernel's defaults (checksums left unfinished, TSO
 * frames of up to 64 KiB reaching the device, which cuts them into segments for the stack). Frames the stack
 * sent are never received back by it.
 */
class RawInteropTest {
    private static final String MAC = "02-00-00-00-00-01";
    private static final long MAC_BITS = 0x02_00_00_00_00_01L;
    private static final int SOCKETS = 1 + 4 + MeasuringPorts.RESERVED_SOCKETS + 8;
    private static final int ECHO_BYTES = 20 * 1024 * 1024;

    @Test
    void pingAndA20MegabyteEchoPassWithTheVethsOffloadsOff() throws Exception {
        pingAndEcho(false);
    }

    @Test
    void pingAndA20MegabyteEchoPassWithTheKernelsDefaultOffloads() throws Exception {
        pingAndEcho(true);
    }

    private void pingAndEcho(boolean offloads) throws Exception {
        Netns.requireRootAndTun();
        Netns.requireTool("ethtool", "ethtool");
        try (Netns ns = Netns.create("rawio")) {
            RawVeth.create(ns, "10.77.0.2/24");
            if (!offloads) {
                RawVeth.offloadsOff(ns, KERNEL_END);
                RawVeth.offloadsOff(ns, DEVICE_END);
            }
            Watching device = new Watching(
                    (RawDevice) DeviceProviders.open("raw", DEVICE_END, Map.of("netns", ns.name())));
            Interface iface = new Interface(InterfaceConfig.builder()
                    .mac(EthernetAddress.parse(MAC))
                    .address(Ipv4Cidr.parse("10.77.0.1/24"))
                    .build(), new SocketSet(SOCKETS));
            InterfaceRuntime runtime = InterfaceRuntime.builder(iface).name("raw-interop").build();
            runtime.attach(device);
            try {
                runtime.start();
                try (Server server = new Server(runtime.scope("server"));
                        MeasuringPorts ports = new MeasuringPorts(runtime.scope("measuring-ports"))) {
                    Netns.Result ping = ns.run("ping", "-c", "5", "-s", "1472", "-i", "0.2", "-W", "2", "10.77.0.1");
                    assertThat(ping.exit()).as("ping: " + ping.stdout() + ping.stderr()).isZero();
                    assertThat(ping.stdout()).contains(" 0% packet loss");

                    echo20Megabytes(ns);
                }
            } finally {
                runtime.stop();
            }
            String seen = (offloads ? "offloads on" : "offloads off") + ": " + device.received + " frames in, longest "
                    + device.longest + " bytes, checksum status " + device.statuses + "; device: segmented frames "
                    + device.raw.segmentedFrames() + ", dropped too long " + device.raw.droppedTooLong()
                    + "; interface " + runtime.withInterface(i -> i.statistics().snapshot());
            System.out.println("raw interop, " + seen);
            assertThat(device.ownFramesReceived).as("frames the stack sent, received back").isZero();
            assertThat(device.raw.receiveErrors()).isZero();
            assertThat(device.raw.transmitErrors()).isZero();
            assertThat(device.raw.droppedTooLong()).isZero();
            if (offloads) {
                assertThat(device.statuses.getOrDefault(ReceivedChecksum.NOT_READY, 0L))
                        .as("the kernel's TCP segments arrive with their checksum not filled in").isPositive();
                assertThat(device.raw.segmentedFrames()).as("TSO frames cut into segments for the stack").isPositive();
            } else {
                assertThat(device.statuses.keySet()).as(seen).containsOnly(ReceivedChecksum.UNKNOWN);
                assertThat(device.raw.segmentedFrames()).isZero();
            }
        }
    }

    /** A client socket made inside the namespace echoes 20 MB of random bytes; both digests must agree. */
    private static void echo20Megabytes(Netns ns) throws Exception {
        Socket socket = NetworkNamespace.of(ns.name()).run(() -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("10.77.0.1", MeasuringPorts.ECHO_PORT), 5_000);
            return s;
        });
        try (socket) {
            socket.setSoTimeout(30_000);
            MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
            AtomicReference<Throwable> writeFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    Random random = new Random(0x736d6f6c);
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < ECHO_BYTES; sent += chunk.length) {
                        random.nextBytes(chunk);
                        sentDigest.update(chunk);
                        out.write(chunk);
                    }
                    socket.shutdownOutput();
                } catch (Throwable t) {
                    writeFailure.set(t);
                }
            }, "raw-interop writer");
            writer.start();
            MessageDigest receivedDigest = MessageDigest.getInstance("SHA-256");
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[64 * 1024];
            long received = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                receivedDigest.update(buf, 0, n);
                received += n;
            }
            writer.join(30_000);
            assertThat(writeFailure.get()).as("the writer").isNull();
            assertThat(received).isEqualTo(ECHO_BYTES);
            assertThat(receivedDigest.digest()).as("SHA-256 of what came back").isEqualTo(sentDigest.digest());
        }
    }

    /** The raw device, watched: what the stack receives through it. Closed by the runtime's stop. */
    private static final class Watching implements Device, AutoCloseable {
        final RawDevice raw;
        final Map<ReceivedChecksum, Long> statuses = new EnumMap<>(ReceivedChecksum.class);
        volatile long received;
        volatile long ownFramesReceived;
        volatile int longest;

        Watching(RawDevice raw) {
            this.raw = raw;
        }

        @Override
        public DeviceCapabilities capabilities() {
            return raw.capabilities();
        }

        @Override
        public int receive(byte[] buf, int off, long nowMicros) {
            int n = raw.receive(buf, off, nowMicros);
            if (n > 0) {
                received++;
                longest = Math.max(longest, n);
                statuses.merge(raw.receivedChecksum(), 1L, Long::sum);
                long source = 0;
                for (int i = 6; i < 12; i++) {
                    source = (source << 8) | (buf[off + i] & 0xff);
                }
                if (source == MAC_BITS) {
                    ownFramesReceived++;
                }
            }
            return n;
        }

        @Override
        public ReceivedChecksum receivedChecksum() {
            return raw.receivedChecksum();
        }

        @Override
        public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
            return raw.transmit(buf, off, len, nowMicros);
        }

        @Override
        public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) throws InterruptedException {
            raw.await(wakeup, timeoutMicros, untilWritable);
        }

        @Override
        public void close() {
            raw.close();
        }

        @Override
        public String toString() {
            return raw.toString();
        }
    }
}
