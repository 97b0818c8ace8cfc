package smol.examples;

import java.io.PrintStream;
import java.util.Arrays;

/** {@code ./smol bench BENCHMARK [OPTIONS]}: runs one of the benchmarks written as commands. */
public final class Bench {
    private Bench() {}

    /** Runs the named benchmark with its arguments (after {@code bench}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("smol bench: which benchmark? (usage: ./smol bench loopback|threads|tap [OPTIONS])");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "loopback":
                return LoopbackBenchmark.run(rest, out, err);
            case "threads":
                return ThreadedCableBenchmark.run(rest, out, err);
            case "tap":
                return TapBenchmark.run(rest, out, err);
            case "-h":
            case "--help":
                out.println("usage: ./smol bench loopback|threads|tap [OPTIONS]   (./smol bench BENCHMARK --help for the options)");
                return 0;
            default:
                err.println("smol bench: unknown benchmark '" + args[0] + "' (usage: ./smol bench loopback|threads|tap [OPTIONS])");
                return 2;
        }
    }
}
