package smol.examples;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import smol.phy.ChecksumCapabilities;

/**
 * {@code ./smol bench loopback [OPTIONS]}: a bulk TCP transfer inside the process, the counterpart of
 * smoltcp's {@code loopback_benchmark} example, with its defaults (1 GiB client to server, 64 KiB socket
 * buffers, frames of up to 65535 bytes, no checksums, one interface at 127.0.0.1/8 on an in-memory
 * loopback device). Every byte received is checked against the pattern sent.
 *
 * <p>Output, one {@code key: value} a line: {@code settings}, {@code done in} (or {@code failed after}),
 * {@code throughput} (Gbps), {@code allocated} (bytes per MiB moved in the steady state),
 * {@code verified}, {@code segments}, {@code queue full}, and with faults {@code faults}; see
 * {@link #report}. Without faults the times are wall time; with faults the transfer runs on a virtual
 * clock (see {@link LoopbackTransfer}), the time line gives both and the throughput is labelled
 * {@code (virtual clock)}.
 *
 * <p>Exit codes: 0 the transfer completed byte-exact; 1 it failed (a byte differed, a connection ended,
 * or it stalled): the same figures, counted up to the failure, and a one-line reason on the error
 * stream; 2 bad usage.
 */
public final class LoopbackBenchmark {
    static final String USAGE = "usage: ./smol bench loopback [--bytes N] [--mtu M] [--checksums] [--cable]"
            + " [--drop-chance P] [--corrupt-chance P] [--threads]";

    private LoopbackBenchmark() {}

    /** Runs the command with its arguments (after {@code bench loopback}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("smol bench loopback: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (options == null) {
            help(out);
            return 0;
        }
        LoopbackTransfer.Settings settings = options.transfer();
        if (options.threads()) {
            return ThreadedLoopback.run(settings, out, err);
        }
        LoopbackTransfer transfer = new LoopbackTransfer(settings, new StreamPattern());
        out.println("settings: " + describe(settings, transfer));
        out.flush();
        LoopbackTransfer.Result result = transfer.run(AllocationMeter.create());
        report(result, settings, out);
        out.flush();
        if (!result.completed()) {
            err.println("smol bench loopback: " + result.failure());
            return 1;
        }
        return 0;
    }

    /**
     * What the command line asks for: the transfer, and whether it runs through the threaded runtime.
     *
     * @param transfer bytes, MTU, checksums, the path and the faults
     * @param threads true: {@link ThreadedLoopback}; false: {@link LoopbackTransfer} on this thread
     */
    record Options(LoopbackTransfer.Settings transfer, boolean threads) {
        /** Checks that a threaded run asks only for what it can do: one interface, no faults. */
        Options {
            if (threads && (transfer.cable() || transfer.faults())) {
                throw new IllegalArgumentException("--threads runs one interface without faults:"
                        + " it takes --bytes, --mtu and --checksums only");
            }
        }
    }

    /**
     * Parses the options; returns null when help was asked for.
     *
     * @throws IllegalArgumentException naming the bad option or value
     */
    static Options parse(String[] args) {
        LoopbackTransfer.Settings d = LoopbackTransfer.Settings.defaults();
        long bytes = d.bytes();
        int mtu = d.mtu();
        boolean checksums = d.checksums();
        boolean cable = d.cable();
        double drop = d.dropChance();
        double corrupt = d.corruptChance();
        boolean threads = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--checksums" -> checksums = true;
                case "--cable" -> cable = true;
                case "--threads" -> threads = true;
                case "--bytes" -> bytes = parseSize(option, value(args, i++));
                case "--mtu" -> mtu = (int) parseLong(option, value(args, i++), 68, 65535);
                case "--drop-chance" -> drop = parseChance(option, value(args, i++));
                case "--corrupt-chance" -> corrupt = parseChance(option, value(args, i++));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new Options(new LoopbackTransfer.Settings(bytes, mtu, checksums, cable, drop, corrupt), threads);
    }

    /** The value after the option at {@code args[i]}; throws naming the option when there is none. */
    static String value(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    /** A byte count, optionally with a binary suffix: 4096, 64k, 4m, 1g (also KiB, MiB, GiB). */
    static long parseSize(String option, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = t;
        String[][] suffixes = {{"kib", "k"}, {"mib", "m"}, {"gib", "g"}};
        for (int s = 0; s < suffixes.length; s++) {
            for (String suffix : suffixes[s]) {
                if (t.endsWith(suffix) && t.length() > suffix.length()) {
                    unit = 1L << (10 * (s + 1));
                    digits = t.substring(0, t.length() - suffix.length());
                }
            }
            if (unit != 1) {
                break;
            }
        }
        long n = parseLong(option, digits, 1, Long.MAX_VALUE / unit);
        return n * unit;
    }

    /** A whole number within {@code min..max}; throws naming the option when it is not. */
    static long parseLong(String option, String text, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not '" + text + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be within " + min + ".." + max + ": " + text);
        }
        return n;
    }

    private static double parseChance(String option, String text) {
        double p;
        try {
            p = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number within 0..1, not '" + text + "'");
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(option + " must be within 0..1: " + text);
        }
        return p;
    }

    /** The settings line: what was measured, so that a figure is never read without its conditions. */
    static String describe(LoopbackTransfer.Settings s, LoopbackTransfer transfer) {
        StringBuilder b = new StringBuilder();
        b.append("bytes=").append(s.bytes());
        b.append(" mtu=").append(s.mtu()).append(" (frames up to ").append(transfer.capabilities().maxFrameLength())
                .append(" bytes)");
        b.append(" checksums=").append(transfer.capabilities().checksums().equals(ChecksumCapabilities.NONE)
                ? "off" : "on");
        b.append(" buffers=").append(LoopbackTransfer.BUFFER_BYTES);
        if (s.cable()) {
            b.append(" path=cable 10.0.0.1/24 -> 10.0.0.2/24");
        } else {
            b.append(" path=loopback 127.0.0.1/8");
        }
        b.append(" queue=").append(transfer.queueFrames()).append(" frames");
        if (s.faults()) {
            b.append(String.format(Locale.ROOT, " faults=drop %s corrupt %s seed %d", s.dropChance(),
                    s.corruptChance(), LoopbackTransfer.FAULT_SEED));
        } else {
            b.append(" faults=none");
        }
        return b.toString();
    }

    /**
     * Prints a transfer's figures, the same lines whether it completed or failed (then counted up to the
     * failure). With a virtual clock the time line gives both clocks and the throughput says which it is.
     */
    static void report(LoopbackTransfer.Result r, LoopbackTransfer.Settings s, PrintStream out) {
        String time = r.completed() ? "done in" : "failed after";
        if (r.virtualClock()) {
            out.printf(Locale.ROOT, "%s: %.3f s on the virtual clock (%.3f s of wall time)%n", time,
                    r.clockMicros() / 1e6, r.wallNanos() / 1e9);
            out.println("throughput: " + significant(r.gbps()) + " Gbps (virtual clock)");
        } else {
            out.printf(Locale.ROOT, "%s: %.3f s%n", time, r.wallNanos() / 1e9);
            out.printf(Locale.ROOT, "throughput: %.3f Gbps%n", r.gbps());
        }
        long perMiB = r.allocatedPerMiB();
        if (r.steadyAllocated() < 0) {
            out.println("allocated: unknown (this JVM does not count allocations per thread)");
        } else if (perMiB < 0) {
            out.println("allocated: not measured (no bytes moved after the first eighth of the transfer)");
        } else {
            out.println("allocated: " + perMiB + " bytes per MiB moved (" + r.steadyAllocated() + " bytes while moving the last "
                    + r.steadyBytes() + " bytes)");
        }
        if (r.completed()) {
            out.println("verified: " + r.bytes() + " bytes byte-exact");
        } else {
            out.println("verified: " + r.bytes() + " of " + s.bytes() + " bytes byte-exact before the failure");
        }
        out.println("segments: client sent " + r.clientSegments() + " (" + r.clientRetransmissions()
                + " retransmitted), server sent " + r.serverSegments() + " (" + r.serverRetransmissions()
                + " retransmitted)");
        out.println("queue full: " + r.devicesBusy() + " sends refused by a full device queue (and retried)");
        if (s.faults()) {
            out.printf(Locale.ROOT, "faults: %d frames lost, %d corrupted, %d dropped for a bad checksum;"
                    + " %.3f s of idle waiting skipped on the virtual clock%n", r.framesLost(), r.framesCorrupted(),
                    r.badChecksums(), r.skippedMicros() / 1e6);
        }
    }

    /**
     * Returns {@code value} rounded to four significant digits, never in exponent form: a virtual-clock
     * throughput slowed by retransmission timeouts can be far below 0.001 Gbps, which three decimals
     * would show as 0.
     */
    static String significant(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return String.format(Locale.ROOT, "%.3f", value);
        }
        return new BigDecimal(value).round(new MathContext(4)).toPlainString();
    }

    private static void help(PrintStream out) {
        out.println(USAGE);
        out.println("A bulk TCP transfer between two sockets inside this process, the counterpart of smoltcp's");
        out.println("loopback_benchmark; every byte received is checked.");
        out.println("  --bytes N           bytes to move, e.g. 4m or 1g (default 1g = 1073741824)");
        out.println("  --mtu M             the devices' IP MTU, 68..65535 (default " + LoopbackTransfer.DEFAULT_MTU
                + ": frames up to 65535 bytes)");
        out.println("  --checksums         the stack fills and verifies every checksum (default: skipped)");
        out.println("  --cable             two interfaces, 10.0.0.1/24 and 10.0.0.2/24, joined by a cable");
        out.println("                      (default: one interface, 127.0.0.1/8, on a loopback device)");
        out.println("  --drop-chance P     lose each frame with chance P, 0..1 (turns checksums on)");
        out.println("  --corrupt-chance P  corrupt one octet of a frame with chance P, 0..1 (turns checksums on)");
        out.println("  --threads           the interface on its runtime thread, the client and the server on");
        out.println("                      application threads using the connections' streams (wall clock;");
        out.println("                      takes --bytes, --mtu and --checksums; reports the loop thread's allocation)");
        out.println("Prints the settings, the throughput in Gbps, the bytes allocated per MiB moved in the");
        out.println("steady state and the segment counts. With faults the transfer runs on a virtual clock");
        out.println("(a modelled 10 Gbit/s link; timers skipped): the same run, with the same counts, every");
        out.println("time, and its throughput is virtual-clock throughput. Exit 0 done byte-exact; 1 failed,");
        out.println("with the same figures counted up to the failure; 2 bad usage.");
    }
}
