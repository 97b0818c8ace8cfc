package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.kernel.TapFrames.KERNEL_IP;
import static smol.kernel.TapFrames.OUR_IP;
import static smol.kernel.TapFrames.OUR_MAC;
import static smol.kernel.TapFrames.TAP;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.Device;
import smol.phy.DeviceProviders;
import smol.phy.Medium;
import smol.phy.ReceivedChecksum;
import smol.phy.Wakeup;
import smol.phy.tap.TapDevice;
import smol.testsupport.Netns;
import smol.wire.ArpPacket;
import smol.wire.ArpRepr;

/** The TAP device against the kernel's own stack, each test in a namespace of its own. */
class TapDeviceTest {
    private Netns ns;
    private final TapFrames frames = new TapFrames();
    private final byte[] buf = new byte[65536];

    @BeforeEach
    void namespace() {
        Netns.requireRootAndTun();
        ns = Netns.create("tap");
    }

    @AfterEach
    void deleteNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    private TapDevice open(String... options) {
        Map<String, String> given = new java.util.HashMap<>(Map.of("netns", ns.name()));
        for (int i = 0; i < options.length; i += 2) {
            given.put(options[i], options[i + 1]);
        }
        return (TapDevice) DeviceProviders.open("tap", TAP, given);
    }

    /** Gives the kernel's side its address, brings it up, and keeps IPv6 quiet so only IPv4 traffic flows. */
    private void kernelSideUp() {
        ns.check("sysctl", "-qw", "net.ipv6.conf." + TAP + ".disable_ipv6=1");
        ns.check("ip", "addr", "add", "192.168.69.100/24", "dev", TAP);
        ns.check("ip", "link", "set", TAP, "up");
    }

    /** Receives frames until an ARP packet matching the test comes, or 5 s pass; returns it or null. */
    private ArpRepr receiveArp(Device device, int operation, int senderIp) throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            device.await(wakeup, 500_000, false);
            int len;
            while ((len = device.receive(buf, 0, 0)) > 0) {
                ArpRepr arp = frames.arp(buf, len);
                if (arp != null && arp.operation() == operation && arp.senderIp() == senderIp) {
                    return arp;
                }
            }
        }
        return null;
    }

    @Test
    void anArpRequestFromTheStackIsAnsweredByTheKernel() throws Exception {
        try (TapDevice tap = open()) {
            kernelSideUp();
            int len = frames.arpRequest(buf, KERNEL_IP);
            assertThat(tap.transmit(buf, 0, len, 0)).isTrue();
            ArpRepr reply = receiveArp(tap, ArpPacket.REPLY, KERNEL_IP);
            assertThat(reply).as("the kernel's ARP reply").isNotNull();
            assertThat(reply.targetMac()).isEqualTo(OUR_MAC);
            assertThat(reply.targetIp()).isEqualTo(OUR_IP);
            String kernelMac = ns.check("cat", "/sys/class/net/" + TAP + "/address").trim();
            assertThat(reply.senderMac()).isEqualTo(Long.parseLong(kernelMac.replace(":", ""), 16));
            assertThat(tap.receivedChecksum()).isEqualTo(ReceivedChecksum.UNKNOWN);
            assertThat(tap.transmitErrors()).isZero();
            assertThat(tap.receiveErrors()).isZero();
        }
    }

    @Test
    void theKernelPingingUsMakesAWaitReturnWithItsArpRequest() throws Exception {
        try (TapDevice tap = open()) {
            kernelSideUp();
            Wakeup wakeup = new Wakeup();
            tap.await(wakeup, 0, false); // nothing yet: returns at once
            ns.start("ping", "-c", "5", "-i", "0.5", "192.168.69.1");
            long start = System.nanoTime();
            tap.await(wakeup, 10_000_000, false);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("woken by a frame")
                    .isLessThan(5_000);
            ArpRepr request = receiveArp(tap, ArpPacket.REQUEST, KERNEL_IP);
            assertThat(request).as("the kernel asks who has 192.168.69.1").isNotNull();
            assertThat(request.targetIp()).isEqualTo(OUR_IP);
        }
    }

    @Test
    void aPostFromAnotherThreadEndsABlockedWaitPromptly() throws Exception {
        try (TapDevice tap = open()) {
            Wakeup wakeup = new Wakeup();
            Thread poster = new Thread(() -> {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
                wakeup.post();
            });
            poster.start();
            long start = System.nanoTime();
            tap.await(wakeup, -1, false);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waited).isBetween(150L, 3_000L);
            assertThat(wakeup.isPosted()).as("the wait consumed the post").isFalse();
            poster.join();
        }
    }

    @Test
    void theCapabilitiesAreEthernetWithTheKernelsMtu() throws Exception {
        ns.check("ip", "tuntap", "add", "name", TAP, "mode", "tap");
        ns.check("ip", "link", "set", TAP, "mtu", "1400");
        try (TapDevice tap = open()) {
            assertThat(tap.capabilities().medium()).isEqualTo(Medium.ETHERNET);
            assertThat(tap.capabilities().mtu()).isEqualTo(1400);
            assertThat(tap.capabilities().maxFrameLength()).isEqualTo(1414);
            assertThat(tap.capabilities().checksums()).isEqualTo(ChecksumCapabilities.ALL);
            assertThat(tap).hasToString("tap " + TAP + " (mtu 1400, netns " + ns.name() + ")");
        }
        try (TapDevice tap = open()) {
            assertThat(tap.capabilities().mtu()).as("the default MTU of a new TAP").isEqualTo(1400);
        }
    }

    @Test
    void aPersistentTapSurvivesCloseWithItsAddressAndCarriesTrafficWhenReopened() throws Exception {
        try (TapDevice tap = open("persistent", "true")) {
            assertThat(tap.isPersistent()).isTrue();
            assertThat(tap.toString()).endsWith(", persistent)");
            kernelSideUp();
            assertThat(ns.check("ip", "link", "show", TAP)).contains("LOWER_UP").doesNotContain("NO-CARRIER");
        }
        String link = ns.check("ip", "link", "show", TAP);
        assertThat(link).as("closed: the kernel side sees no carrier").contains("NO-CARRIER");
        assertThat(ns.check("ip", "addr", "show", TAP)).contains("192.168.69.100/24");
        try (TapDevice tap = open("persistent", "true")) {
            assertThat(ns.check("ip", "link", "show", TAP)).doesNotContain("NO-CARRIER");
            int len = frames.arpRequest(buf, KERNEL_IP);
            assertThat(tap.transmit(buf, 0, len, 0)).isTrue();
            assertThat(receiveArp(tap, ArpPacket.REPLY, KERNEL_IP)).as("the kernel answers after reopening")
                    .isNotNull();
        }
        assertThat(ns.run("ip", "link", "show", TAP).exit()).as("still there after the second close").isZero();
    }

    @Test
    void aNonPersistentTapIsGoneAfterClose() throws Exception {
        try (TapDevice tap = open()) {
            kernelSideUp();
            assertThat(ns.check("ip", "link", "show", TAP)).contains(TAP);
        }
        Netns.Result shown = ns.run("ip", "link", "show", TAP);
        assertThat(shown.exit()).isNotZero();
        assertThat(shown.stderr()).contains("does not exist");
    }

    @Test
    void aTapAlreadyOpenIsReportedBusy() throws Exception {
        try (TapDevice tap = open()) {
            assertThatThrownBy(() -> open())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("EBUSY")
                    .hasMessageContaining("the TAP is busy: another process or device has " + TAP + " open");
            assertThat(tap.isClosed()).isFalse();
        }
    }

    @Test
    void anInterfaceThatIsNotATapIsRefusedSayingSo() {
        ns.check("ip", "link", "add", TAP, "type", "veth", "peer", "name", "smolpeer0");
        assertThatThrownBy(() -> open())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("an interface called " + TAP + " exists and is not a TAP");
    }

    @Test
    void badNamesAndMissingNamespacesAreRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> DeviceProviders.open("tap", "smoltap-too-long0", Map.of("netns", ns.name())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is too long: 17 bytes, at most 15");
        String absent = ns.name() + "-absent";
        assertThatThrownBy(() -> DeviceProviders.open("tap", TAP, Map.of("netns", absent)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no network namespace '" + absent + "'")
                .hasMessageContaining("sudo ip netns add " + absent);
        assertThatThrownBy(() -> DeviceProviders.open("tap", TAP, Map.of("netns", "/proc/self/status")))
                .as("a file that is not a namespace")
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("is not a network namespace");
    }

    @Test
    void theTapIsMadeInTheNamespaceAndNeverInTheHosts() throws Exception {
        try (TapDevice tap = open()) {
            assertThat(ns.check("ip", "-o", "link", "show")).contains(TAP);
            assertThat(Files.exists(Path.of("/sys/class/net", TAP))).as("not in the host's namespace").isFalse();
            assertThat(tap.namespace()).isEqualTo(ns.name());
        }
    }

    @Test
    void openingAndClosingFiftyTimesLeaksNoDescriptor() throws Exception {
        try (TapDevice warm = open()) {
            assertThat(warm.capabilities().mtu()).isPositive(); // loads JNA and the classes before counting
        }
        long before = openDescriptors();
        for (int i = 0; i < 50; i++) {
            TapDevice tap = open(i % 2 == 0 ? new String[0] : new String[] {"persistent", "true"});
            tap.await(new Wakeup(), 0, false);
            tap.close();
            tap.close();
        }
        assertThat(openDescriptors()).isEqualTo(before);
    }

    @Test
    void aClosedDeviceDropsTransmitsFindsNothingAndWaitsOnlyForThePost() throws Exception {
        TapDevice tap = open();
        tap.close();
        assertThat(tap.isClosed()).isTrue();
        assertThat(tap.receive(buf, 0, 0)).isZero();
        assertThat(tap.transmit(buf, 0, 60, 0)).isTrue();
        assertThat(tap.transmitErrors()).isEqualTo(1);
        Wakeup wakeup = new Wakeup();
        wakeup.post();
        long start = System.nanoTime();
        tap.await(wakeup, 5_000_000, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(tap.toString()).endsWith(", closed)");
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
