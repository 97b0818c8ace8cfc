package smol.iface;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import smol.phy.Cable;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.socket.SocketSet;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Cidr;

/**
 * Two stacks joined by a {@link Cable}, on a virtual clock: interface A (10.99.0.1/24,
 * 02-00-00-00-00-01) and interface B (10.99.0.2/24, 02-00-00-00-00-02), each with its own
 * {@link SocketSet}, as the two hosts of the kernel captures.
 *
 * <p>Each end transmits into a {@link LinkDelay} in front of its cable end, optionally wrapped further
 * (a fault injector, a capture) by the caller. {@link #runUntil} drives both in rounds: the
 * applications step, A polls, the applications step, B polls, the held frames go onto the cable, and
 * the applications step once more. While frames are on the way, a socket wants to go on at once or an
 * application moved something, the clock moves one {@link #HOP_MICROS} per round, so a frame sent in
 * one round arrives in the next; when all is idle it jumps to the earlier of the two {@code poll}
 * deadlines. Nothing depends on the wall clock, so a run is the same on every machine, and every loop
 * is bounded.
 */
final class TwoStacks {
    /** The link's one-way latency: a frame sent in a round is received in the next one. */
    static final long HOP_MICROS = 100;
    /** The virtual time of the first round. */
    static final long START_MICROS = 1_000_000;
    /** Frames each way on the cable (and held in each {@link LinkDelay}). */
    static final int QUEUE_FRAMES = 256;
    /** The most rounds one {@link #runUntil} makes before it gives up: a bound, not an expectation. */
    static final int MAX_ROUNDS = 2_000_000;

    final Cable cable;
    final LinkDelay linkA;
    final LinkDelay linkB;
    final Device deviceA;
    final Device deviceB;
    /** The capacity of each stack's socket set, unless a constructor says otherwise. */
    static final int SOCKETS = 8;

    final SocketSet socketsA;
    final SocketSet socketsB;
    final Interface a;
    final Interface b;
    long now = START_MICROS;
    long rounds;

    private final List<Application> applications = new ArrayList<>();
    /** Whether an application moved anything in the current round. */
    private boolean applicationsMoved;
    private final List<StateLog> logs = new ArrayList<>();

    /** Two stacks on a cable with the given capabilities, each end attached directly (behind its delay). */
    TwoStacks(DeviceCapabilities capabilities) {
        this(capabilities, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /** Two stacks on a cable with the given capabilities, each end's device wrapped by {@code wrapA}/{@code wrapB}. */
    TwoStacks(DeviceCapabilities capabilities, UnaryOperator<Device> wrapA, UnaryOperator<Device> wrapB) {
        this(capabilities, SOCKETS, wrapA, wrapB);
    }

    /** As {@link #TwoStacks(DeviceCapabilities, UnaryOperator, UnaryOperator)}, each socket set of {@code sockets} slots. */
    TwoStacks(DeviceCapabilities capabilities, int sockets, UnaryOperator<Device> wrapA, UnaryOperator<Device> wrapB) {
        socketsA = new SocketSet(sockets);
        socketsB = new SocketSet(sockets);
        cable = Cable.create(capabilities, QUEUE_FRAMES);
        linkA = new LinkDelay(cable.a(), QUEUE_FRAMES);
        linkB = new LinkDelay(cable.b(), QUEUE_FRAMES);
        deviceA = wrapA.apply(linkA);
        deviceB = wrapB.apply(linkB);
        a = new Interface(Fixtures.builder().mac(Fixtures.MAC_A).address(Ipv4Cidr.parse("10.99.0.1/24")).build(),
                socketsA);
        b = new Interface(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(), socketsB);
        a.attach(deviceA);
        b.attach(deviceB);
    }

    /**
     * What runs on a stack beside the poll: one step, quick and bounded, returning true when it moved
     * something (queued or read bytes, closed), since the sockets' deadlines cannot tell that it will
     * have more to do at once (a ring that an ACK emptied during a poll).
     */
    @FunctionalInterface
    interface Application {
        boolean step();
    }

    /** Adds an application, stepped before every poll of either interface. */
    TwoStacks application(Application step) {
        applications.add(step);
        return this;
    }

    /**
     * Opens a TCP connection the way most tests begin: {@code server} added to B and listening on
     * {@code serverEndpoint}'s port, {@code client} added to A and connecting to it from
     * {@code clientEndpoint}. Nothing runs yet.
     */
    void open(TcpSocket client, IpEndpoint clientEndpoint, TcpSocket server, IpEndpoint serverEndpoint) {
        socketsB.add(server);
        socketsA.add(client);
        server.listen(serverEndpoint.port());
        client.connect(serverEndpoint, clientEndpoint);
    }

    /** Starts recording the states {@code socket} goes through (seen after each application step and poll). */
    StateLog track(TcpSocket socket) {
        StateLog log = new StateLog(socket, now);
        logs.add(log);
        return log;
    }

    /**
     * Runs rounds until {@code done} holds (checked before and after each round, the clock left at the
     * round where it came true) and returns true, or returns false once the clock would pass
     * {@code untilMicros} (the last round runs at {@code untilMicros}; none when the clock is past it).
     *
     * @throws AssertionError after {@link #MAX_ROUNDS} rounds, or when nothing is due any more and
     *     {@code done} does not hold (a stuck run, reported with both stacks' state)
     */
    boolean runUntil(BooleanSupplier done, long untilMicros) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (now > untilMicros) {
                return false;
            }
            rounds++;
            applicationsMoved = false;
            long nextA = step(a);
            long nextB = step(b);
            linkA.release(now);
            linkB.release(now);
            // the applications see what B's poll did (an ACK that emptied a ring) before the clock moves
            stepApplications();
            if (done.getAsBoolean()) {
                return true; // before the clock moves on: the caller goes on from the time it happened
            }
            boolean busy = framesOnTheWay() > 0 || nextA <= now || nextB <= now || applicationsMoved;
            long next = busy ? now + HOP_MICROS : Math.min(nextA, nextB);
            if (next > untilMicros) {
                if (now >= untilMicros) {
                    return done.getAsBoolean();
                }
                next = untilMicros;
            }
            now = next;
        }
        throw new AssertionError("no end after " + MAX_ROUNDS + " rounds; " + describe());
    }

    /** Runs until {@code done} holds, failing with {@code what} and both stacks' state unless it does within {@code forMicros}. */
    void runUntilOrFail(BooleanSupplier done, long forMicros, String what) {
        if (!runUntil(done, now + forMicros)) {
            throw new AssertionError("not " + what + " within " + forMicros + " us; " + describe());
        }
    }

    /** Runs every round up to and including {@code untilMicros}, whatever happens. */
    void runTo(long untilMicros) {
        runUntil(() -> false, untilMicros);
    }

    /** Frames transmitted and not yet received: held for the next round or waiting on the cable. */
    int framesOnTheWay() {
        return linkA.holding() + linkB.holding() + cable.a().framesWaiting() + cable.b().framesWaiting();
    }

    private long step(Interface iface) {
        stepApplications();
        long next = iface.poll(now);
        observe();
        return next;
    }

    private void stepApplications() {
        for (Application application : applications) {
            applicationsMoved |= application.step();
        }
        observe();
    }

    private void observe() {
        for (StateLog log : logs) {
            log.observe(now);
        }
    }

    /** Both stacks in a few lines, for failure messages. */
    String describe() {
        StringBuilder text = new StringBuilder("at ").append(now).append(" us after ").append(rounds).append(" rounds");
        text.append("\n  A: ").append(a.statistics());
        for (int i = 0; i < socketsA.capacity(); i++) {
            if (socketsA.slot(i) != null) {
                text.append("\n    ").append(socketsA.slot(i));
            }
        }
        text.append("\n  B: ").append(b.statistics());
        for (int i = 0; i < socketsB.capacity(); i++) {
            if (socketsB.slot(i) != null) {
                text.append("\n    ").append(socketsB.slot(i));
            }
        }
        text.append("\n  on the way: ").append(framesOnTheWay()).append(" frames");
        return text.toString();
    }

    /** The states one TCP socket went through, each with the virtual time it was first seen in. */
    static final class StateLog {
        private final TcpSocket socket;
        private final List<TcpState> states = new ArrayList<>();
        private final List<Long> times = new ArrayList<>();

        StateLog(TcpSocket socket, long nowMicros) {
            this.socket = socket;
            observe(nowMicros);
        }

        void observe(long nowMicros) {
            TcpState state = socket.state();
            if (states.isEmpty() || states.get(states.size() - 1) != state) {
                states.add(state);
                times.add(nowMicros);
            }
        }

        /** The states in order, each change once. */
        List<TcpState> states() {
            return states;
        }

        List<Long> times() {
            return times;
        }

        /** When {@code state} was first seen. */
        long enteredAt(TcpState state) {
            int i = states.indexOf(state);
            if (i < 0) {
                throw new AssertionError(socket + " never was " + state + ": " + states);
            }
            return times.get(i);
        }
    }
}
