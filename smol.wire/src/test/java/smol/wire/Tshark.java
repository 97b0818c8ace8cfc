package smol.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Wireshark's tshark, which tests take as the reference reader. A missing tshark fails the test. */
final class Tshark {
    private Tshark() {}

    /** The result of one run: exit code, standard output lines, standard error text. */
    record Result(int exitCode, List<String> lines, String errors) {}

    /** Runs {@code tshark ARGS} with a 60 s limit; fails with a clear message when tshark is missing. */
    static Result run(String... args) throws IOException, InterruptedException {
        Path tshark = Path.of("/usr/bin/tshark");
        if (!Files.isExecutable(tshark)) {
            throw new AssertionError("tshark is not installed: 'apt-get install -y tshark' (.ci/run does this)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(tshark.toString());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("tshark", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("tshark did not finish in 60 s: " + cmd);
            }
            String errors = Files.readString(err);
            return new Result(p.exitValue(), out.isEmpty() ? List.of() : List.of(out.split("\n")), errors);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
