package smol.osgitests;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.osgitests.DeviceServices.awaitInterface;
import static smol.osgitests.DeviceServices.awaitUntil;
import static smol.osgitests.DeviceServices.socketsOf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import smol.iface.SocketSetService;
import smol.iface.UdpEndpoint;
import smol.socket.UdpSocket;

/**
 * The {@code smol:} Gogo commands of smol.examples, run in Gogo sessions of the test's own (streams of
 * bytes, as a console would give them) against two interfaces, {@code sh-one} (192.168.70.1) and
 * {@code sh-two} (192.168.70.2), on the two ends of an in-memory cable (PIDs {@code smol.phy.cable} and
 * {@code smol.iface}): ping through the stack, with replies and with none, interrupted as Ctrl-C does;
 * the socket table; ifconfig of a bound and of a waiting interface; the neighbour cache; the devices and
 * who uses them; the help text; and the messages of bad arguments.
 */
@ExtendWith({BundleContextExtension.class, ServiceExtension.class})
class ShellCommandsTest {
    static final String ONE_MAC = "02-00-00-00-00-81";
    static final String TWO_MAC = "02-00-00-00-00-82";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    @InjectService(timeout = 10_000)
    CommandProcessor processor;

    DeviceServices services;

    /**
     * What a command printed, what it returned (as text, "" for nothing: a shell prints it after the
     * output), and what it threw (null when it returned).
     */
    record Run(String out, String err, String result, Exception failure) {
        /** The messages of the failure and its causes, joined. */
        String failureMessages() {
            StringBuilder all = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            return all.toString();
        }
    }

    @BeforeEach
    void twoInterfacesOnACable() throws Exception {
        services = new DeviceServices(context, configAdmin);
        services.configure("smol.phy.cable", "shell-cable", Map.of("a", "sh-a", "b", "sh-b"));
        services.configure("smol.iface", "shell-one", Map.of("name", "sh-one", "mac", ONE_MAC,
                "addresses", new String[] {"192.168.70.1/24"}, "device", "sh-a"));
        services.configure("smol.iface", "shell-two", Map.of("name", "sh-two", "mac", TWO_MAC,
                "addresses", new String[] {"192.168.70.2/24"}, "device", "sh-b"));
        awaitInterface(context, "sh-one", s -> s.iface().linkUp());
        awaitInterface(context, "sh-two", s -> s.iface().linkUp());
    }

    @AfterEach
    void deleteConfigurations() throws Exception {
        services.deleteConfigurations("sh-a", "sh-b");
        awaitUntil(() -> context.getServiceReferences(SocketSetService.class, "(smol.interface.name=sh-*)").isEmpty(),
                () -> "the interfaces to go away");
    }

    /** Runs {@code command} in a new session and returns what it printed and threw. */
    Run execute(String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Exception failure = null;
        Object result = null;
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err)) {
            result = session.execute(command);
        } catch (Exception e) {
            failure = e;
        }
        return new Run(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                result == null ? "" : result.toString(), failure);
    }

    /** Runs {@code command} and returns what a console shows: its output, then its result; fails when it threw. */
    String output(String command) {
        Run run = execute(command);
        assertThat(run.failure()).as(command + " printed:\n" + run.out() + run.err()).isNull();
        return run.out() + run.result();
    }

    /** Returns the lines of {@code text} that start with {@code start}. */
    static List<String> linesStartingWith(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).toList();
    }

    @Test
    void pingGetsThreeRepliesThroughTheStackAndTheSummarySaysNoLoss() {
        String out = output("smol:ping -c 3 -i 0.2 192.168.70.2");

        assertThat(out).startsWith("PING 192.168.70.2 (192.168.70.2) from 192.168.70.1 sh-one: 56(84) bytes of data.");
        assertThat(out.lines().filter(l -> l.matches(
                "64 bytes from 192\\.168\\.70\\.2: icmp_seq=[123] ttl=64 time=\\d+\\.\\d{3} ms")))
                .hasSize(3);
        assertThat(out).contains("--- 192.168.70.2 ping statistics ---")
                .containsPattern("3 packets transmitted, 3 received, 0% packet loss, time \\d+ms")
                .containsPattern("rtt min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms");
    }

    @Test
    void pingToAnAddressNobodyHasReportsFullLossAfterItsTimeout() {
        long start = System.nanoTime();
        String out = output("smol:ping -c 2 -i 0.2 -W 0.5 192.168.70.99");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(out).doesNotContain("bytes from")
                .containsPattern("2 packets transmitted, 0 received, 100% packet loss, time \\d+ms")
                .doesNotContain("rtt min");
        assertThat(elapsedMillis).as("the interval, then the timeout after the last request").isGreaterThanOrEqualTo(700);
    }

    @Test
    void pingEndsWithItsSummaryWhenItsJobIsInterruptedAsCtrlCDoes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), out,
                new ByteArrayOutputStream())) {
            Thread shell = new Thread(() -> {
                try {
                    session.execute("smol:ping -c 1000 -i 0.05 192.168.70.2");
                } catch (Exception e) {
                    failure.set(e);
                }
            }, "shell");
            shell.start();
            awaitUntil(() -> out.toString(StandardCharsets.UTF_8).contains("icmp_seq=3 "), () -> "three replies; got "
                    + out.toString(StandardCharsets.UTF_8));

            Job job = session.foregroundJob();
            assertThat(job).as("the ping's job").isNotNull();
            job.interrupt();
            shell.join(10_000);
            awaitUntil(() -> out.toString(StandardCharsets.UTF_8).contains("packets transmitted"),
                    () -> "the summary; got " + out.toString(StandardCharsets.UTF_8));

            assertThat(shell.isAlive()).as("the shell's call ended").isFalse();
        }
        String text = out.toString(StandardCharsets.UTF_8);
        // Gogo ends the interrupted call with an InterruptedException, as its console expects after a Ctrl-C
        assertThat(failure.get()).as(text).satisfiesAnyOf(f -> assertThat(f).isNull(),
                f -> assertThat(f).isInstanceOf(InterruptedException.class));
        Matcher summary = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(text);
        assertThat(summary.find()).as(text).isTrue();
        assertThat(Integer.parseInt(summary.group(1))).isBetween(3, 999);
    }

    @Test
    void tcpdumpListsFramesOfAnInterfaceOrOfTheDeviceItUsesUntilItsCount() throws Exception {
        for (String target : new String[] {"sh-one", "sh-a"}) {
            AtomicReference<Run> dump = new AtomicReference<>();
            Thread shell = new Thread(() -> dump.set(execute("smol:tcpdump -c 4 " + target)), "tcpdump");
            shell.start();
            awaitUntil(() -> {
                output("smol:ping -c 1 192.168.70.2");
                return !shell.isAlive();
            }, () -> "tcpdump to list 4 frames of " + target);

            Run run = dump.get();
            assertThat(run.failure()).as(run.out()).isNull();
            List<String> frames = run.out().lines().filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} (in |out) .*")).toList();
            assertThat(frames).as(run.out()).hasSize(4).allMatch(l -> l.contains("EthernetII"));
            assertThat(run.out()).startsWith("listening on sh-one").contains("tcpdump sh-one: 4 frames listed, 0 dropped");
        }
        assertThat(execute("smol:tcpdump -c -1 sh-one").failureMessages())
                .contains("tcpdump: -c count must be a whole number, 0 or more, not -1");
        assertThat(execute("smol:tcpdump sh-nosuch").failureMessages())
                .contains("tcpdump: no interface named sh-nosuch, and no interface uses a device of that name now");
    }

    @Test
    void socketsListsASocketTheTestOpenedWithItsOwner() throws Exception {
        SocketSetService sockets = socketsOf(context, "sh-two");
        try (UdpEndpoint udp = sockets.udp(new UdpSocket(2, 256, 2, 256))) {
            udp.bind(4242);

            String out = output("smol:sockets");

            String owner = context.getBundle().getSymbolicName() + " [" + context.getBundle().getBundleId() + "]";
            assertThat(out.lines().findFirst()).hasValueSatisfying(header -> assertThat(header)
                    .startsWith("INTERFACE").contains("OWNER").contains("TYPE").contains("STATE").contains("RETRANS"));
            assertThat(linesStartingWith(out, "sh-two ")).anySatisfy(line -> assertThat(line).contains(owner)
                    .contains(" udp ").contains(" BOUND ").contains(":4242").contains(" 0/2 "));
        }
    }

    @Test
    void ifconfigShowsTheLinkUpTheDevicesAndCountersThatGrewWithTraffic() {
        output("smol:ping -c 1 192.168.70.2");

        String out = output("smol:ifconfig sh-one");

        assertThat(out).startsWith("sh-one: link up, mtu 1500").contains("ether " + ONE_MAC)
                .contains("inet 192.168.70.1/24").contains("device sh-a, bound: cable end ");
        Matcher rx = Pattern.compile("RX frames (\\d+)  bytes (\\d+)").matcher(out);
        Matcher tx = Pattern.compile("TX frames (\\d+)  bytes (\\d+)").matcher(out);
        assertThat(rx.find() && tx.find()).as(out).isTrue();
        assertThat(Long.parseLong(rx.group(1))).isPositive();
        assertThat(Long.parseLong(tx.group(2))).isPositive();
        assertThat(out).contains("drops");
        assertThat(output("smol:ifconfig")).contains("sh-one: link up").contains("sh-two: link up");
    }

    @Test
    void ifconfigSaysThatAnInterfaceWaitsForItsDevice() throws Exception {
        services.configure("smol.iface", "shell-lonely", Map.of("name", "sh-lonely", "mac", "02-00-00-00-00-83",
                "addresses", new String[] {"192.168.72.1/24"}, "device", "sh-nowhere"));
        awaitInterface(context, "sh-lonely", s -> true);

        assertThat(output("smol:ifconfig sh-lonely")).startsWith("sh-lonely: link down")
                .contains("device sh-nowhere, none bound: waiting for a Device service with smol.device.name=sh-nowhere");
    }

    @Test
    void arpShowsThePeersMacAfterAPing() {
        output("smol:ping -c 1 192.168.70.2");

        assertThat(linesStartingWith(output("smol:arp sh-one"), "sh-one "))
                .singleElement().satisfies(line -> assertThat(line).contains("192.168.70.2").contains(TWO_MAC)
                        .containsPattern("in \\d+\\.\\d s"));
        assertThat(output("smol:arp")).contains(ONE_MAC).contains(TWO_MAC);
    }

    @Test
    void devicesShowsBothCableEndsAndTheInterfacesThatUseThem() {
        String out = output("smol:devices");

        assertThat(out.lines().findFirst()).hasValueSatisfying(header -> assertThat(header).startsWith("NAME")
                .contains("KIND").contains("SERVICE.ID").contains("USED BY"));
        assertThat(linesStartingWith(out, "sh-a ")).singleElement()
                .satisfies(line -> assertThat(line).matches("sh-a +cable +ethernet +1500 +\\d+ +0 +sh-one"));
        assertThat(linesStartingWith(out, "sh-b ")).singleElement()
                .satisfies(line -> assertThat(line).matches("sh-b +cable +ethernet +1500 +\\d+ +0 +sh-two"));
    }

    @Test
    void helpOfPingPrintsItsDescriptionAndOptions() {
        String out = output("help smol:ping");

        assertThat(out).contains("send ICMP echo requests from the smol stack").contains("-c")
                .contains("how many requests to send").contains("-W").contains("-I");
    }

    @Test
    void badArgumentsAreRefusedWithAMessageThatSaysWhatIsWrong() {
        assertThat(execute("smol:ping -c 0 192.168.70.2").failureMessages())
                .contains("ping: -c count must be at least 1, not 0");
        assertThat(execute("smol:ping -c many 192.168.70.2").failureMessages())
                .contains("ping: -c count must be a whole number, not many");
        assertThat(execute("smol:ping 192.168.70.300").failureMessages())
                .contains("ping: 192.168.70.300 is not an IPv4 address");
        assertThat(execute("smol:ping").failureMessages()).contains("ping: which address?");
        assertThat(execute("smol:ping -I sh-nosuch 192.168.70.2").failureMessages())
                .contains("ping: no interface named sh-nosuch").contains("sh-one");
        assertThat(execute("smol:ping 10.1.2.3").failureMessages()).contains("ping: no interface routes to 10.1.2.3");
        assertThat(execute("smol:ping -s 9000 192.168.70.2").failureMessages())
                .contains("does not fit the MTU 1500 of sh-one");
        assertThat(execute("smol:ifconfig sh-nosuch").failureMessages())
                .contains("ifconfig: no interface named sh-nosuch");
        assertThat(execute("smol:arp sh-nosuch").failureMessages()).contains("arp: no interface named sh-nosuch");
    }
}
