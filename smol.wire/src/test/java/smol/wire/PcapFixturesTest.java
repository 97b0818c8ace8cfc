package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smol.wire.testing.Wireshark;

/** The captures in src/test/resources/fixtures (made by fixtures/capture.sh from the Linux stack) read right. */
class PcapFixturesTest {
    @TempDir
    Path dir;

    /** Returns the bytes of fixture {@code name}. */
    static byte[] fixture(String name) {
        try (InputStream in = PcapFixturesTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertThat(in).as("fixture %s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"arp.pcap", "icmp.pcap", "udp.pcap", "tcp.pcap", "mixed.pcapng", "tcp-lo.pcap"})
    void everyCaptureReadsCleanlyWithTheTimestampsAndLengthsTsharkSees(String name) throws IOException {
        byte[] bytes = fixture(name);
        assertThat(bytes.length).as("a few KB").isLessThan(8192);
        List<PcapngReaderTest.Frame> frames = PcapngReaderTest.readAll(bytes);
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        List<String> tshark = Wireshark.tsharkReadsCleanly(file, "-T", "fields", "-e", "frame.time_epoch", "-e",
                "frame.cap_len", "-e", "frame.len");
        List<String> ours = new ArrayList<>();
        for (PcapngReaderTest.Frame f : frames) {
            assertThat(f.linkType()).isEqualTo(LinkType.ETHERNET);
            ours.add(String.format("%d.%09d\t%d\t%d", f.timestampNanos() / 1_000_000_000L,
                    f.timestampNanos() % 1_000_000_000L, f.capturedLength(), f.originalLength()));
        }
        assertThat(ours).isEqualTo(tshark);
    }

    @Test
    void arpCaptureHoldsRequestReplyAndGratuitousArp() throws IOException {
        List<PcapngReaderTest.Frame> frames = PcapngReaderTest.readAll(fixture("arp.pcap"));
        assertThat(frames).hasSize(3);
        EthernetFrame eth = new EthernetFrame();
        // Request: broadcast from 02:00:00:00:00:01, opcode 1, who has 10.99.0.2.
        eth.wrap(frames.get(0).bytes(), 0, frames.get(0).capturedLength());
        assertThat(eth.check()).isNull();
        assertThat(eth.destination()).isEqualTo(0xffffffffffffL);
        assertThat(eth.source()).isEqualTo(0x020000000001L);
        assertThat(eth.etherType()).isEqualTo(EtherType.ARP);
        assertThat(Bytes.u16(eth.buffer(), 14 + 6)).isEqualTo(1);
        assertThat(Bytes.u32(eth.buffer(), 14 + 24)).isEqualTo(0x0a630002);
        // Reply from 02:00:00:00:00:02, opcode 2.
        eth.wrap(frames.get(1).bytes(), 0, frames.get(1).capturedLength());
        assertThat(eth.source()).isEqualTo(0x020000000002L);
        assertThat(Bytes.u16(eth.buffer(), 14 + 6)).isEqualTo(2);
        // Gratuitous: sender and target protocol address are both 10.99.0.1.
        byte[] g = frames.get(2).bytes();
        assertThat(Bytes.u32(g, 14 + 14)).isEqualTo(0x0a630001);
        assertThat(Bytes.u32(g, 14 + 24)).isEqualTo(0x0a630001);
    }

    @Test
    void mixedPcapngIsTheArpUdpAndTcpCapturesInTimeOrder() throws IOException {
        List<PcapngReaderTest.Frame> merged = new ArrayList<>();
        for (String name : new String[] {"arp.pcap", "udp.pcap", "tcp.pcap"}) {
            merged.addAll(PcapngReaderTest.readAll(fixture(name)));
        }
        merged.sort(Comparator.comparingLong(PcapngReaderTest.Frame::timestampNanos));
        byte[] pcapng = fixture("mixed.pcapng");
        assertThat(Bytes.u32(pcapng, 0)).isEqualTo(0x0a0d0d0a);
        assertThat(PcapngReaderTest.readAll(pcapng)).isEqualTo(merged);
    }

    @Test
    void tcpCaptureOpensWithASynCarryingTheKernelsOptions() throws IOException {
        PcapngReaderTest.Frame syn = PcapngReaderTest.readAll(fixture("tcp.pcap")).get(0);
        byte[] b = syn.bytes();
        int tcp = 14 + 20;
        assertThat(Bytes.u16(b, tcp)).isEqualTo(40000);
        assertThat(Bytes.u16(b, tcp + 2)).isEqualTo(7777);
        assertThat(Bytes.u8(b, tcp + 13)).isEqualTo(0x02);
        // Data offset 10: 20 bytes of options (mss, sackOK, timestamps, nop, wscale).
        assertThat(Bytes.u8(b, tcp + 12) >>> 4).isEqualTo(10);
        assertThat(Bytes.u8(b, tcp + 20)).isEqualTo(2);
    }
}
