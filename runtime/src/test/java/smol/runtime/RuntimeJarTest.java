package smol.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the exported runtime ({@code target/smol.jar}) as an operator would, with the {@code demo}
 * configuration set (two interfaces on an in-memory cable, the server example, the console log) and the Gogo
 * shell reading a pipe, and checks it from outside: its shell, its log, its exit status. In memory only: no
 * device of the host is touched, no privilege needed.
 */
class RuntimeJarTest {
    private static final Path JAR = Path.of(System.getProperty("smol.runtime.jar", "target/smol.jar"));
    private static final Path ETC = Path.of(System.getProperty("smol.runtime.etc", "etc"));
    private static final Path DEMO = ETC.resolve("demo");
    /** Generous: two cores shared with other builds. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /** One line of Gogo's {@code lb}: id, state, start level, name. */
    private static final Pattern LB_LINE = Pattern.compile("(\\d+)\\|(\\w+)\\s*\\|\\s*\\d+\\|(.+)$");

    @Test
    void demoStartsEveryBundleActiveAndLogsBothInterfacesStarting(@TempDir Path dir) throws Exception {
        RunningJar runtime = RunningJar.start(dir, DEMO, "--noshutdown");
        try {
            runtime.awaitOutput(out -> out.contains("interface smol0 started") && out.contains("interface smol1 started")
                    && out.contains("serving on smol0 port 6969"), START_TIMEOUT);

            Listing lb = runtime.awaitStarted();

            assertThat(lb.listed()).as("lb lists the system bundle and every bundle of the jar").hasSize(runBundles(JAR) + 1);
            assertThat(lb.notActive()).as("bundles neither Active nor fragments (fragments: %s)", fragmentsIn(JAR)).isEmpty();
            assertThat(runtime.output()).as("no error in the console log").doesNotContainPattern("(?m)^\\S+ ERROR ");
        } finally {
            runtime.destroy();
        }
    }

    @Test
    void endOfInputLeavesItRunningAndSigtermStopsItInOrderWithStatus0(@TempDir Path dir) throws Exception {
        RunningJar runtime = RunningJar.start(dir, DEMO, "--noshutdown");
        try {
            runtime.awaitStarted();

            runtime.process.getOutputStream().close();
            assertThat(runtime.process.waitFor(3, TimeUnit.SECONDS)).as("still running after the end of input").isFalse();

            long start = System.nanoTime();
            // SIGTERM through the process's handle: Process.destroy would also close the pipe it prints to.
            assertThat(runtime.process.toHandle().destroy()).as("SIGTERM sent").isTrue();
            assertThat(runtime.process.waitFor(5, TimeUnit.SECONDS)).as("stopped within 5 s of SIGTERM").isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            String out = runtime.output();
            assertThat(runtime.process.exitValue()).as("exit status after SIGTERM (%d ms)\n%s", millis, out).isZero();
            assertThat(out).as("every bundle stopped: the devices closed, the server, the interfaces and the log")
                    .contains("interface smol0: link down, device cable-a is gone")
                    .contains("stopped serving on smol0").contains("interface smol0 stopped")
                    .contains("interface smol1 stopped").contains("console log stopped");
        } finally {
            runtime.destroy();
        }
    }

    @Test
    void endOfInputWithoutNoshutdownStopsTheFrameworkWithStatus0(@TempDir Path dir) throws Exception {
        RunningJar runtime = RunningJar.start(dir, DEMO, "");
        try {
            runtime.awaitStarted();
            runtime.process.getOutputStream().close();
            assertThat(runtime.process.waitFor(30, TimeUnit.SECONDS)).as("stopped at the end of input").isTrue();
            String out = runtime.output();
            assertThat(runtime.process.exitValue()).as(out).isZero();
            assertThat(out).contains("interface smol0 stopped");
        } finally {
            runtime.destroy();
        }
    }

    @Test
    void configurationFilesAddedToTheWatchedFolderWhileItRunsStartTheDemoAndARemovedOneStopsItsInterface(
            @TempDir Path dir) throws Exception {
        Path config = Files.createDirectories(dir.resolve("etc"));
        // Not a configuration: the runtime reads only .cfg and .config files there.
        Files.writeString(config.resolve("README"), "notes of the operator\n");
        RunningJar runtime = RunningJar.start(dir, config, "--noshutdown");
        try {
            runtime.awaitEveryBundleActive();
            assertThat(runtime.output()).doesNotContain("interface smol0 started");

            try (var files = Files.list(DEMO)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, config.resolve(file.getFileName()));
                }
            }
            runtime.awaitOutput(out -> out.contains("interface smol0 started") && out.contains("interface smol1 started")
                    && out.contains("serving on smol0 port 6969"), START_TIMEOUT);

            Files.delete(config.resolve("smol.iface-smol1.cfg"));
            runtime.awaitOutput(out -> out.contains("interface smol1 stopped"), Duration.ofSeconds(30));
            assertThat(runtime.output()).as("smol0 runs on, and nothing went wrong")
                    .doesNotContain("interface smol0 stopped").doesNotContainPattern("(?m)^\\S+ ERROR ");
        } finally {
            runtime.destroy();
        }
    }

    /** The number of bundles the jar's launcher installs. */
    private static int runBundles(Path jar) throws IOException {
        return launchBundles(jar).size();
    }

    private static List<String> launchBundles(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Properties launcher = new Properties();
            try (InputStream in = file.getInputStream(file.getEntry("launcher.properties"))) {
                launcher.load(in);
            }
            List<String> paths = new ArrayList<>();
            for (String path : launcher.getProperty("launch.bundles").split(",")) {
                if (!path.isBlank()) {
                    paths.add(path.trim());
                }
            }
            return paths;
        }
    }

    /** The symbolic names of the jar's bundles that are fragments, which lb never shows Active. */
    private static List<String> fragmentsIn(Path jar) throws IOException {
        List<String> fragments = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (String path : launchBundles(jar)) {
                try (JarInputStream bundle = new JarInputStream(file.getInputStream(file.getEntry(path)))) {
                    Manifest manifest = bundle.getManifest();
                    if (manifest != null && manifest.getMainAttributes().getValue("Fragment-Host") != null) {
                        fragments.add(manifest.getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim());
                    }
                }
            }
        }
        return fragments;
    }

    /** Gogo's lb: every line listing a bundle, and those neither Active nor a fragment's. */
    record Listing(List<String> listed, List<String> notActive) {}

    /** The runtime as a child process: its shell's input, and everything it prints (stdout and stderr together). */
    private static final class RunningJar {
        final Process process;
        private final StringBuilder output = new StringBuilder();
        private final Thread reader = new Thread(this::read, "runtime output");

        private RunningJar(Process process) {
            this.process = process;
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Starts the jar in {@code dir}, watching the configurations in {@code config}; {@code goshArgs} is Gogo's
         * {@code gosh.args}.
         */
        static RunningJar start(Path dir, Path config, String goshArgs) throws IOException {
            assertThat(JAR).as("the exported runtime, made in the package phase").isRegularFile();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("--enable-native-access=ALL-UNNAMED");
            if (Runtime.version().feature() >= 23) {
                command.add("--sun-misc-unsafe-memory-access=allow"); // Felix uses sun.misc.Unsafe
            }
            command.add("-Dfelix.fileinstall.dir=" + config.toAbsolutePath());
            command.add("-Dlaunch.storage.dir=" + dir.resolve("cache"));
            // The shell's history, and anything else kept under the user's home, stays in the test's folder.
            command.add("-Duser.home=" + dir);
            if (!goshArgs.isEmpty()) {
                command.add("-Dgosh.args=" + goshArgs);
            }
            command.add("-jar");
            command.add(JAR.toAbsolutePath().toString());
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            return new RunningJar(process);
        }

        private void read() {
            byte[] buffer = new byte[8192];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    synchronized (output) {
                        output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        /** What it printed until now; once it ended, everything it printed. */
        String output() throws InterruptedException {
            if (!process.isAlive()) {
                reader.join(10_000); // the end of its output may still be in the pipe
            }
            synchronized (output) {
                return output.toString();
            }
        }

        /** Waits until the output satisfies {@code condition}; returns it, or fails with the output so far. */
        String awaitOutput(Predicate<String> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (output) {
                while (!condition.test(output.toString())) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0 || !process.isAlive() && !condition.test(output.toString())) {
                        throw new AssertionError("the runtime's output did not show what was awaited within " + timeout
                                + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")") + ":\n"
                                + output);
                    }
                    output.wait(Math.min(left, 500));
                }
                return output.toString();
            }
        }

        /**
         * Waits until the start-up is over, that is until {@code lb} lists every bundle of the jar Active (a
         * fragment Resolved), asking again every half second: the launcher starts the bundles one after the
         * other, the shell among the first, so that the first answers may come before. Returns the last answer.
         */
        Listing awaitStarted() throws Exception {
            awaitOutput(out -> out.contains("interface smol0 started") && out.contains("interface smol1 started")
                    && out.contains("serving on smol0 port 6969"), START_TIMEOUT);
            return awaitEveryBundleActive();
        }

        /** As {@link #awaitStarted}, for any configuration: asks lb until every bundle is Active. */
        Listing awaitEveryBundleActive() throws Exception {
            List<String> fragments = fragmentsIn(JAR);
            int expected = runBundles(JAR) + 1; // and the system bundle
            Listing listing = new Listing(List.of(), List.of());
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            for (int round = 0; System.nanoTime() < deadline; round++) {
                String marker = "lb " + round + " done";
                int from = output().length();
                command("lb");
                command("echo \"lb " + round + "\" \"done\""); // prints lb N done, which the line typed is not
                String out = awaitOutput(o -> o.indexOf(marker, from) >= 0, Duration.ofSeconds(30));
                List<String> listed = new ArrayList<>();
                List<String> notActive = new ArrayList<>();
                for (String line : out.substring(from, out.indexOf(marker, from)).split("\n")) {
                    Matcher m = LB_LINE.matcher(line);
                    if (m.find()) {
                        listed.add(line.trim());
                        if (!m.group(2).equals("Active") && fragments.stream().noneMatch(line::contains)) {
                            notActive.add(line.trim());
                        }
                    }
                }
                listing = new Listing(listed, notActive);
                if (listed.size() == expected && notActive.isEmpty()) {
                    break;
                }
                Thread.sleep(500);
            }
            return listing;
        }

        /** Types one line into the shell. */
        void command(String line) throws IOException {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** Kills what is left: the process and anything it started. */
        void destroy() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
