package smol.wire.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs Wireshark's command-line tools (tshark, editcap) for the interop tests of every module (shared
 * through smol.wire's test jar). They are always installed
 * where the tests run (CI installs Debian's tshark), so a missing tool fails the test rather than skip it.
 */
public final class Wireshark {
    private Wireshark() {}

    /** What a tool printed and how it exited; stderr without the warning every run as root prints. */
    public record Result(int exitCode, String stdout, String stderr) {
        /** Returns standard output as lines. */
        public List<String> lines() {
            return stdout.lines().collect(Collectors.toList());
        }
    }

    public static Result tshark(String... args) {
        return run("tshark", args);
    }

    public static Result editcap(String... args) {
        return run("editcap", args);
    }

    /** Runs tshark on {@code file} and fails unless it reads it cleanly; returns the summary lines. */
    public static List<String> tsharkReadsCleanly(Path file, String... moreArgs) {
        List<String> args = new ArrayList<>(List.of("-r", file.toString()));
        args.addAll(List.of(moreArgs));
        Result r = tshark(args.toArray(new String[0]));
        if (r.exitCode() != 0 || !r.stderr().isEmpty()) {
            fail("tshark " + String.join(" ", args) + " exited " + r.exitCode() + " with stderr:\n" + r.stderr());
        }
        return r.lines();
    }

    private static Result run(String tool, String... args) {
        Path binary = Path.of("/usr/bin", tool);
        if (!Files.isExecutable(binary)) {
            fail(binary + " is missing: install Debian's tshark package (CI installs it); these interop tests"
                    + " must not be skipped");
        }
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            // Output goes to files, so that neither pipe can fill up and stall the tool.
            out = Files.createTempFile("wireshark-", ".out");
            err = Files.createTempFile("wireshark-", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " ran for more than 60 s");
            }
            String stderr = Files.readString(err).lines()
                    .filter(line -> !line.startsWith("Running as user \"root\""))
                    .collect(Collectors.joining("\n"));
            return new Result(p.exitValue(), Files.readString(out), stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }
}
