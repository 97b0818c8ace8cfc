package smol.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's side of the server's TAP device, set up with {@code ip} as smoltcp's README does it by
 * hand: a persistent TAP created when missing ({@code ip tuntap add name NAME mode tap}), the address
 * {@value #KERNEL_ADDRESS} on it, and the link up; all inside a network namespace when one is given
 * ({@code ip netns exec NS ...}). The commands run through a {@link CommandRunner}, so that a test can
 * record them instead. Needs root (or CAP_NET_ADMIN) when the runner is {@link #SYSTEM}. Not
 * thread-safe; use it from one thread.
 */
final class TapSetup {
    /** The kernel side's address and prefix, in the server's 192.168.69.0/24. */
    static final String KERNEL_ADDRESS = "192.168.69.100/24";

    /** Runs one command line and returns its exit code and output. */
    interface CommandRunner {
        /**
         * Runs {@code command} (the program and its arguments) to its end.
         *
         * @throws IOException when it cannot be started, e.g. the program is not installed
         */
        Result run(List<String> command) throws IOException;
    }

    /** How a command ended: its exit code, and what it printed to standard output and error together. */
    record Result(int exitCode, String output) {}

    /** Runs commands as processes of this machine, waiting for each to end. */
    static final CommandRunner SYSTEM = command -> {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            return new Result(process.waitFor(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroy();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    };

    private final String tap;
    private final String netns;
    private final CommandRunner runner;

    /**
     * Sets up the TAP called {@code tap}, in namespace {@code netns} (null for the current one), running
     * each command with {@code runner}.
     */
    TapSetup(String tap, String netns, CommandRunner runner) {
        this.tap = tap;
        this.netns = netns;
        this.runner = runner;
    }

    /**
     * Returns true when the TAP (or any link of its name) exists: {@code ip link show dev NAME}.
     *
     * @throws IOException when {@code ip} cannot run, or fails for another reason than a missing device
     *     (a missing namespace, say); the message says which command and what it printed
     */
    boolean exists() throws IOException {
        List<String> command = command("ip", "link", "show", "dev", tap);
        Result result = runner.run(command);
        if (result.exitCode() == 0) {
            return true;
        }
        if (result.output().contains("does not exist")) {
            return false;
        }
        throw failed(command, result);
    }

    /**
     * Creates the TAP persistent, so that it outlives the server: {@code ip tuntap add name NAME mode tap}.
     *
     * @throws IOException when the command cannot run or fails
     */
    void create() throws IOException {
        check(command("ip", "tuntap", "add", "name", tap, "mode", "tap"));
    }

    /**
     * Gives the kernel side {@value #KERNEL_ADDRESS} ({@code ip addr add}; an address already there is
     * fine) and brings the link up ({@code ip link set dev NAME up}).
     *
     * @throws IOException when a command cannot run or fails
     */
    void configureKernelSide() throws IOException {
        List<String> addAddress = command("ip", "addr", "add", KERNEL_ADDRESS, "dev", tap);
        Result result = runner.run(addAddress);
        // "RTNETLINK answers: File exists": an earlier run gave it the address already
        if (result.exitCode() != 0 && !result.output().contains("File exists")) {
            throw failed(addAddress, result);
        }
        check(command("ip", "link", "set", "dev", tap, "up"));
    }

    /** Returns the command line that removes the TAP again, as a user would type it. */
    String removeCommand() {
        return String.join(" ", command("ip", "tuntap", "del", "name", tap, "mode", "tap"));
    }

    /** Returns {@code words} as a command line, run inside the namespace when one was given. */
    private List<String> command(String... words) {
        List<String> command = new ArrayList<>();
        if (netns != null) {
            command.addAll(List.of("ip", "netns", "exec", netns));
        }
        command.addAll(List.of(words));
        return command;
    }

    /** Runs {@code command}, which must succeed. */
    private void check(List<String> command) throws IOException {
        Result result = runner.run(command);
        if (result.exitCode() != 0) {
            throw failed(command, result);
        }
    }

    private static IOException failed(List<String> command, Result result) {
        return new IOException("'" + String.join(" ", command) + "' failed (exit " + result.exitCode() + ")"
                + (result.output().isEmpty() ? "" : ": " + result.output().strip()));
    }
}
