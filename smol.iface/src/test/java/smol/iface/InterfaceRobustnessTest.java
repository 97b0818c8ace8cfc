package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;

/** Whatever the bytes, the interface never throws and counts every frame it does not accept as a drop. */
class InterfaceRobustnessTest {
    private static final List<byte[]> CAPTURED = new ArrayList<>();

    static {
        for (String file : new String[] {"arp.pcap", "icmp.pcap", "udp.pcap", "tcp.pcap"}) {
            CAPTURED.addAll(Fixtures.frames(file));
        }
    }

    /** Host B of the captures with sockets on the ports the captures use, so that valid frames are taken. */
    private static Rig liveRig() {
        Rig rig = new Rig();
        rig.add(new TestSockets.UdpSink(5555)).add(new TestSockets.TcpSink(7777)).add(new TestSockets.IcmpSink());
        return rig;
    }

    @Test
    void everyMalformedFixtureFrameIsACountedDrop() throws IOException {
        Rig rig = liveRig();
        List<String> descriptions = Files.readAllLines(Fixtures.DIR.resolve("malformed.txt"));
        Map<IfaceDrop, Integer> reasons = new EnumMap<>(IfaceDrop.class);
        int fed = 0;
        try (InputStream in = Files.newInputStream(Fixtures.DIR.resolve("malformed.pcap"));
                PcapReader reader = new PcapReader(in)) {
            int number = 0;
            for (PcapRecord r = reader.next(); r != null; r = reader.next()) {
                number++;
                if (r.capturedLength() == 0) {
                    continue; // a device cannot hand over an empty frame: receive() returning 0 means "none"
                }
                InterfaceStatistics before = snapshot(rig);
                rig.receive(Arrays.copyOf(r.buffer(), r.capturedLength()));
                InterfaceStatistics after = rig.stats();
                String description = descriptions.get(number - 1);

                assertThat(after.receivedDrops()).as(description).isEqualTo(before.receivedDrops() + 1);
                assertThat(after.framesAccepted()).as(description).isEqualTo(before.framesAccepted());
                assertThat(rig.device.takeTransmitted()).as(description).isEmpty();
                IfaceDrop reason = changedReason(before, after);
                assertThat(reason).as(description).isIn(IfaceDrop.MALFORMED, IfaceDrop.BAD_CHECKSUM, IfaceDrop.UNSUPPORTED);
                reasons.merge(reason, 1, Integer::sum);
                fed++;
            }
        }
        assertThat(fed).isEqualTo(descriptions.size() - 5); // the five cuts to 0 bytes
        assertThat(reasons).containsOnlyKeys(IfaceDrop.MALFORMED, IfaceDrop.BAD_CHECKSUM, IfaceDrop.UNSUPPORTED);
    }

    /** A copy of the drop counters, to see which one a frame moved. */
    private static InterfaceStatistics snapshot(Rig rig) {
        InterfaceStatistics copy = new InterfaceStatistics();
        for (IfaceDrop reason : IfaceDrop.values()) {
            for (long i = rig.stats().drops(reason); i > 0; i--) {
                copy.countDrop(reason);
            }
        }
        for (long i = rig.stats().framesAccepted(); i > 0; i--) {
            copy.countAccepted();
        }
        return copy;
    }

    private static IfaceDrop changedReason(InterfaceStatistics before, InterfaceStatistics after) {
        for (IfaceDrop reason : IfaceDrop.values()) {
            if (after.drops(reason) != before.drops(reason)) {
                return reason;
            }
        }
        return null;
    }

    @Property(tries = 2000)
    void oneCorruptedByteInsideAnIpv4PacketIsAlwaysADrop(@ForAll("ipv4Frames") byte[] frame,
            @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll @IntRange(min = 1, max = 255) int xor) {
        Rig rig = liveRig();
        byte[] corrupted = frame.clone();
        int at = 14 + where % (frame.length - 14);
        corrupted[at] ^= (byte) xor;

        rig.receive(corrupted);

        // every byte of an IPv4 packet is covered by the header checksum or the ICMP/UDP/TCP checksum
        assertThat(rig.stats().framesAccepted()).isZero();
        assertThat(rig.stats().receivedDrops()).isEqualTo(1);
    }

    @Provide
    Arbitrary<byte[]> ipv4Frames() {
        List<byte[]> ipv4 = new ArrayList<>();
        for (byte[] f : CAPTURED) {
            if (f[12] == 0x08 && f[13] == 0x00) {
                ipv4.add(f);
            }
        }
        return Arbitraries.of(ipv4);
    }

    @Property(tries = 2000)
    void randomMutationsNeverThrowAndEveryFrameIsAcceptedOrDropped(@ForAll @IntRange(min = 0, max = 39) int which,
            @ForAll long seed) {
        Rig rig = liveRig();
        byte[] mutated = mutate(CAPTURED.get(which % CAPTURED.size()), new Random(seed));

        rig.receive(mutated);

        InterfaceStatistics s = rig.stats();
        assertThat(s.framesIn()).isEqualTo(mutated.length == 0 ? 0 : 1);
        assertThat(s.framesAccepted() + s.receivedDrops()).isEqualTo(s.framesIn());
    }

    @Test
    void aLongStreamOfMutatedFramesLeavesALiveInterfaceConsistent() {
        Rig rig = liveRig();
        Random random = new Random(42);
        int fed = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = CAPTURED.get(random.nextInt(CAPTURED.size()));
            byte[] mutated = random.nextInt(4) == 0 ? frame : mutate(frame, random);
            if (mutated.length == 0) {
                continue;
            }
            rig.device.inject(mutated);
            fed++;
            if (random.nextInt(8) == 0) {
                rig.now += random.nextInt(2_000_000);
                rig.poll();
                rig.device.takeTransmitted();
            }
        }
        rig.now += 1;
        while (rig.device.waiting() > 0) {
            rig.poll();
        }

        InterfaceStatistics s = rig.stats();
        assertThat(s.framesIn()).isEqualTo(fed);
        assertThat(s.framesAccepted() + s.receivedDrops()).isEqualTo(fed);
        assertThat(s.framesAccepted()).isPositive();
    }

    @Test
    void deviceClaimingMoreBytesThanTheBufferHoldsIsACountedDrop() {
        Interface iface = new Interface(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new smol.socket.SocketSet(1));
        RecordingDevice liar = new RecordingDevice() {
            private boolean lied;

            @Override
            public int receive(byte[] buf, int off, long nowMicros) {
                if (lied) {
                    return 0;
                }
                lied = true;
                return buf.length + 1;
            }
        };
        iface.attach(liar);

        iface.poll(0);

        assertThat(iface.statistics().malformed(smol.wire.Malformed.BAD_LENGTH)).isEqualTo(1);
        assertThat(iface.statistics().receivedDrops()).isEqualTo(1);
    }

    /** Flips, overwrites, cuts or extends a copy of {@code frame}, a few times. */
    private static byte[] mutate(byte[] frame, Random random) {
        byte[] f = frame.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (f.length > 0) {
                        f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    if (f.length > 0) {
                        f[random.nextInt(f.length)] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> f = Arrays.copyOf(f, random.nextInt(f.length + 1));
                case 3 -> f = Arrays.copyOf(f, Math.min(1514, f.length + 1 + random.nextInt(64)));
                default -> {
                    // a length or offset field set to something extreme
                    if (f.length > 2) {
                        int at = random.nextInt(f.length - 1);
                        f[at] = (byte) (random.nextBoolean() ? 0xff : 0x00);
                        f[at + 1] = (byte) (random.nextBoolean() ? 0xff : 0x00);
                    }
                }
            }
        }
        return f;
    }
}
