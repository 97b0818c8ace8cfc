package smol.examples.internal.shell;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.BitSet;
import java.util.Locale;
import smol.iface.IcmpEndpoint;
import smol.socket.EchoReply;
import smol.wire.Ipv4Address;

/**
 * One run of {@code smol:ping} on an {@link IcmpEndpoint} that belongs to it (bound, closed by the caller):
 * sends {@code count} echo requests {@code interval} apart, prints a line per reply and per error as
 * iputils' ping does, waits up to {@code timeout} after the last request for the replies still missing,
 * then prints the summary. An interrupt (Ctrl-C in the shell) ends it early with the summary, the
 * thread's interrupt status kept. Not thread-safe: one per run.
 */
final class Ping {
    /** What a run saw: the numbers of its summary. */
    record Result(int transmitted, int received, int errors, int duplicates) {}

    private final IcmpEndpoint endpoint;
    private final PingOptions options;
    private final PrintStream out;
    private final BitSet answered = new BitSet();
    private final EchoReply reply = new EchoReply();
    private int transmitted;
    private int received;
    private int errors;
    private int duplicates;
    private long rttMin = Long.MAX_VALUE;
    private long rttMax;
    private long rttSum;
    private long rttSumOfSquares;
    private int rttCount;

    Ping(IcmpEndpoint endpoint, PingOptions options, PrintStream out) {
        this.endpoint = endpoint;
        this.options = options;
        this.out = out;
    }

    /**
     * Runs the ping to its end (every reply in, or the timeout after the last request passed, or an
     * interrupt) and prints the summary.
     *
     * @throws IOException when the endpoint fails otherwise (closed, the runtime stopped)
     */
    Result run() throws IOException {
        long intervalNanos = options.interval().toNanos();
        // A request waits at most one interval for room: then the earlier ones are stuck (an unresolved
        // next hop), and waiting longer would only stretch the run.
        endpoint.sendTimeout(options.interval());
        long start = System.nanoTime();
        long nextSend = start;
        long endAt = 0;
        try {
            while (true) {
                long now = System.nanoTime();
                if (transmitted < options.count() && now - nextSend >= 0) {
                    send(transmitted + 1);
                    transmitted++;
                    nextSend += intervalNanos;
                    if (transmitted == options.count()) {
                        endAt = System.nanoTime() + options.timeout().toNanos();
                    }
                    continue;
                }
                boolean allSent = transmitted == options.count();
                if (allSent && (received + errors >= transmitted || now - endAt >= 0)) {
                    break;
                }
                long wait = (allSent ? endAt : nextSend) - now;
                if (wait > 0) {
                    receive(Duration.ofNanos(wait));
                }
            }
        } catch (InterruptedIOException interrupted) {
            // The shell's Ctrl-C. The summary goes out first, with the interrupt status cleared: Gogo's pipes
            // are interruptible channels, which an interrupted thread's write would close unwritten.
            Thread.interrupted();
            summary(System.nanoTime() - start);
            Thread.currentThread().interrupt();
            return new Result(transmitted, received, errors, duplicates);
        }
        summary(System.nanoTime() - start);
        return new Result(transmitted, received, errors, duplicates);
    }

    private void send(int number) throws IOException {
        try {
            endpoint.send(options.target(), number & 0xffff, options.size());
        } catch (SocketTimeoutException full) {
            out.println("icmp_seq=" + number + " not sent: the requests before it still wait for the next hop");
        }
    }

    private void receive(Duration wait) throws IOException {
        endpoint.receiveTimeout(wait);
        try {
            endpoint.receive(reply);
        } catch (SocketTimeoutException nothingYet) {
            return;
        }
        // The newest request with this 16-bit sequence number: numbers wrap after 65535 requests.
        int number = transmitted - ((transmitted - reply.seq()) & 0xffff);
        if (number < 1) {
            return; // not one of this run's
        }
        String from = Ipv4Address.toString(reply.source());
        if (reply.isUnreachable()) {
            errors++;
            out.println("From " + from + " icmp_seq=" + number + " " + unreachable(reply.unreachableCode()));
            return;
        }
        boolean duplicate = answered.get(number);
        if (duplicate) {
            duplicates++;
        } else {
            answered.set(number);
            received++;
        }
        StringBuilder line = new StringBuilder().append(reply.size() + 8).append(" bytes from ").append(from)
                .append(": icmp_seq=").append(number).append(" ttl=").append(reply.ttl());
        long rtt = reply.rttMicros();
        if (rtt >= 0) {
            line.append(" time=").append(millis(rtt)).append(" ms");
            if (!duplicate) {
                rttCount++;
                rttMin = Math.min(rttMin, rtt);
                rttMax = Math.max(rttMax, rtt);
                rttSum += rtt;
                rttSumOfSquares += rtt * rtt;
            }
        }
        if (duplicate) {
            line.append(" (DUP!)");
        }
        out.println(line);
    }

    private void summary(long elapsedNanos) {
        out.println();
        out.println("--- " + options.target() + " ping statistics ---");
        StringBuilder line = new StringBuilder().append(transmitted).append(" packets transmitted, ")
                .append(received).append(" received");
        if (duplicates > 0) {
            line.append(", +").append(duplicates).append(" duplicates");
        }
        if (errors > 0) {
            line.append(", +").append(errors).append(" errors");
        }
        line.append(", ").append(lossPercent()).append("% packet loss, time ")
                .append(elapsedNanos / 1_000_000).append("ms");
        out.println(line);
        if (rttCount > 0) {
            long avg = rttSum / rttCount;
            double variance = (double) rttSumOfSquares / rttCount - (double) avg * avg;
            long mdev = (long) Math.sqrt(Math.max(0, variance));
            out.println("rtt min/avg/max/mdev = " + millis(rttMin) + "/" + millis(avg) + "/" + millis(rttMax) + "/"
                    + millis(mdev) + " ms");
        }
    }

    /** The loss as iputils prints it: a whole number when it is one, else one decimal. */
    private String lossPercent() {
        if (transmitted == 0) {
            return "0";
        }
        long lost = transmitted - received;
        if (lost * 100 % transmitted == 0) {
            return Long.toString(lost * 100 / transmitted);
        }
        return String.format(Locale.ROOT, "%.1f", lost * 100.0 / transmitted);
    }

    /** Microseconds as milliseconds with three decimals, as iputils prints round-trip times. */
    private static String millis(long micros) {
        return String.format(Locale.ROOT, "%d.%03d", micros / 1000, micros % 1000);
    }

    /** The words of iputils for a destination unreachable code (RFC 792, RFC 1812). */
    private static String unreachable(int code) {
        return switch (code) {
            case 0 -> "Destination Net Unreachable";
            case 1 -> "Destination Host Unreachable";
            case 2 -> "Destination Protocol Unreachable";
            case 3 -> "Destination Port Unreachable";
            case 4 -> "Frag needed";
            case 13 -> "Packet filtered";
            default -> "Destination Unreachable, code " + code;
        };
    }
}
