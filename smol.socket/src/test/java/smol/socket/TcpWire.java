package smol.socket;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;

/**
 * An in-test wire between two TCP sockets on a virtual clock: each one's output is delivered to the
 * other after a latency, optionally lost or reordered by a seeded random source.
 */
final class TcpWire {
    static final int A_ADDRESS = Ipv4Address.of(10, 0, 0, 1).bits();
    static final int B_ADDRESS = Ipv4Address.of(10, 0, 0, 2).bits();
    static final IpEndpoint A = new IpEndpoint(Ipv4Address.of(A_ADDRESS), 40000);
    static final IpEndpoint B = new IpEndpoint(Ipv4Address.of(B_ADDRESS), 80);

    private record InFlight(long at, long order, TcpRecorder.Sent segment, boolean toB) {}

    final TcpSocket a;
    final TcpSocket b;
    final TcpRecorder fromA = new TcpRecorder();
    final TcpRecorder fromB = new TcpRecorder();
    long now;
    long latency = 1_000;
    /** Everything that crossed (or was lost on) the wire, in order, as "A>" or "B>" plus the segment. */
    final List<String> log = new ArrayList<>();
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
            (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private long order;
    private Random random;
    private double lossRate;
    private long jitter;
    int lost;

    TcpWire(TcpSocket a, TcpSocket b) {
        this.a = a;
        this.b = b;
    }

    /** Loses each segment with probability {@code lossRate} and delays each by up to {@code jitter} more. */
    TcpWire faults(long seed, double lossRate, long jitter) {
        this.random = new Random(seed);
        this.lossRate = lossRate;
        this.jitter = jitter;
        return this;
    }

    /** Opens a connects to b (b listening on B's port); runs until both are ESTABLISHED. */
    TcpWire open() {
        b.listen(B.port());
        a.connect(B, A);
        runUntil(() -> a.state() == TcpState.ESTABLISHED && b.state() == TcpState.ESTABLISHED, 600_000_000L);
        return this;
    }

    /** Runs one event: dispatches due sockets and delivers due segments, else advances the clock. */
    void step() {
        boolean worked = false;
        if (Poller.pollAt(a, now) <= now) {
            Poller.dispatch(a, now, fromA);
            worked = true;
        }
        if (Poller.pollAt(b, now) <= now) {
            Poller.dispatch(b, now, fromB);
            worked = true;
        }
        enqueue(fromA, true);
        enqueue(fromB, false);
        while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
            InFlight f = inFlight.poll();
            deliver(f);
            worked = true;
        }
        enqueue(fromA, true);
        enqueue(fromB, false);
        if (worked) {
            return;
        }
        long next = Math.min(Poller.pollAt(a, now), Poller.pollAt(b, now));
        if (!inFlight.isEmpty()) {
            next = Math.min(next, inFlight.peek().at);
        }
        if (next == Long.MAX_VALUE) {
            throw new AssertionError("wire is idle: nothing will ever happen; a=" + a + " b=" + b);
        }
        now = Math.max(now + 1, next);
    }

    /** Runs until {@code done} holds, failing after {@code maxMicros} of virtual time. */
    void runUntil(java.util.function.BooleanSupplier done, long maxMicros) {
        long end = now + maxMicros;
        int idleSteps = 0;
        while (!done.getAsBoolean()) {
            long before = now;
            step();
            idleSteps = now == before ? idleSteps + 1 : 0;
            if (idleSteps > 1_000_000) {
                throw new AssertionError("busy loop at " + now + ": a=" + a + " b=" + b);
            }
            if (now > end) {
                throw new AssertionError("not done after " + maxMicros + " µs: a=" + a + " b=" + b);
            }
        }
    }

    /** Runs until nothing at all is scheduled (or {@code maxMicros} passed). */
    void runIdle(long maxMicros) {
        long end = now + maxMicros;
        while (now <= end) {
            long next = Math.min(Poller.pollAt(a, now), Poller.pollAt(b, now));
            if (inFlight.isEmpty() && next == Long.MAX_VALUE) {
                return;
            }
            if (!inFlight.isEmpty()) {
                next = Math.min(next, inFlight.peek().at);
            }
            if (next > end) {
                return;
            }
            step();
        }
    }

    /**
     * Moves {@code data} from {@code sender} to {@code receiver}, then closes the sender; returns what
     * the receiver read up to its end of stream.
     */
    byte[] transfer(TcpSocket sender, TcpSocket receiver, byte[] data, long maxMicros) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int[] sentBytes = {0};
        boolean[] eof = {false};
        byte[] buf = new byte[4096];
        runUntil(() -> {
            while (sentBytes[0] < data.length && sender.canSend()) {
                sentBytes[0] += sender.send(data, sentBytes[0], data.length - sentBytes[0]);
            }
            if (sentBytes[0] == data.length && sender.maySend()) {
                sender.close();
            }
            int n;
            while ((n = receiver.recv(buf, 0, buf.length)) > 0) {
                got.write(buf, 0, n);
            }
            if (n < 0) {
                eof[0] = true;
            }
            return eof[0];
        }, maxMicros);
        return got.toByteArray();
    }

    /**
     * Sends {@code toB} from a and {@code toA} from b at the same time, each closing after its data;
     * runs until both read their end of stream; returns {what b read, what a read}.
     */
    byte[][] exchange(byte[] toB, byte[] toA, long maxMicros) {
        Pump ab = new Pump(a, b, toB);
        Pump ba = new Pump(b, a, toA);
        runUntil(() -> ab.run() & ba.run(), maxMicros);
        return new byte[][] {ab.got.toByteArray(), ba.got.toByteArray()};
    }

    /** Feeds one direction: writes into the sender, closes it when all is queued, drains the receiver. */
    private static final class Pump {
        final TcpSocket sender;
        final TcpSocket receiver;
        final byte[] data;
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final byte[] buf = new byte[8192];
        int sent;
        boolean eof;

        Pump(TcpSocket sender, TcpSocket receiver, byte[] data) {
            this.sender = sender;
            this.receiver = receiver;
            this.data = data;
        }

        boolean run() {
            while (sent < data.length && sender.canSend()) {
                sent += sender.send(data, sent, data.length - sent);
            }
            if (sent == data.length && sender.maySend()) {
                sender.close();
            }
            int n;
            while ((n = receiver.recv(buf, 0, buf.length)) > 0) {
                got.write(buf, 0, n);
            }
            if (n < 0) {
                eof = true;
            }
            return eof;
        }
    }

    private void enqueue(TcpRecorder from, boolean toB) {
        for (TcpRecorder.Sent s : from.takeSegments()) {
            if (random != null && random.nextDouble() < lossRate) {
                lost++;
                log.add((toB ? "A> lost " : "B> lost ") + s);
                continue;
            }
            long delay = latency + (random != null && jitter > 0 ? (long) (random.nextDouble() * jitter) : 0);
            inFlight.add(new InFlight(now + delay, order++, s, toB));
        }
    }

    private void deliver(InFlight f) {
        log.add((f.toB ? "A> " : "B> ") + f.segment);
        Ipv4Repr ip = new Ipv4Repr().src(f.segment.src()).dst(f.segment.dst()).ttl(64);
        TcpRepr tcp = TcpRecorder.copy(f.segment.tcp());
        TcpSocket to = f.toB ? b : a;
        TcpRecorder out = f.toB ? fromB : fromA;
        if (!Poller.processTcp(to, now, ip, tcp, out)) {
            log.add((f.toB ? "B" : "A") + " refused " + f.segment);
        }
    }
}
