package smol.examples;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code ./smol} launcher's entry point: dispatches {@code ./smol COMMAND [ARGS]} to a command.
 * Exit codes: 0 success, 1 the command ran into trouble it reported, 2 bad usage or unusable input.
 */
public final class Main {
    private Main() {}

    /** Runs the named command and exits with its code. */
    public static void main(String[] args) {
        // A buffered stdout: a capture's listing runs to many thousands of lines.
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false);
        int code = run(args, out, System.err);
        out.flush();
        System.exit(code);
    }

    /** Runs the named command, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "tcpdump":
                return Tcpdump.run(rest, out, err);
            case "bench":
                return Bench.run(rest, out, err);
            case "server":
                return ServerCommand.run(rest, out, err);
            default:
                err.println("smol: unknown command '" + args[0] + "'");
                usage(err);
                return 2;
        }
    }

    private static void usage(PrintStream s) {
        s.println("usage: ./smol COMMAND [ARGS]");
        s.println("commands:");
        s.println("  tcpdump -r FILE   list every frame of a pcap or pcapng capture, one layer a line");
        s.println("  tcpdump IFACE     list the frames on a host's interface as they come, both directions");
        s.println("                    (needs root and smol.phy.raw; [-c N] [--netns NS])");
        s.println("  bench loopback    a bulk TCP transfer over an in-memory loopback, as smoltcp's loopback_benchmark");
        s.println("                    (./smol bench loopback --help for its options)");
        s.println("  bench threads     bulk TCP through the threaded runtime: two interfaces on a cable, a thread each,");
        s.println("                    and application threads on the connections' streams (--help for its options)");
        s.println("  bench tap reader|writer|ping");
        s.println("                    the stack against the kernel over a TAP in a throw-away namespace, as smoltcp's");
        s.println("                    benchmark: 1e9 bytes read or written by a kernel socket, or 200 pings (needs root;");
        s.println("                    ./smol bench tap --help for its options)");
        s.println("  server            smoltcp's server example and measuring ports on a Linux TAP device, until Ctrl-C");
        s.println("                    (needs root and smol.phy.tap; ./smol server --help for its options)");
        s.println("  demo              the OSGi runtime (Felix and every smol bundle, one jar) with two interfaces on an");
        s.println("                    in-memory cable and the server example, and its Gogo shell ([--config DIR])");
        s.println("  shell             the OSGi runtime with no configuration, and its Gogo shell ([--config DIR])");
        s.println("  help              this text");
    }
}
