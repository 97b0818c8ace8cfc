package smol.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import smol.iface.FrameCapture;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.InterfaceStatisticsSnapshot;
import smol.phy.Device;
import smol.phy.DeviceProviders;
import smol.phy.FaultConfig;
import smol.socket.SocketSet;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Cidr;

/**
 * {@code ./smol server}: smoltcp's server example on a Linux TAP device, with the {@link MeasuringPorts}
 * beside it. Builds the interface (MAC {@value #MAC}, {@value #ADDRESS}), sets up the kernel's side of
 * the TAP ({@link TapSetup}) unless told not to, opens the device through
 * {@code DeviceProviders.open("tap", NAME, options)}, and serves until the JVM is told to end (Ctrl-C,
 * SIGTERM); a shutdown hook then stops the runtime gracefully and prints a one-line summary.
 */
final class ServerCommand {
    /** The server's MAC address, as smoltcp's example. */
    static final String MAC = "02-00-00-00-00-01";
    /** The server's address and prefix, as smoltcp's example. */
    static final String ADDRESS = "192.168.69.1/24";
    /** The TAP used when {@code --tap} is not given. */
    static final String DEFAULT_TAP = "tap0";
    /**
     * The sockets of the set: the server's UDP socket and TCP reserve, the measuring ports' reserves, and
     * room for 32 connections at once (each served by a thread of its own).
     */
    static final int SOCKETS = 1 + 4 + MeasuringPorts.RESERVED_SOCKETS + 32;

    static final String USAGE = String.join("\n",
            "usage: ./smol server [--tap NAME] [--netns NAME] [--pcap FILE] [--drop-chance P] [--corrupt-chance P] [--no-setup]",
            "  serves on a Linux TAP device as " + ADDRESS + " (MAC " + MAC + "): ping; UDP 6969 answers \"yo dawg\";",
            "  TCP 6969 answers each chunk reversed; TCP 6970 echoes, 6971 discards, 6972 sends an endless pattern.",
            "  Runs until Ctrl-C. Needs root (sudo) for the TAP and its set-up.",
            "  --tap NAME          the TAP device (default " + DEFAULT_TAP + ")",
            "  --netns NAME        the network namespace the TAP lives in",
            "  --pcap FILE         write every frame in and out to a pcap file",
            "  --drop-chance P     lose each frame with chance P (0..1)",
            "  --corrupt-chance P  corrupt each frame with chance P (0..1)",
            "  --no-setup          leave the kernel side alone; without it the server creates the TAP",
            "                      (persistent) when missing, gives the kernel side " + TapSetup.KERNEL_ADDRESS,
            "                      and brings it up");

    private ServerCommand() {}

    /** The options of {@code ./smol server}; {@code netns} and {@code pcap} are null when not given. */
    record Options(String tap, String netns, Path pcap, double dropChance, double corruptChance, boolean setup,
            boolean help) {

        /**
         * Reads the arguments after {@code server}.
         *
         * @throws IllegalArgumentException for an unknown option, a missing value or a bad one; the message
         *     names the option
         */
        static Options parse(String[] args) {
            String tap = DEFAULT_TAP;
            String netns = null;
            Path pcap = null;
            double drop = 0;
            double corrupt = 0;
            boolean setup = true;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                switch (option) {
                    case "--tap" -> tap = name(option, value(args, ++i, option));
                    case "--netns" -> netns = namespace(option, value(args, ++i, option));
                    case "--pcap" -> pcap = Path.of(value(args, ++i, option));
                    case "--drop-chance" -> drop = chance(option, value(args, ++i, option));
                    case "--corrupt-chance" -> corrupt = chance(option, value(args, ++i, option));
                    case "--no-setup" -> setup = false;
                    case "-h", "--help" -> {
                        return new Options(tap, netns, pcap, drop, corrupt, setup, true);
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + option + "'");
                }
            }
            return new Options(tap, netns, pcap, drop, corrupt, setup, false);
        }

        /** Returns the faults the options ask for, {@link FaultConfig#NONE} when none. */
        FaultConfig faults() {
            return FaultConfig.NONE.withDropChance(dropChance).withCorruptChance(corruptChance);
        }

        /** Returns the options of the TAP device: create it persistent when missing, in the namespace given. */
        Map<String, String> deviceOptions() {
            Map<String, String> options = new LinkedHashMap<>();
            options.put("persistent", "true");
            if (netns != null) {
                options.put("netns", netns);
            }
            return options;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        /** A namespace name as {@code ip netns} takes it: a file name under /var/run/netns, no '/' nor blank. */
        private static String namespace(String option, String value) {
            if (value.isEmpty() || value.length() > 255 || value.startsWith("-") || value.equals(".")
                    || value.equals("..") || !value.matches("[^/\\s]+")) {
                throw new IllegalArgumentException(option + " must be a namespace name without '/' or blanks (as"
                        + " ip netns add takes it), not '" + value + "'");
            }
            return value;
        }

        /** An interface name as {@code ip} takes it: 1..15 characters, no '/' nor blank. */
        private static String name(String option, String value) {
            if (value.isEmpty() || value.length() > 15 || value.startsWith("-") || !value.matches("[^/\\s]+")) {
                throw new IllegalArgumentException(option + " must be a name of 1 to 15 characters without '/' or"
                        + " blanks, not '" + value + "'");
            }
            return value;
        }

        private static double chance(String option, String value) {
            try {
                double chance = Double.parseDouble(value);
                if (chance >= 0 && chance <= 1) {
                    return chance;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a chance within 0..1, not '" + value + "'");
        }
    }

    /**
     * Runs {@code ./smol server ARGS}: returns 0 after {@code --help}, 2 for bad arguments, 1 when the
     * device or its set-up failed; otherwise serves until the JVM ends (its shutdown hook prints the
     * summary) and returns only when the runtime stopped by itself (1).
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, TapSetup.SYSTEM);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with the set-up's commands run by {@code runner}. */
    static int run(String[] args, PrintStream out, PrintStream err, TapSetup.CommandRunner runner) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("smol server: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (options.help()) {
            out.println(USAGE);
            return 0;
        }
        if (!DeviceProviders.kinds().contains("tap")) {
            err.println("smol server: the TAP device (smol.phy.tap) is not on the class path (device kinds found: "
                    + String.join(", ", DeviceProviders.kinds()) + ")");
            return 1;
        }
        Device device;
        try {
            if (options.setup()) {
                setUp(new TapSetup(options.tap(), options.netns(), runner), options, out);
            }
            device = DeviceProviders.open("tap", options.tap(), options.deviceOptions());
        } catch (IOException | RuntimeException e) {
            err.println("smol server: " + e.getMessage());
            return 1;
        }
        Running running;
        try {
            running = start(device, options);
        } catch (IOException | RuntimeException e) {
            err.println("smol server: " + e.getMessage()); // the device is closed already
            return 1;
        }
        out.println("smol server: serving on " + options.tap() + " as " + ADDRESS + " (Ctrl-C to stop)");
        out.flush();
        CountDownLatch summarized = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println(running.stop());
            out.flush();
            summarized.countDown();
        }, "smol server shutdown"));
        try {
            while (!running.runtime().isStopped()) {
                summarized.await(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (summarized.getCount() == 0) {
            return 0;
        }
        err.println("smol server: the runtime stopped by itself");
        return 1;
    }

    /** Creates the TAP when missing (and says how to remove it), then configures the kernel's side. */
    static void setUp(TapSetup setup, Options options, PrintStream out) throws IOException {
        String where = options.netns() == null ? "" : " in namespace " + options.netns();
        if (setup.exists()) {
            out.println("smol server: using the existing TAP " + options.tap() + where);
        } else {
            setup.create();
            out.println("smol server: created the persistent TAP " + options.tap() + where
                    + "; remove it with: sudo " + setup.removeCommand());
        }
        setup.configureKernelSide();
        out.println("smol server: the kernel's side of " + options.tap() + " is " + TapSetup.KERNEL_ADDRESS + ", up");
    }

    /**
     * Builds the server's interface on {@code device} (which belongs to the runtime from now on), applies
     * the options' faults and capture, starts the runtime and the servers on it.
     *
     * @throws IOException when the capture file cannot be created
     * @throws SocketException when the runtime cannot take the servers' sockets
     */
    static Running start(Device device, Options options) throws IOException {
        Interface iface = new Interface(InterfaceConfig.builder()
                .mac(EthernetAddress.parse(MAC))
                .address(Ipv4Cidr.parse(ADDRESS))
                .build(), new SocketSet(SOCKETS));
        InterfaceRuntime runtime = InterfaceRuntime.builder(iface).name("server").build();
        runtime.attach(device);
        MeasuringPorts ports;
        try {
            if (options.pcap() != null) {
                runtime.capture(options.pcap());
            }
            if (!options.faults().equals(FaultConfig.NONE)) {
                runtime.faults(options.faults());
            }
            runtime.start();
            new Server(runtime.scope("server"));
            ports = new MeasuringPorts(runtime.scope("measuring-ports"));
        } catch (IOException | RuntimeException e) {
            runtime.stop(); // closes the device
            throw e;
        }
        return new Running(runtime, ports, System.nanoTime());
    }

    /** A started server: its runtime, its measuring ports, and when it started on {@link System#nanoTime}'s clock. */
    record Running(InterfaceRuntime runtime, MeasuringPorts ports, long startedNanos) {
        /**
         * Stops the runtime (closing the connections gracefully within its linger, then the device and the
         * capture) and returns a one-line summary of what it did. Idempotent.
         */
        String stop() {
            FrameCapture capture = runtime.capture(); // the stop closes it after the connections' last frames
            runtime.stop();
            InterfaceStatisticsSnapshot statistics = runtime.snapshot().iface().statistics();
            StringBuilder line = new StringBuilder("smol server: stopped after ")
                    .append(String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9))
                    .append(": in ").append(statistics.framesIn()).append(" frames (").append(statistics.bytesIn())
                    .append(" B), out ").append(statistics.framesOut()).append(" frames (")
                    .append(statistics.bytesOut()).append(" B), dropped ").append(statistics.receivedDrops())
                    .append(" in and ").append(statistics.sendDrops()).append(" out");
            if (capture != null) {
                line.append("; captured ").append(capture.framesWritten()).append(" frames");
            }
            if (!runtime.faults().equals(FaultConfig.NONE)) {
                line.append("; ").append(runtime.faultStatistics());
            }
            return line.toString();
        }
    }
}
