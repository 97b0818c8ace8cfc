package smol.iface;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import smol.phy.Cable;
import smol.phy.Device;
import smol.socket.SocketSet;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Cidr;

/**
 * Two stacks joined by an in-memory {@link Cable}, each on its own {@link InterfaceRuntime} thread, on the
 * real clock: A (10.99.0.1/24) and B (10.99.0.2/24), as the kernel captures' hosts. For the runtime tests
 * alone; every protocol behaviour is tested on the virtual clock ({@link TwoStacks}).
 */
final class RuntimePair implements AutoCloseable {
    /** Frames each way on the cable. */
    static final int QUEUE_FRAMES = 512;
    /** A bound on how long any one step of a test waits: far above what it takes, on a loaded machine too. */
    static final Duration PATIENCE = Duration.ofSeconds(20);
    /**
     * The linger of the runtimes unless a test sets its own: a test that leaves a connection unable to
     * close (a peer that reads nothing, a silent link) does not wait the default second at its end.
     */
    static final Duration SHORT_LINGER = Duration.ofMillis(200);

    final Cable cable = Cable.create(QUEUE_FRAMES);
    final InterfaceRuntime a;
    final InterfaceRuntime b;
    final String nameA;
    final String nameB;

    /**
     * Two runtimes named {@code <prefix>-a} and {@code <prefix>-b} with {@code sockets} slots each, started,
     * with a linger of {@link #SHORT_LINGER}.
     */
    RuntimePair(String prefix, int sockets) {
        this(prefix, sockets, UnaryOperator.identity(), d -> d);
    }

    /**
     * Two runtimes with a linger of {@link #SHORT_LINGER}, then {@code configure} applied to both builders,
     * started, with {@code wrap} around each cable end (for a device that records being closed).
     */
    RuntimePair(String prefix, int sockets, UnaryOperator<InterfaceRuntime.Builder> configure,
            UnaryOperator<Device> wrap) {
        nameA = prefix + "-a";
        nameB = prefix + "-b";
        Interface ifaceA = new Interface(Fixtures.builder().mac(Fixtures.MAC_A)
                .address(Ipv4Cidr.parse("10.99.0.1/24")).build(), new SocketSet(sockets));
        Interface ifaceB = new Interface(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new SocketSet(sockets));
        a = configure.apply(InterfaceRuntime.builder(ifaceA).name(nameA).linger(SHORT_LINGER)).build();
        b = configure.apply(InterfaceRuntime.builder(ifaceB).name(nameB).linger(SHORT_LINGER)).build();
        a.attach(wrap.apply(cable.a()));
        b.attach(wrap.apply(cable.b()));
        a.start();
        b.start();
    }

    /** B's endpoint on {@code port}. */
    static IpEndpoint atB(int port) {
        return new IpEndpoint(Fixtures.IP_B, port);
    }

    /** A's endpoint on {@code port}. */
    static IpEndpoint atA(int port) {
        return new IpEndpoint(Fixtures.IP_A, port);
    }

    /** One connection seen from both ends. */
    record Connected(TcpConnection client, TcpConnection server) {}

    /**
     * Opens {@code count} connections from {@code clients} to {@code servers} on {@code port}, with rings of
     * {@code bufferBytes}: the servers listen first (several listening sockets on one port), then each
     * client connects; each client is paired with the server socket whose peer it is.
     */
    static List<Connected> connect(InterfaceRuntime clients, InterfaceRuntime servers, IpEndpoint server,
            int count, int bufferBytes) throws IOException {
        List<TcpConnection> listening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TcpConnection s = servers.tcp(bufferBytes, bufferBytes);
            s.listen(server.port());
            listening.add(s);
        }
        List<Connected> pairs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TcpConnection c = clients.tcp(bufferBytes, bufferBytes);
            c.connect(server, PATIENCE);
            pairs.add(new Connected(c, null));
        }
        List<Connected> matched = new ArrayList<>();
        for (Connected pair : pairs) {
            IpEndpoint local = pair.client().localEndpoint();
            TcpConnection peer = null;
            for (TcpConnection s : listening) {
                s.awaitConnected(PATIENCE);
                if (local.equals(s.remoteEndpoint())) {
                    peer = s;
                }
            }
            if (peer == null) {
                throw new AssertionError("no server socket is the peer of " + pair.client());
            }
            matched.add(new Connected(pair.client(), peer));
        }
        return matched;
    }

    /** The names of the live threads of these two runtimes. */
    Set<String> liveRuntimeThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.equals("smol-runtime " + nameA) || n.equals("smol-runtime " + nameB))
                .collect(Collectors.toSet());
    }

    /** Stops both runtimes. */
    @Override
    public void close() {
        a.stop();
        b.stop();
    }

    /** Waits until {@code thread} is parked in a blocking call. */
    static void awaitBlocked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                throw new AssertionError(thread.getName() + " did not block: " + thread.getState());
            }
            Thread.sleep(1);
        }
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@link RuntimePair#PATIENCE}. */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true: " + what);
            }
            Thread.sleep(1);
        }
    }
}
