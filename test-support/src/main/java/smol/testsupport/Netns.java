package smol.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace that a test creates and deletes: named {@code smol-<purpose>-<4 hex digits>},
 * so that nothing here ever touches the host's own interfaces. Runs commands inside it with
 * {@code ip netns exec}, keeps the background processes it started, and on {@link #close} kills them
 * and deletes the namespace (with every interface in it).
 *
 * <p>Tests call {@link #requireRootAndTun()} first: without root or {@code /dev/net/tun} they are
 * skipped, saying why (CI counts a skip as a failure).
 */
public final class Netns implements AutoCloseable {
    /** How long a command run with {@link #run} may take before it counts as hung. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final List<Process> started = new ArrayList<>();

    private Netns(String name) {
        this.name = name;
    }

    /**
     * Creates a namespace for {@code purpose} (a few lower-case letters, e.g. "tap") with its loopback up.
     *
     * @throws IllegalStateException when {@code ip netns add} fails
     */
    public static Netns create(String purpose) {
        String name = String.format("smol-%s-%04x", purpose, ThreadLocalRandom.current().nextInt(0x10000));
        Result added = Result.of(COMMAND_TIMEOUT, "ip", "netns", "add", name);
        if (added.exit() != 0) {
            throw new IllegalStateException("ip netns add " + name + " failed: " + added.stderr());
        }
        Netns ns = new Netns(name);
        ns.check("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Skips the calling test unless it runs as root on a kernel with {@code /dev/net/tun} and {@code ip}. */
    public static void requireRootAndTun() {
        assumeTrue(isRoot(), "needs root (CAP_NET_ADMIN and CAP_NET_RAW) to make network namespaces:"
                + " run the kernel tests as root, as CI does");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "needs /dev/net/tun (the tun module): none on this machine");
        assumeTrue(onPath("ip"), "needs the ip command: install the iproute2 package");
    }

    /** Skips the calling test unless {@code tool} is on the PATH, naming the Debian package that has it. */
    public static void requireTool(String tool, String debianPackage) {
        assumeTrue(onPath(tool), "needs " + tool + " on the PATH: install the " + debianPackage + " package");
    }

    /** Returns the namespace's name, e.g. {@code smol-tap-3fa2}. */
    public String name() {
        return name;
    }

    /** Returns the namespace's file, {@code /var/run/netns/<name>}, as setns(2) and the devices take it. */
    public Path path() {
        return Path.of("/var/run/netns", name);
    }

    /** Runs {@code command} inside the namespace and returns what it did; waits at most {@link #COMMAND_TIMEOUT}. */
    public Result run(String... command) {
        return Result.of(COMMAND_TIMEOUT, inside(command));
    }

    /**
     * Runs {@code command} inside the namespace and returns its standard output.
     *
     * @throws IllegalStateException when it exits with a status other than 0, with its error output
     */
    public String check(String... command) {
        Result r = run(command);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " in " + name + " exited " + r.exit()
                    + ": " + r.stderr() + r.stdout());
        }
        return r.stdout();
    }

    /**
     * Starts {@code command} inside the namespace in the background (a listener, a capture); it is killed
     * on {@link #close} if still running.
     */
    public Process start(String... command) throws IOException {
        Process p = new ProcessBuilder(inside(command)).start();
        started.add(p);
        return p;
    }

    /** Kills what {@link #start} started, then deletes the namespace and everything in it. */
    @Override
    public void close() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : started) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Result deleted = Result.of(COMMAND_TIMEOUT, "ip", "netns", "delete", name);
        if (deleted.exit() != 0 && Files.exists(path())) {
            throw new IllegalStateException("ip netns delete " + name + " failed: " + deleted.stderr());
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private String[] inside(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = name;
        System.arraycopy(command, 0, full, 4, command.length);
        return full;
    }

    private static boolean isRoot() {
        Result id = Result.of(COMMAND_TIMEOUT, "id", "-u");
        return id.exit() == 0 && id.stdout().trim().equals("0");
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a command did: its exit status and its output, each as text.
     *
     * @param exit the exit status; -1 when it did not end in time (it was killed)
     * @param stdout what it wrote to standard output
     * @param stderr what it wrote to standard error
     */
    public record Result(int exit, String stdout, String stderr) {
        /** Runs {@code command} (on the host's namespace unless it says otherwise) and waits at most {@code timeout}. */
        public static Result of(Duration timeout, String... command) {
            try {
                Path out = Files.createTempFile("smol-cmd", ".out");
                Path err = Files.createTempFile("smol-cmd", ".err");
                try {
                    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                            .start();
                    boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    if (!ended) {
                        p.destroyForcibly();
                        p.waitFor(5, TimeUnit.SECONDS);
                    }
                    return new Result(ended ? p.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
                            Files.readString(err, StandardCharsets.UTF_8));
                } finally {
                    Files.deleteIfExists(out);
                    Files.deleteIfExists(err);
                }
            } catch (IOException e) {
                return new Result(-1, "", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(-1, "", "interrupted");
            }
        }
    }
}
