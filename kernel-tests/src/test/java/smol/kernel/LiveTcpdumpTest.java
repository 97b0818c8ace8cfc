package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import smol.examples.LiveCapture;
import smol.phy.Device;
import smol.phy.DeviceProviders;
import smol.testsupport.Netns;

/**
 * The live tcpdump against tshark: both listen on the same veth while two kernels ping and talk TCP
 * across it; every frame tshark saw appears in our listing exactly once, in its direction, with the same
 * addresses, ports and flags, and our listing has no frame that tshark did not see.
 */
class LiveTcpdumpTest {
    private static final Pattern FIRST_LINE = Pattern.compile(
            "\\d\\d:\\d\\d:\\d\\d\\.\\d{6} (in |out) EthernetII src=(\\S+) dst=(\\S+) type=(\\S+)");
    private static final Pattern IPV4 = Pattern.compile("^ {2}IPv4 (?:\\([^)]*\\) )?src=(\\S+) dst=(\\S+) proto=(\\S+)");
    private static final Pattern TCP = Pattern.compile(
            "^ {4}TCP (?:\\([^)]*\\) )?src=(\\d+) dst=(\\d+) ((?:(?:syn|fin|rst|psh|ack|urg|ece|cwr) )*)seq=");

    @BeforeEach
    void needs() {
        Netns.requireRootAndTun();
        Netns.requireTool("tshark", "tshark");
        Netns.requireTool("socat", "socat");
        Netns.requireTool("ping", "iputils-ping");
    }

    @Test
    @Timeout(120)
    void everyFrameTsharkSeesIsListedOnceInItsDirectionAndNoOther(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("tshark.pcap");
        try (Netns ns = Netns.create("dump"); Netns peer = RawVeth.twoKernels(ns)) {
            // IPv6 off in both namespaces: a kernel sends MLD reports at random times after a link comes
            // up, and one crossing as a capture starts or stops would be seen by one listener only.
            for (Netns n : new Netns[] {ns, peer}) {
                n.check("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
                n.check("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
            }
            long ourMac = RawVeth.mac(ns, RawVeth.DEVICE_END);
            Process tshark = ns.start("tshark", "-i", RawVeth.DEVICE_END, "-F", "pcap", "-w", pcap.toString());
            awaitCapturing(tshark);
            Device device = DeviceProviders.open("raw", RawVeth.DEVICE_END,
                    Map.of("netns", ns.name(), "outgoing", "keep"));
            ByteArrayOutputStream listing = new ByteArrayOutputStream();
            LiveCapture capture = new LiveCapture(device, new PrintStream(listing, true, StandardCharsets.UTF_8));
            AtomicLong listed = new AtomicLong();
            Thread listener = new Thread(() -> listed.set(capture.run(0, () -> false)), "live tcpdump");
            listener.start();
            try {
                ns.start("socat", "TCP-LISTEN:7000,reuseaddr,fork", "EXEC:cat");
                assertThat(peer.run("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.77.0.1").exit()).isZero();
                String echoed = "";
                for (int attempt = 0; attempt < 20 && !echoed.contains("hello"); attempt++) {
                    echoed = peer.run("sh", "-c", "echo hello | socat -t 1 - TCP:10.77.0.1:7000").stdout();
                    if (!echoed.contains("hello")) {
                        Thread.sleep(100); // the listener may not be up yet: a refused try is listed too
                    }
                }
                assertThat(echoed).contains("hello");
                Thread.sleep(1_000); // the last ACKs and FINs cross
                tshark.destroy(); // SIGTERM: tshark finishes its file
                assertThat(tshark.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                capture.stop();
                listener.join(5_000);
                ((AutoCloseable) device).close();
            }

            // Frames to IPv6 multicast (33:33:…) that left before IPv6 was off are not this test's traffic.
            List<String> theirs = withoutIpv6Multicast(tsharkFrames(pcap, ourMac));
            List<String> ours = withoutIpv6Multicast(ourFrames(listing.toString(StandardCharsets.UTF_8)));
            assertThat(theirs).as("tshark saw the pings and the TCP session").hasSizeGreaterThan(12);
            assertThat(counts(ours)).as("our listing against tshark's, frame by frame").isEqualTo(counts(theirs));
            assertThat(ours).anyMatch(f -> f.startsWith("out ")).anyMatch(f -> f.startsWith("in  "));
            assertThat(listed.get()).isGreaterThanOrEqualTo(ours.size());
        }
    }

    private static List<String> withoutIpv6Multicast(List<String> frames) {
        return frames.stream().filter(f -> !f.split(" +")[2].startsWith("33:33:")).toList();
    }

    /** Waits until tshark says it is capturing (it prints "Capturing on ..." on its error stream). */
    private static void awaitCapturing(Process tshark) throws Exception {
        BufferedReader err = new BufferedReader(new InputStreamReader(tshark.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String line;
        while ((line = err.readLine()) != null) {
            if (line.contains("Capturing on")) {
                Thread drain = new Thread(() -> {
                    try {
                        err.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // tshark ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        throw new IllegalStateException("tshark did not start capturing");
    }

    /** Each frame of tshark's file as "dir ethsrc ethdst [ipsrc ipdst proto [sport dport flags]]". */
    private static List<String> tsharkFrames(Path pcap, long ourMac) throws Exception {
        Netns.Result r = Netns.Result.of(Duration.ofSeconds(60), "tshark", "-r", pcap.toString(), "-T", "fields",
                "-E", "separator=|", "-e", "eth.src", "-e", "eth.dst", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.proto",
                "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.flags.syn", "-e", "tcp.flags.fin",
                "-e", "tcp.flags.reset", "-e", "tcp.flags.push", "-e", "tcp.flags.ack");
        assertThat(r.exit()).as(r.stderr()).isZero();
        String ours = macText(ourMac);
        List<String> frames = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            String[] f = line.split("\\|", -1);
            StringBuilder key = new StringBuilder(f[0].equals(ours) ? "out " : "in  ").append(f[0]).append(' ').append(f[1]);
            if (!f[2].isEmpty() && !f[2].contains(",")) { // not an ICMP error's quoted header
                key.append(' ').append(f[2]).append(' ').append(f[3]).append(' ').append(protocol(f[4]));
                if (!f[5].isEmpty()) {
                    key.append(' ').append(f[5]).append(' ').append(f[6]).append(' ')
                            .append(flags(f[7], f[8], f[9], f[10], f[11]));
                }
            }
            frames.add(key.toString());
        }
        return frames;
    }

    /** Each frame of our listing, keyed as {@link #tsharkFrames} keys tshark's. */
    private static List<String> ourFrames(String listing) {
        List<String> frames = new ArrayList<>();
        StringBuilder key = null;
        for (String line : listing.lines().toList()) {
            Matcher first = FIRST_LINE.matcher(line);
            if (first.lookingAt()) {
                if (key != null) {
                    frames.add(key.toString());
                }
                key = new StringBuilder(first.group(1).equals("out") ? "out " : "in  ")
                        .append(first.group(2).replace('-', ':')).append(' ').append(first.group(3).replace('-', ':'));
                continue;
            }
            Matcher ip = IPV4.matcher(line);
            if (ip.lookingAt() && key != null) {
                key.append(' ').append(ip.group(1)).append(' ').append(ip.group(2)).append(' ').append(ip.group(3));
                continue;
            }
            Matcher tcp = TCP.matcher(line);
            if (tcp.lookingAt() && key != null) {
                String words = tcp.group(3);
                key.append(' ').append(tcp.group(1)).append(' ').append(tcp.group(2)).append(' ')
                        .append(flags(bit(words, "syn"), bit(words, "fin"), bit(words, "rst"), bit(words, "psh"),
                                bit(words, "ack")));
            }
        }
        if (key != null) {
            frames.add(key.toString());
        }
        return frames;
    }

    private static String bit(String words, String word) {
        return (" " + words).contains(" " + word + " ") ? "1" : "0";
    }

    private static String flags(String syn, String fin, String rst, String psh, String ack) {
        return (isSet(syn) ? "S" : "") + (isSet(fin) ? "F" : "") + (isSet(rst) ? "R" : "") + (isSet(psh) ? "P" : "")
                + (isSet(ack) ? "A" : "");
    }

    private static boolean isSet(String field) {
        return field.equals("1") || field.equalsIgnoreCase("true") || field.equals("True");
    }

    private static String protocol(String number) {
        return switch (number) {
            case "1" -> "icmp";
            case "6" -> "tcp";
            case "17" -> "udp";
            default -> number;
        };
    }

    private static String macText(long mac) {
        StringBuilder sb = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (sb.length() > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", (mac >>> shift) & 0xff));
        }
        return sb.toString();
    }

    private static Map<String, Integer> counts(List<String> frames) {
        Map<String, Integer> counts = new HashMap<>();
        for (String f : frames) {
            counts.merge(f, 1, Integer::sum);
        }
        return counts;
    }
}
