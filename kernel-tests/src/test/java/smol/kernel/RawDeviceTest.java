package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static smol.kernel.RawVeth.DEVICE_END;
import static smol.kernel.RawVeth.KERNEL_END;
import static smol.kernel.TapFrames.KERNEL_IP;
import static smol.kernel.TapFrames.OUR_IP;
import static smol.kernel.TapFrames.OUR_MAC;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceProviders;
import smol.phy.Medium;
import smol.phy.ReceivedChecksum;
import smol.phy.Wakeup;
import smol.phy.raw.RawDevice;
import smol.testsupport.Netns;
import smol.wire.ArpPacket;
import smol.wire.ArpRepr;
import smol.wire.Checksum;

/**
 * The raw packet socket device against the kernel's own stack, on a veth pair inside a namespace of each
 * test's own: the device on {@value RawVeth#DEVICE_END}, the kernel's 192.168.69.100/24 on
 * {@value RawVeth#KERNEL_END} (the TAP tests' addresses, so {@link TapFrames} builds the frames).
 */
class RawDeviceTest {
    private Netns ns;
    private final TapFrames frames = new TapFrames();
    private final byte[] buf = new byte[RawDevice.MAX_FRAME_LENGTH];
    /** The checksum statuses of the frames over the MTU in the last bulk stream. */
    private Set<ReceivedChecksum> statusesOverTheMtu;

    @BeforeEach
    void namespace() {
        Netns.requireRootAndTun();
        Netns.requireTool("ethtool", "ethtool");
        ns = Netns.create("raw");
    }

    @AfterEach
    void deleteNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    private RawDevice open(String... options) {
        Map<String, String> given = new HashMap<>(Map.of("netns", ns.name()));
        for (int i = 0; i < options.length; i += 2) {
            given.put(options[i], options[i + 1]);
        }
        return (RawDevice) DeviceProviders.open("raw", DEVICE_END, given);
    }

    /** A frame as a test saw it: its length, direction and checksum status. */
    private interface FrameTest {
        boolean matches(RawDevice device, int len);
    }

    /** Receives until a frame passes {@code test} or {@code seconds} pass; returns its length, or 0. */
    private int receiveUntil(RawDevice device, int seconds, FrameTest test) throws InterruptedException {
        Wakeup wakeup = new Wakeup();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            device.await(wakeup, 200_000, false);
            int len;
            while ((len = device.receive(buf, 0, 0)) > 0) {
                if (test.matches(device, len)) {
                    return len;
                }
            }
        }
        return 0;
    }

    private static long sourceMac(byte[] f) {
        long mac = 0;
        for (int i = 6; i < 12; i++) {
            mac = (mac << 8) | (f[i] & 0xff);
        }
        return mac;
    }

    private static boolean isTcp(byte[] f, int len) {
        return len >= 54 && f[12] == 0x08 && f[13] == 0x00 && f[23] == 6;
    }

    @Test
    void anArpRequestFromTheDeviceIsAnsweredByTheKernel() throws Exception {
        RawVeth.create(ns, "192.168.69.100/24");
        try (RawDevice raw = open()) {
            int len = frames.arpRequest(buf, KERNEL_IP);
            assertThat(raw.transmit(buf, 0, len, 0)).isTrue();
            int replyLen = receiveUntil(raw, 5, (d, n) -> {
                ArpRepr arp = frames.arp(buf, n);
                return arp != null && arp.operation() == ArpPacket.REPLY && arp.senderIp() == KERNEL_IP;
            });
            assertThat(replyLen).as("the kernel's ARP reply").isPositive();
            ArpRepr reply = frames.arp(buf, replyLen);
            assertThat(reply.targetMac()).isEqualTo(OUR_MAC);
            assertThat(reply.targetIp()).isEqualTo(OUR_IP);
            assertThat(reply.senderMac()).isEqualTo(RawVeth.mac(ns, KERNEL_END));
            assertThat(raw.receivedOutgoing()).isFalse();
            assertThat(raw.transmitErrors()).isZero();
            assertThat(raw.receiveErrors()).isZero();
        }
    }

    @Test
    void theKernelPingingUsMakesAWaitReturnWithItsArpRequest() throws Exception {
        RawVeth.create(ns, "192.168.69.100/24");
        try (RawDevice raw = open()) {
            Wakeup wakeup = new Wakeup();
            raw.await(wakeup, 0, false); // nothing yet: returns at once
            ns.start("ping", "-c", "5", "-i", "0.5", "192.168.69.1");
            long start = System.nanoTime();
            raw.await(wakeup, 10_000_000, false);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("woken by a frame")
                    .isLessThan(5_000);
            int len = receiveUntil(raw, 5, (d, n) -> {
                ArpRepr arp = frames.arp(buf, n);
                return arp != null && arp.operation() == ArpPacket.REQUEST && arp.senderIp() == KERNEL_IP;
            });
            assertThat(len).as("the kernel asks who has 192.168.69.1").isPositive();
            assertThat(frames.arp(buf, len).targetIp()).isEqualTo(OUR_IP);
        }
    }

    @Test
    void aPostFromAnotherThreadEndsABlockedWaitPromptly() throws Exception {
        RawVeth.create(ns, null);
        try (RawDevice raw = open()) {
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
            raw.await(wakeup, -1, false);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waited).isBetween(150L, 3_000L);
            assertThat(wakeup.isPosted()).as("the wait consumed the post").isFalse();
            poster.join();
        }
    }

    @Test
    void theCapabilitiesAreEthernetWithTheInterfacesMtu() throws Exception {
        RawVeth.create(ns, null);
        ns.check("ip", "link", "set", DEVICE_END, "mtu", "1400");
        try (RawDevice raw = open()) {
            assertThat(raw.capabilities().medium()).isEqualTo(Medium.ETHERNET);
            assertThat(raw.capabilities().mtu()).isEqualTo(1400);
            assertThat(raw.capabilities().checksums()).isEqualTo(ChecksumCapabilities.ALL);
            assertThat(raw).hasToString("raw " + DEVICE_END + " (mtu 1400, netns " + ns.name() + ")");
            assertThat(raw.namespace()).isEqualTo(ns.name());
            assertThat(Files.exists(Path.of("/sys/class/net", DEVICE_END))).as("not in the host's namespace").isFalse();
        }
        try (RawDevice raw = open("outgoing", "keep")) {
            assertThat(raw.keepsOutgoing()).isTrue();
            assertThat(raw).hasToString("raw " + DEVICE_END + " (mtu 1400, netns " + ns.name() + ", outgoing kept)");
        }
    }

    /**
     * The kernel sends ARP requests out of the device's end (a route to 10.79.0.0/24 through it): by default
     * the device never sees them, nor its own frames; with outgoing=keep it sees the kernel's, flagged, and
     * the frames the other device sends.
     */
    @Test
    void outgoingFramesAreIgnoredByDefaultAndKeptFlaggedOnRequest() throws Exception {
        RawVeth.create(ns, "192.168.69.100/24");
        ns.check("ip", "route", "add", "10.79.0.0/24", "dev", DEVICE_END);
        long deviceEndMac = RawVeth.mac(ns, DEVICE_END);
        try (RawDevice stack = open(); RawDevice capture = open("outgoing", "keep")) {
            int len = frames.arpRequest(buf, KERNEL_IP);
            assertThat(stack.transmit(buf, 0, len, 0)).isTrue();
            ns.start("ping", "-c", "2", "-i", "0.5", "10.79.0.5"); // the kernel asks, out of smolv0, who has .5
            boolean[] seen = new boolean[4]; // our request, the kernel's outgoing ARP, the reply (incoming)
            receiveUntil(capture, 4, (d, n) -> {
                ArpRepr arp = frames.arp(buf, n);
                if (arp != null && arp.senderMac() == OUR_MAC && arp.operation() == ArpPacket.REQUEST) {
                    seen[0] = true;
                    assertThat(d.receivedOutgoing()).as("our request went out on the interface").isTrue();
                } else if (arp != null && sourceMac(buf) == deviceEndMac && arp.operation() == ArpPacket.REQUEST) {
                    seen[1] = true;
                    assertThat(d.receivedOutgoing()).as("the kernel's request is outgoing").isTrue();
                } else if (arp != null && arp.operation() == ArpPacket.REPLY && arp.targetMac() == OUR_MAC) {
                    seen[2] = true;
                    assertThat(d.receivedOutgoing()).as("the kernel's reply came in").isFalse();
                }
                return seen[0] && seen[1] && seen[2];
            });
            assertThat(seen).as("request sent by the other socket, kernel's outgoing request, reply")
                    .startsWith(true, true, true);

            int[] counts = new int[3]; // frames from us, outgoing frames of the kernel, incoming replies
            receiveUntil(stack, 2, (d, n) -> {
                assertThat(d.receivedOutgoing()).isFalse();
                ArpRepr arp = frames.arp(buf, n);
                if (sourceMac(buf) == OUR_MAC) {
                    counts[0]++;
                } else if (sourceMac(buf) == deviceEndMac) {
                    counts[1]++;
                } else if (arp != null && arp.operation() == ArpPacket.REPLY) {
                    counts[2]++;
                }
                return false;
            });
            assertThat(counts[0]).as("its own frame is never received back").isZero();
            assertThat(counts[1]).as("the kernel's outgoing frames are ignored").isZero();
            assertThat(counts[2]).as("the reply is received").isEqualTo(1);
        }
    }

    /**
     * Checksum status of the kernel's TCP SYNs to 192.168.69.1 (a neighbour entry for our MAC, no listener:
     * the SYN is sent again and again). They go out of smolv1 and come in at smolv0.
     */
    private Set<ReceivedChecksum> statusesOfKernelSyns(RawDevice raw) throws Exception {
        ns.check("ip", "neigh", "replace", "192.168.69.1", "lladdr", "02:00:00:00:00:01", "dev", KERNEL_END);
        ns.start("socat", "-u", "OPEN:/dev/null", "TCP:192.168.69.1:7,connect-timeout=4");
        Set<ReceivedChecksum> statuses = EnumSet.noneOf(ReceivedChecksum.class);
        int[] syns = new int[1];
        receiveUntil(raw, 5, (d, n) -> {
            if (isTcp(buf, n) && (buf[14 + 20 + 13] & 0x02) != 0) {
                syns[0]++;
                statuses.add(d.receivedChecksum());
                if (d.receivedChecksum() == ReceivedChecksum.UNKNOWN) {
                    assertThat(tcpChecksumIsRight(buf, n)).as("an UNKNOWN checksum is filled in and right").isTrue();
                } else if (d.receivedChecksum() == ReceivedChecksum.NOT_READY) {
                    assertThat(tcpChecksumIsRight(buf, n)).as("a NOT_READY checksum holds only the pseudo-header's sum")
                            .isFalse();
                }
            }
            return syns[0] >= 2;
        });
        assertThat(syns[0]).as("the kernel's SYNs").isGreaterThanOrEqualTo(2);
        System.out.println("raw: checksum status of the kernel's SYNs: " + statuses);
        return statuses;
    }

    private static boolean tcpChecksumIsRight(byte[] f, int len) {
        int ipHeader = (f[14] & 0xf) * 4;
        int total = ((f[16] & 0xff) << 8) | (f[17] & 0xff);
        int tcpLen = total - ipHeader;
        int src = ((f[26] & 0xff) << 24) | ((f[27] & 0xff) << 16) | ((f[28] & 0xff) << 8) | (f[29] & 0xff);
        int dst = ((f[30] & 0xff) << 24) | ((f[31] & 0xff) << 16) | ((f[32] & 0xff) << 8) | (f[33] & 0xff);
        long acc = Checksum.add(Checksum.pseudoHeaderIpv4(src, dst, 6, tcpLen), f, 14 + ipHeader, tcpLen);
        return Checksum.complement(acc) == 0;
    }

    @Test
    void withTheVethsOffloadsOnTheKernelsSynsArriveWithTheirChecksumNotFilledIn() throws Exception {
        Netns.requireTool("socat", "socat");
        RawVeth.create(ns, "192.168.69.100/24");
        try (RawDevice raw = open()) {
            // The kernel leaves the sum to the "card" (CHECKSUM_PARTIAL) and a veth passes the frame on so:
            // the packet socket reports TP_STATUS_CSUMNOTREADY.
            assertThat(statusesOfKernelSyns(raw)).containsExactly(ReceivedChecksum.NOT_READY);
        }
    }

    @Test
    void withTheVethsOffloadsOffTheKernelsSynsArriveUnknownWithRightChecksums() throws Exception {
        Netns.requireTool("socat", "socat");
        RawVeth.create(ns, "192.168.69.100/24");
        RawVeth.offloadsOff(ns, KERNEL_END);
        RawVeth.offloadsOff(ns, DEVICE_END);
        try (RawDevice raw = open()) {
            assertThat(statusesOfKernelSyns(raw)).containsExactly(ReceivedChecksum.UNKNOWN);
        }
    }

    @Test
    void aVethNeverVouchesForAChecksumItDidNotCheck() throws Exception {
        Netns.requireTool("socat", "socat");
        RawVeth.create(ns, "192.168.69.100/24");
        RawVeth.offloadsOff(ns, KERNEL_END); // summed in software when sent; smolv0 keeps rx checksumming on
        try (RawDevice raw = open()) {
            // Linux 5.13 and later ("veth: don't modify ip_summed") no longer mark a summed frame
            // CHECKSUM_UNNECESSARY on the way across: no TP_STATUS_CSUM_VALID, the stack checks the sum itself.
            assertThat(statusesOfKernelSyns(raw)).containsExactly(ReceivedChecksum.UNKNOWN);
        }
    }

    /**
     * Two kernels (two namespaces joined by the veth) stream TCP to each other; the device watches the
     * receiving end. Returns the longest frame it received whole into its 64 KiB array, after asserting
     * every frame longer than the MTU is TCP with a status that is not UNKNOWN.
     */
    private int longestFrameOfABulkStream(Netns sender, String setUpOnDeviceEnd) throws Exception {
        try (RawDevice raw = open()) {
            ns.start("socat", "-u", "TCP-LISTEN:5001,reuseaddr", "OPEN:/dev/null");
            Thread.sleep(300);
            sender.start("timeout", "3", "socat", "-u", "OPEN:/dev/zero", "TCP:10.77.0.1:5001");
            int[] longest = new int[1];
            Set<ReceivedChecksum> statuses = EnumSet.noneOf(ReceivedChecksum.class);
            receiveUntil(raw, 3, (d, n) -> {
                if (n > raw.capabilities().maxFrameLength()) {
                    assertThat(isTcp(buf, n)).isTrue();
                    statuses.add(d.receivedChecksum());
                    int ipLength = ((buf[16] & 0xff) << 8) | (buf[17] & 0xff);
                    assertThat(ipLength).as("the IP length covers the whole frame").isEqualTo(n - 14);
                }
                longest[0] = Math.max(longest[0], n);
                return false;
            });
            System.out.println("raw: " + setUpOnDeviceEnd + ": longest frame " + longest[0] + " bytes, statuses of"
                    + " frames over the MTU " + statuses + ", dropped too long " + raw.droppedTooLong());
            assertThat(statuses).doesNotContain(ReceivedChecksum.UNKNOWN);
            assertThat(raw.droppedTooLong()).isZero();
            statusesOverTheMtu = statuses;
            return longest[0];
        }
    }

    private Netns twoKernels() {
        return RawVeth.twoKernels(ns);
    }

    @Test
    void theKernelsTsoFramesCrossTheVethWholeAndAreDeliveredUpTo64KiB() throws Exception {
        Netns.requireTool("socat", "socat");
        try (Netns sender = twoKernels()) {
            // TSO on the sending end (the veth default): the sender's 64 KiB segments reach smolv0 uncut, their
            // checksums not filled in (CHECKSUM_PARTIAL).
            int longest = longestFrameOfABulkStream(sender, "TSO");
            assertThat(longest).as("a frame longer than MTU + 14").isGreaterThan(1514);
            assertThat(statusesOverTheMtu).containsExactly(ReceivedChecksum.NOT_READY);
        }
    }

    @Test
    void framesCoalescedByGroOnTheDevicesEndAreDeliveredWhole() throws Exception {
        Netns.requireTool("socat", "socat");
        try (Netns sender = twoKernels()) {
            // MTU-sized segments on the wire, their checksums left to the card (tx on): GRO on smolv0 coalesces
            // them and keeps them CHECKSUM_PARTIAL
            sender.check("ethtool", "-K", KERNEL_END, "tso", "off", "gso", "off");
            ns.check("ethtool", "-K", DEVICE_END, "gro", "on");
            int longest = longestFrameOfABulkStream(sender, "GRO of unsummed segments");
            assertThat(longest).as("a coalesced frame longer than MTU + 14").isGreaterThan(1514);
            assertThat(statusesOverTheMtu).containsExactly(ReceivedChecksum.NOT_READY);
        }
    }

    @Test
    void framesCoalescedByGroFromSummedSegmentsAreDeliveredWholeAndStillNotReady() throws Exception {
        Netns.requireTool("socat", "socat");
        try (Netns sender = twoKernels()) {
            // MTU-sized segments with their checksums filled in (tx off): GRO checks each sum before coalescing,
            // but tcp_gro_complete leaves the coalesced frame CHECKSUM_PARTIAL (its sum to be filled in if it is
            // ever sent on), so the packet socket reports TP_STATUS_CSUMNOTREADY, not TP_STATUS_CSUM_VALID
            sender.check("ethtool", "-K", KERNEL_END, "tx", "off", "tso", "off", "gso", "off");
            ns.check("ethtool", "-K", DEVICE_END, "gro", "on");
            int longest = longestFrameOfABulkStream(sender, "GRO of summed segments");
            assertThat(longest).as("a coalesced frame longer than MTU + 14").isGreaterThan(1514);
            assertThat(statusesOverTheMtu).containsExactly(ReceivedChecksum.NOT_READY);
        }
    }

    /**
     * The kernel takes the VLAN tag off every tagged frame it receives before packet sockets see it
     * (skb_vlan_untag, with or without the 8021q module) and reports it in the auxiliary data; the device puts
     * it back. A second raw device on the other end sends the tagged frame.
     */
    @Test
    void aVlanTagTheKernelTookOffIsPutBack() throws Exception {
        RawVeth.create(ns, null);
        byte[] tagged = new byte[64];
        java.util.Arrays.fill(tagged, 0, 6, (byte) 0xff);
        tagged[6] = 0x02;
        tagged[11] = 0x02;
        tagged[12] = (byte) 0x81; // 802.1Q, priority 3, VLAN 5
        tagged[14] = 0x60;
        tagged[15] = 0x05;
        tagged[16] = (byte) 0x88; // local experimental EtherType 0x88b5
        tagged[17] = (byte) 0xb5;
        for (int i = 18; i < tagged.length; i++) {
            tagged[i] = (byte) i;
        }
        try (RawDevice raw = open();
                RawDevice peer = (RawDevice) DeviceProviders.open("raw", KERNEL_END, Map.of("netns", ns.name()))) {
            assertThat(peer.transmit(tagged, 0, tagged.length, 0)).isTrue();
            int len = receiveUntil(raw, 5, (d, n) -> (buf[16] & 0xff) == 0x88 && (buf[17] & 0xff) == 0xb5);
            assertThat(len).as("the tagged frame, as it was sent").isEqualTo(tagged.length);
            assertThat(java.util.Arrays.copyOf(buf, len)).isEqualTo(tagged);
        }
    }

    @Test
    void badNamesMissingInterfacesAndMissingNamespacesAreRefusedSayingWhatToDo() {
        assertThatThrownBy(() -> DeviceProviders.open("raw", "any", Map.of("netns", ns.name())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("raw any: Linux's 'any' pseudo-device is refused");
        assertThatThrownBy(() -> DeviceProviders.open("raw", "smolveth-too-long", Map.of("netns", ns.name())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is too long: 17 bytes, at most 15");
        assertThatThrownBy(() -> open())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("raw " + DEVICE_END + ": no interface called " + DEVICE_END + " in network namespace "
                        + ns.name() + " (ip link show lists them; ip netns exec " + ns.name() + " ip link show)");
        String absent = ns.name() + "-absent";
        assertThatThrownBy(() -> DeviceProviders.open("raw", DEVICE_END, Map.of("netns", absent)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no network namespace '" + absent + "'")
                .hasMessageContaining("sudo ip netns add " + absent);
        assertThatThrownBy(() -> DeviceProviders.open("raw", DEVICE_END, Map.of("netns", "/proc/self/status")))
                .as("a file that is not a namespace")
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("is not a network namespace");
    }

    @Test
    void openingAndClosingFiftyTimesLeaksNoDescriptor() throws Exception {
        RawVeth.create(ns, null);
        try (RawDevice warm = open()) {
            assertThat(warm.capabilities().mtu()).isPositive(); // loads JNA and the classes before counting
        }
        long before = openDescriptors();
        for (int i = 0; i < 50; i++) {
            RawDevice raw = open(i % 2 == 0 ? new String[0] : new String[] {"outgoing", "keep"});
            raw.await(new Wakeup(), 0, false);
            raw.close();
            raw.close();
        }
        assertThat(openDescriptors()).isEqualTo(before);
    }

    @Test
    void aClosedDeviceDropsTransmitsFindsNothingAndWaitsOnlyForThePost() throws Exception {
        RawVeth.create(ns, null);
        RawDevice raw = open();
        raw.close();
        assertThat(raw.isClosed()).isTrue();
        assertThat(raw.receive(buf, 0, 0)).isZero();
        assertThat(raw.transmit(buf, 0, 60, 0)).isTrue();
        assertThat(raw.transmitErrors()).isEqualTo(1);
        Wakeup wakeup = new Wakeup();
        wakeup.post();
        long start = System.nanoTime();
        raw.await(wakeup, 5_000_000, false);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
        assertThat(raw.toString()).endsWith(", closed)");
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
