package smol.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the {@code ./smol} launcher at the repository root as a newcomer would. */
class LauncherTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Run(int code, String out, String err) {}

    static Run smol(String... args) throws IOException, InterruptedException {
        return smolIn(ROOT, null, args);
    }

    /** Runs the launcher of the tree at {@code root}, with {@code path} first on the PATH when not null. */
    static Run smolIn(Path root, Path path, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = root.resolve("smol").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(root.toFile());
        if (path != null) {
            builder.environment().put("PATH", path + ":" + System.getenv("PATH"));
        }
        Process p = builder.start();
        byte[] err = p.getErrorStream().readAllBytes();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void tcpdumpListsTheReadmeExampleCapture() throws Exception {
        Run run = smol("tcpdump", "-r", "smol.wire/src/test/resources/fixtures/tcp.pcap");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("EthernetII src=").contains("\n    TCP src=");
    }

    @Test
    void tcpdumpOfAMissingFileIsOneLineAndExitCode2() throws Exception {
        Run run = smol("tcpdump", "-r", "missing.pcap");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("smol tcpdump: missing.pcap: no such file\n");
    }

    @Test
    void benchLoopbackMovesItsBytesAndReportsThroughputAndAllocation() throws Exception {
        Run run = smol("bench", "loopback", "--bytes", "8m");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("throughput: ").contains(" Gbps").contains("allocated: ")
                .contains("verified: 8388608 bytes byte-exact");
    }

    @Test
    void benchWithABadOptionExitsWith2() throws Exception {
        Run run = smol("bench", "loopback", "--drop-chance", "2");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--drop-chance");
    }

    @Test
    void demoWithAnUnknownOptionExitsWith2AndItsUsageBeforeBuildingAnything() throws Exception {
        Run run = smol("demo", "--bogus");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("smol: unknown option '--bogus'\n").contains("usage: ./smol demo|shell")
                .doesNotContain("building");
    }

    /** The modules whose jars the launcher runs, and whose sources it watches. */
    private static final List<String> MODULES = List.of("smol.wire", "smol.phy", "smol.socket", "smol.iface",
            "smol.examples", "smol.phy.tap", "smol.phy.raw", "smol.phy.linux");

    /**
     * Copies what the launcher looks at (its script, the root build files, each module's build files,
     * sources and jars) to {@code copy}: sources dated a day ago, jars an hour ago, so that the copy starts
     * up to date whatever the state of the tree it came from.
     */
    private static void copyTree(Path copy) throws IOException {
        FileTime sourceTime = FileTime.from(Instant.now().minus(1, ChronoUnit.DAYS));
        FileTime jarTime = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));
        copy(ROOT.resolve("smol"), copy.resolve("smol"), sourceTime);
        for (String file : List.of("pom.xml", "bnd.bnd", "cnf")) {
            copy(ROOT.resolve(file), copy.resolve(file), sourceTime);
        }
        for (String module : MODULES) {
            for (String file : List.of("pom.xml", "bnd.bnd", "src/main")) {
                copy(ROOT.resolve(module).resolve(file), copy.resolve(module).resolve(file), sourceTime);
            }
            Path target = ROOT.resolve(module).resolve("target");
            if (Files.isDirectory(target)) {
                try (Stream<Path> jars = Files.list(target)) {
                    for (Path jar : (Iterable<Path>) jars.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                        copy(jar, copy.resolve(module).resolve("target").resolve(jar.getFileName()), jarTime);
                    }
                }
            }
        }
    }

    /** Copies {@code from} (a file, or a directory with everything in it) to {@code to}, dated {@code time}. */
    private static void copy(Path from, Path to, FileTime time) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path into = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(into);
                } else {
                    Files.createDirectories(into.getParent());
                    Files.copy(file, into, StandardCopyOption.COPY_ATTRIBUTES);
                    Files.setLastModifiedTime(into, time);
                }
            }
        }
    }

    @Test
    void anEditedSourceMakesTheLauncherRebuildAndAnUnchangedTreeDoesNot(@TempDir Path dir) throws Exception {
        Path tree = dir.resolve("tree");
        copyTree(tree);
        // A stand-in for Maven that only records its arguments: the copy's jars are what it would build.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("mvn-calls");
        Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n");
        Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));

        Run upToDate = smolIn(tree, bin, "help");
        assertThat(upToDate.code()).as(upToDate.err()).isZero();
        assertThat(upToDate.err()).isEmpty();
        assertThat(calls).doesNotExist();

        Path edited = tree.resolve("smol.iface/src/main/java/smol/iface/Routes.java");
        Files.setLastModifiedTime(edited, FileTime.from(Instant.now()));
        Run afterTheEdit = smolIn(tree, bin, "help");
        assertThat(afterTheEdit.code()).as(afterTheEdit.err()).isZero();
        assertThat(afterTheEdit.err()).isEqualTo("smol: building (smol.iface/src/main/java/smol/iface/Routes.java changed)...\n");
        assertThat(afterTheEdit.out()).contains("usage: ./smol COMMAND");
        assertThat(Files.readAllLines(calls)).singleElement().asString().contains("package").contains("smol.examples");

        // The stand-in changed no jar, as a real build that finds nothing to compile: no second build.
        Run again = smolIn(tree, bin, "help");
        assertThat(again.err()).isEmpty();
        assertThat(Files.readAllLines(calls)).hasSize(1);
    }
}
