package smol.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smol.wire.testing.Wireshark;

/**
 * Our listing of the kernel captures agrees with tshark's dissection, field by field: addresses,
 * ports, TCP flags and raw sequence numbers, ICMP identifiers and sequence numbers, ARP operations.
 */
class TsharkAgreementTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    // tshark field → how our listing names it (layer + key); first occurrence of each, as in our listing.
    static final String[][] FIELDS = {
        {"eth.src", "EthernetII", "src"},
        {"eth.dst", "EthernetII", "dst"},
        {"arp.opcode", "ARP", "op"},
        {"arp.src.hw_mac", "ARP", "src.mac"},
        {"arp.src.proto_ipv4", "ARP", "src.ip"},
        {"arp.dst.hw_mac", "ARP", "tgt.mac"},
        {"arp.dst.proto_ipv4", "ARP", "tgt.ip"},
        {"ip.src", "IPv4", "src"},
        {"ip.dst", "IPv4", "dst"},
        {"ip.ttl", "IPv4", "ttl"},
        {"icmp.ident", "ICMPv4", "id"},
        {"icmp.seq", "ICMPv4", "seq"},
        {"udp.srcport", "UDP", "src"},
        {"udp.dstport", "UDP", "dst"},
        {"tcp.srcport", "TCP", "src"},
        {"tcp.dstport", "TCP", "dst"},
        {"tcp.seq_raw", "TCP", "seq"},
        {"tcp.ack_raw", "TCP", "ack"},
        {"tcp.flags", "TCP", "flags"},
        {"tcp.window_size_value", "TCP", "win"},
        {"tcp.len", "TCP", "len"},
    };

    @ParameterizedTest
    @ValueSource(strings = {"arp.pcap", "icmp.pcap", "udp.pcap", "tcp.pcap", "mixed.pcapng", "tcp-lo.pcap"})
    void ourListingAgreesWithTsharkFieldByField(String name) throws Exception {
        Path file = FIXTURES.resolve(name);
        List<String> args = new ArrayList<>(List.of("-r", file.toString(), "-o", "ip.defragment:FALSE",
                "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"));
        for (String[] f : FIELDS) {
            args.add("-e");
            args.add(f[0]);
        }
        Wireshark.Result tshark = Wireshark.tshark(args.toArray(String[]::new));
        assertThat(tshark.exitCode()).as(tshark.stderr()).isZero();

        List<Map<String, String>> ours = ourFields(file);
        assertThat(ours).as("frames in " + name).hasSize(tshark.lines().size()).isNotEmpty();
        int compared = 0;
        for (int frame = 0; frame < ours.size(); frame++) {
            String[] theirs = tshark.lines().get(frame).split("\t", -1);
            for (int i = 0; i < FIELDS.length; i++) {
                String reference = i < theirs.length ? normalise(FIELDS[i][0], theirs[i]) : "";
                String mine = ours.get(frame).getOrDefault(FIELDS[i][1] + "." + FIELDS[i][2], "");
                if (reference.isEmpty() && ours.get(frame).containsKey("fragment")) {
                    continue; // tshark leaves a fragment's upper layers alone when not reassembling; so do we
                }
                assertThat(mine).as("%s frame %d %s", name, frame + 1, FIELDS[i][0]).isEqualTo(reference);
                if (!reference.isEmpty()) {
                    compared++;
                }
            }
        }
        assertThat(compared).as("fields compared in " + name).isGreaterThan(ours.size() * 3);
    }

    /** tshark's text for a field, in the form our listing uses. */
    static String normalise(String field, String value) {
        if (value.isEmpty()) {
            return value;
        }
        switch (field) {
            case "eth.src", "eth.dst", "arp.src.hw_mac", "arp.dst.hw_mac":
                return value.replace(':', '-');
            case "arp.opcode":
                return value.equals("1") ? "request" : value.equals("2") ? "reply" : value;
            case "tcp.flags":
                return Integer.toString(Integer.decode(value) & 0xff);
            default:
                return value;
        }
    }

    /** Reads a capture with our reader and printer; returns each frame's fields keyed "Layer.key". */
    static List<Map<String, String>> ourFields(Path file) throws IOException {
        List<Map<String, String>> frames = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file); PcapReader reader = new PcapReader(in)) {
            PcapRecord r;
            while ((r = reader.next()) != null) {
                frames.add(fieldsOf(PacketPrinter.print(r.buffer(), 0, r.capturedLength())));
            }
            assertThat(reader.problem()).as("problem reading " + file).isNull();
        }
        return frames;
    }

    /** Parses a listing into "Layer.key" → value, keeping the first occurrence of each. */
    static Map<String, String> fieldsOf(String listing) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : listing.split("\n")) {
            String[] tokens = line.trim().split(" ");
            String layer = tokens[0];
            int flags = 0;
            boolean seenLayer = fields.keySet().stream().anyMatch(k -> k.startsWith(layer + "."));
            Map<String, String> here = new HashMap<>();
            for (int t = 1; t < tokens.length; t++) {
                String token = tokens[t];
                int eq = token.indexOf('=');
                if (eq > 0) {
                    String key = token.substring(0, eq);
                    String value = token.substring(eq + 1);
                    if (layer.equals("ARP") && (key.equals("src") || key.equals("tgt"))) {
                        int slash = value.indexOf('/');
                        here.put(key + ".mac", value.substring(0, slash));
                        here.put(key + ".ip", value.substring(slash + 1));
                    } else {
                        here.put(key, value);
                    }
                } else if (layer.equals("TCP")) {
                    flags |= flagBit(token);
                } else if (layer.equals("ARP") && t == 1) {
                    here.put("op", token);
                } else if (token.startsWith("(fragment")) {
                    fields.put("fragment", "yes");
                }
            }
            if (layer.equals("TCP")) {
                here.put("flags", Integer.toString(flags));
            }
            if (!seenLayer) {
                here.forEach((k, v) -> fields.put(layer + "." + k, v));
            }
        }
        return fields;
    }

    static int flagBit(String word) {
        return switch (word) {
            case "fin" -> 0x01;
            case "syn" -> 0x02;
            case "rst" -> 0x04;
            case "psh" -> 0x08;
            case "ack" -> 0x10;
            case "urg" -> 0x20;
            case "ece" -> 0x40;
            case "cwr" -> 0x80;
            default -> 0;
        };
    }
}
