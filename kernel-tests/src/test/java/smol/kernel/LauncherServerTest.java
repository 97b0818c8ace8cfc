package smol.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static smol.kernel.TapFrames.TAP;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import smol.testsupport.Netns;

/**
 * {@code ./smol server} as a user runs it, a process of its own: it sets up the kernel's side of a TAP in
 * the test's namespace, serves ping, UDP and TCP to the kernel's tools, and on SIGTERM stops, printing its
 * summary. Runs on the jars the build made; it never lets the launcher build (it fails, saying why, when the
 * launcher would).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LauncherServerTest {
    /** The modules whose jars the launcher runs on, and the device bundles it adds when they have code. */
    private static final List<String> MODULES = List.of("smol.wire", "smol.phy", "smol.socket", "smol.iface",
            "smol.examples");
    private static final List<String> DEVICES = List.of("smol.phy.tap", "smol.phy.raw");

    private Netns ns;
    private Process server;
    @TempDir
    Path dir;

    @BeforeEach
    void namespace() {
        Netns.requireRootAndTun();
        // smol-cli-XXXX: 13 characters. ./smol server takes at most 15 for --netns (it checks namespace names
        // as interface names), though ip netns and the TAP device take longer ones.
        ns = Netns.create("cli");
    }

    @AfterEach
    void deleteNamespace() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void theLaunchedServerSetsUpItsTapServesTheKernelAndStopsOnSigtermWithASummary() throws Exception {
        Netns.requireTool("ping", "iputils-ping");
        Netns.requireTool("socat", "socat");
        Path root = repositoryRoot();
        requireBuiltJars(root);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        server = new ProcessBuilder(root.resolve("smol").toString(), "server", "--netns", ns.name(), "--tap", TAP)
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        awaitLine(out, err, "smol server: serving on " + TAP + " as 192.168.69.1/24");
        assertThat(Files.readString(out))
                .contains("smol server: created the persistent TAP " + TAP + " in namespace " + ns.name())
                .contains("smol server: the kernel's side of " + TAP + " is 192.168.69.100/24, up");

        Netns.Result ping = ns.run("ping", "-c", "3", "-i", "0.2", "-W", "2", TapServer.OUR_IP);
        assertThat(ping.stdout()).as(ping.stderr()).contains("3 packets transmitted, 3 received, 0% packet loss");
        Netns.Result udp = ns.run("sh", "-c",
                "printf abcdefg | socat -t 2 - UDP4-CONNECT:" + TapServer.OUR_IP + ":6969");
        assertThat(udp.stdout()).as(udp.stderr()).isEqualTo("yo dawg");
        Netns.Result tcp = ns.run("sh", "-c",
                "printf abcdefg | socat -t 2 - TCP4-CONNECT:" + TapServer.OUR_IP + ":6969");
        assertThat(tcp.stdout()).as(tcp.stderr()).isEqualTo("gfedcba\n");

        server.destroy(); // SIGTERM
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("the server ends on SIGTERM").isTrue();
        String printed = Files.readString(out);
        assertThat(printed).containsPattern("smol server: stopped after [0-9.]+ s: in \\d+ frames \\(\\d+ B\\), out \\d+"
                + " frames \\(\\d+ B\\), dropped \\d+ in and \\d+ out");
        assertThat(Files.readString(err)).as("nothing on standard error").isEmpty();
        assertThat(server.exitValue()).as("exit status after SIGTERM").isEqualTo(EXIT_ON_SIGTERM);
    }

    /**
     * The JVM's exit status after SIGTERM: 128 + 15, as for any process the signal ends. The JVM runs the
     * shutdown hooks (the server's summary) and then halts with it; the command's own exit code is never
     * reached.
     */
    private static final int EXIT_ON_SIGTERM = 143;

    /** Waits until {@code out} has {@code line}; fails with what the process printed if it ends first. */
    private void awaitLine(Path out, Path err, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.readString(out).contains(line)) {
                return;
            }
            if (!server.isAlive()) {
                fail("./smol server exited " + server.exitValue() + " before serving:\n" + Files.readString(out)
                        + Files.readString(err));
            }
            Thread.sleep(100);
        }
        fail("./smol server did not print '" + line + "' within 30 s:\n" + Files.readString(out)
                + Files.readString(err));
    }

    /** The directory holding the {@code smol} launcher: this module's parent, found by walking up. */
    private static Path repositoryRoot() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isExecutable(at.resolve("smol")) && Files.isRegularFile(at.resolve("pom.xml"))) {
                return at;
            }
        }
        throw new IllegalStateException("no directory above " + Path.of("").toAbsolutePath()
                + " holds the smol launcher");
    }

    /**
     * Fails unless every jar the launcher runs on is built and newer than its sources, as the launcher judges
     * it: otherwise it would start a Maven build inside this test.
     */
    private static void requireBuiltJars(Path root) throws IOException {
        Path stamp = root.resolve("smol.examples/target/.launcher-built");
        for (String module : Stream.concat(MODULES.stream(), DEVICES.stream()).toList()) {
            if (DEVICES.contains(module) && !Files.isDirectory(root.resolve(module).resolve("src/main"))) {
                continue; // a device bundle with no code yet: the launcher skips it too
            }
            Optional<Path> jar = jarOf(root, module);
            if (jar.isEmpty()) {
                fail("./smol would build first: " + module + " has no jar (run 'mvn -B package' first; this test"
                        + " does not start Maven)");
            }
            FileTime built = Files.getLastModifiedTime(jar.get());
            for (Path source : List.of(root.resolve(module).resolve("src/main"), root.resolve(module).resolve("pom.xml"),
                    root.resolve(module).resolve("bnd.bnd"), root.resolve("pom.xml"), root.resolve("bnd.bnd"),
                    root.resolve("cnf"))) {
                Optional<Path> newer = newerThan(source, built, stamp);
                if (newer.isPresent()) {
                    fail("./smol would build first: " + root.relativize(newer.get()) + " is newer than "
                            + root.relativize(jar.get()) + " (run 'mvn -B package' first; this test does not start"
                            + " Maven)");
                }
            }
        }
    }

    private static Optional<Path> jarOf(Path root, String module) throws IOException {
        Path target = root.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(module + "-") && name.endsWith(".jar") && !name.endsWith("-sources.jar")
                        && !name.endsWith("-tests.jar") && !name.endsWith("-javadoc.jar");
            }).sorted().findFirst();
        }
    }

    /** Returns a file under {@code source} newer than {@code built} and than {@code stamp} (when it exists). */
    private static Optional<Path> newerThan(Path source, FileTime built, Path stamp) throws IOException {
        if (!Files.exists(source)) {
            return Optional.empty();
        }
        FileTime stamped = Files.exists(stamp) ? Files.getLastModifiedTime(stamp) : null;
        try (Stream<Path> files = Files.walk(source)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    FileTime modified = Files.getLastModifiedTime(f);
                    return modified.compareTo(built) > 0 && (stamped == null || modified.compareTo(stamped) > 0);
                } catch (IOException e) {
                    return true;
                }
            }).findFirst();
        }
    }
}
