package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smol.wire.testing.Wireshark;

class MalformedFixturesTest {
    @TempDir
    Path dir;

    @Test
    void committedFilesEqualWhatTheGeneratorMakesNow() throws IOException {
        List<MalformedFixtures.Entry> entries = MalformedFixtures.generate();
        byte[] pcap = MalformedFixtures.pcap(entries);
        String listing = MalformedFixtures.listing(entries);
        if (Boolean.getBoolean("smol.fixtures.write")) {
            // Maven runs the tests in the module directory.
            Path fixtures = Path.of("src", "test", "resources", "fixtures");
            Files.write(fixtures.resolve("malformed.pcap"), pcap);
            Files.writeString(fixtures.resolve("malformed.txt"), listing);
            return;
        }
        assertThat(PcapFixturesTest.fixture("malformed.pcap"))
                .as("malformed.pcap is stale: regenerate it (see fixtures/README.md)").isEqualTo(pcap);
        assertThat(new String(PcapFixturesTest.fixture("malformed.txt"), StandardCharsets.UTF_8))
                .as("malformed.txt is stale: regenerate it (see fixtures/README.md)").isEqualTo(listing);
    }

    @Test
    void tsharkReadsEveryFrameOfMalformedPcap() throws IOException {
        Path file = dir.resolve("malformed.pcap");
        Files.write(file, PcapFixturesTest.fixture("malformed.pcap"));
        List<String> lengths = Wireshark.tsharkReadsCleanly(file, "-T", "fields", "-e", "frame.cap_len");
        List<MalformedFixtures.Entry> entries = MalformedFixtures.generate();
        assertThat(lengths).hasSize(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            assertThat(lengths.get(i)).as("frame %d", i + 1).isEqualTo(String.valueOf(entries.get(i).frame().length));
        }
    }

    @Test
    void listingHasOneNumberedLinePerFrame() throws IOException {
        String[] lines = new String(PcapFixturesTest.fixture("malformed.txt"), StandardCharsets.UTF_8).split("\n");
        int frames = 0;
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(PcapFixturesTest.fixture("malformed.pcap")))) {
            while (r.next() != null) {
                frames++;
            }
            assertThat(r.problem()).isNull();
        }
        assertThat(lines).hasSize(frames);
        for (int i = 0; i < lines.length; i++) {
            assertThat(lines[i]).matches((i + 1) + "\t(arp|icmp|udp|tcp)\\.pcap#\\d+\t[^\t]+: [^\t]+");
        }
    }

    @Test
    void everyKindOfDamageTheLayersAboveNeedIsThere() {
        String listing = MalformedFixtures.listing(MalformedFixtures.generate());
        for (String kind : new String[] {"ARP request", "ICMP echo request", "UDP datagram", "TCP SYN with options",
            "IPv4 with options (record route)"}) {
            assertThat(listing).as(kind).contains(kind + ": cut to 0 of ").contains(kind + ": cut to 13 of ");
        }
        assertThat(listing).contains("IPv4 total length 65535", "below the 20-byte header", "IPv4 IHL 4",
                "IPv4 IHL 15", "UDP length 65535", "UDP length 7", "TCP data offset 4", "TCP data offset 15",
                "TCP option mss (first) length 0", "TCP option mss (first) length 1", "past the end of the 20 bytes",
                "IPv4 header checksum wrong", "ICMP checksum wrong", "UDP checksum wrong", "TCP checksum wrong",
                "IPv4 version 6", "ARP hardware type 6", "ARP protocol type 0x86dd", "802.1Q tag",
                "an IEEE 802.3 length", "runt of 13 bytes");
    }

    @Test
    void fixedChecksumsVerifyAndWrongOnesDoNot() {
        for (MalformedFixtures.Entry e : MalformedFixtures.generate()) {
            byte[] f = e.frame();
            String what = e.what();
            int header = (f.length > 14 ? f[14] & 0x0f : 0) * 4;
            if (what.contains("header checksum fixed")) {
                assertThat(Checksum.sum(f, 14, Math.max(20, header))).as(what).isEqualTo(0xffff);
            }
            if (what.contains("TCP checksum fixed")) {
                int length = Bytes.u16(f, 16) - header;
                long pseudo = Checksum.pseudoHeaderIpv4(Bytes.u32(f, 26), Bytes.u32(f, 30), 6, length);
                assertThat(Checksum.fold(Checksum.add(pseudo, f, 14 + header, length))).as(what).isEqualTo(0xffff);
            }
            if (what.contains("IPv4 header checksum wrong")) {
                assertThat(Checksum.sum(f, 14, header)).as(what).isNotEqualTo(0xffff);
            }
            if (what.contains("ICMP checksum wrong")) {
                assertThat(Checksum.sum(f, 14 + header, f.length - 14 - header)).as(what).isNotEqualTo(0xffff);
                // The IPv4 header around it is intact.
                assertThat(Checksum.sum(f, 14, header)).as(what).isEqualTo(0xffff);
            }
        }
    }

    @Test
    void truncationsArePrefixesOfTheirSource() {
        List<MalformedFixtures.Entry> entries = MalformedFixtures.generate();
        MalformedFixtures.Entry whole = null;
        for (MalformedFixtures.Entry e : entries) {
            if (e.what().contains(": cut to ")) {
                int n = Integer.parseInt(e.what().replaceAll(".*cut to (\\d+) of.*", "$1"));
                assertThat(e.frame()).hasSize(n);
                if (n == 0) {
                    whole = e;
                } else {
                    assertThat(e.source()).isEqualTo(whole.source());
                    assertThat(Arrays.copyOf(entries.get(entries.indexOf(e) - 1).frame(), n - 1))
                            .isEqualTo(Arrays.copyOf(e.frame(), n - 1));
                }
            }
        }
    }
}
