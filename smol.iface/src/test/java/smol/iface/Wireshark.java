package smol.iface;

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
 * Runs Debian's tshark for the capture interop test. It is always installed where the tests run (CI
 * installs it), so a missing tshark fails the test rather than skip it.
 */
final class Wireshark {
    private static final Path TSHARK = Path.of("/usr/bin/tshark");

    private Wireshark() {}

    /**
     * Runs {@code tshark -r file args…} and returns its output lines; fails unless it exits 0 with
     * nothing on stderr but the warning every run as root prints.
     */
    static List<String> tshark(Path file, String... args) {
        if (!Files.isExecutable(TSHARK)) {
            fail(TSHARK + " is missing: install Debian's tshark package (CI installs it); this interop test"
                    + " must not be skipped");
        }
        List<String> command = new ArrayList<>(List.of(TSHARK.toString(), "-r", file.toString()));
        command.addAll(List.of(args));
        Path out = null;
        Path err = null;
        try {
            // output goes to files, so that neither pipe can fill up and stall the tool
            out = Files.createTempFile("tshark-", ".out");
            err = Files.createTempFile("tshark-", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " ran for more than 60 s");
            }
            String stderr = Files.readString(err).lines()
                    .filter(line -> !line.startsWith("Running as user \"root\""))
                    .collect(Collectors.joining("\n"));
            if (p.exitValue() != 0 || !stderr.isEmpty()) {
                fail(String.join(" ", command) + " exited " + p.exitValue() + " with stderr:\n" + stderr);
            }
            return Files.readString(out).lines().collect(Collectors.toList());
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
