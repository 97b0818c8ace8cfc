package smol.iface;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import smol.socket.driver.InitialSequence;
import smol.wire.Checksum;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;

/**
 * The kernel captures of smol.wire's fixtures (10.99.0.1 / 02-00-00-00-00-01 ↔ 10.99.0.2 /
 * 02-00-00-00-00-02, see smol.wire/src/test/resources/fixtures/README.md) and helpers to build and
 * compare frames.
 */
final class Fixtures {
    static final Path DIR = Path.of("..", "smol.wire", "src", "test", "resources", "fixtures");

    static final EthernetAddress MAC_A = EthernetAddress.parse("02-00-00-00-00-01");
    static final EthernetAddress MAC_B = EthernetAddress.parse("02-00-00-00-00-02");
    static final Ipv4Address IP_A = Ipv4Address.parse("10.99.0.1");
    static final Ipv4Address IP_B = Ipv4Address.parse("10.99.0.2");
    static final Ipv4Cidr CIDR_B = Ipv4Cidr.parse("10.99.0.2/24");

    private Fixtures() {}

    /** Returns every frame of a fixture file, copied. */
    /**
     * A configuration builder whose ISN generator is keyed with a fixed secret, so that every run of a
     * test picks the same sequence numbers.
     */
    static InterfaceConfig.Builder builder() {
        return InterfaceConfig.builder().initialSequence(InitialSequence.keyed(0x5eed, 0x1d));
    }

    static List<byte[]> frames(String file) {
        try (InputStream in = Files.newInputStream(DIR.resolve(file)); PcapReader reader = new PcapReader(in)) {
            List<byte[]> frames = new ArrayList<>();
            for (PcapRecord r = reader.next(); r != null; r = reader.next()) {
                frames.add(Arrays.copyOf(r.buffer(), r.capturedLength()));
            }
            return frames;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns frame {@code number} (from 1, as tshark counts) of a fixture file. */
    static byte[] frame(String file, int number) {
        return frames(file).get(number - 1);
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Returns a copy of an Ethernet/IPv4 frame with the IPv4 identification and flags word replaced and
     * the header checksum recomputed: for comparing our frames with the kernel's, which numbers its
     * packets differently and sets Don't Fragment on some.
     */
    static byte[] withIdentificationAndFlags(byte[] frame, int identification, int flagsAndOffset) {
        byte[] f = frame.clone();
        put16(f, 14 + 4, identification);
        put16(f, 14 + 6, flagsAndOffset);
        refreshIpv4Checksum(f);
        return f;
    }

    static void refreshIpv4Checksum(byte[] f) {
        int headerLength = (f[14] & 0x0f) * 4;
        put16(f, 14 + 10, 0);
        put16(f, 14 + 10, Checksum.complement(Checksum.add(0, f, 14, headerLength)));
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }
}
