package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.RuntimePair.atB;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smol.socket.Socket;
import smol.socket.SocketHandle;
import smol.socket.SocketSet;
import smol.socket.SocketSetView;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;

/**
 * Random API calls from several application threads at once on two runtimes joined by a cable (issue 8):
 * open, write, read, close, abort, remove through {@code withSockets}, stale handles, and owners' views
 * closed from another thread while their connections are in use. Each run is seeded; every thread draws
 * its calls from {@code Random(seed + thread)}, and a failing run names its seed (rerun one with
 * {@code -Dsmol.seed=<seed>}). The invariants, checked as the calls go and at the end:
 * <ul>
 *   <li>every byte written comes back from the echoing peer exactly once and in order, or the connection
 *       reports an error;</li>
 *   <li>no handle reaches a socket its owner did not open: a handle names its own socket or fails, a
 *       stale one fails as stale, a view refuses the handles of others;</li>
 *   <li>the set's count matches what is open;</li>
 *   <li>no call blocks past its timeout plus 1 s;</li>
 *   <li>only the exceptions documented for a call, in the circumstances documented, are thrown.</li>
 * </ul>
 */
class RuntimeRandomCallsTest {
    private static final int PORT = 7070;
    private static final int THREADS = 4;
    private static final int OPERATIONS = 300;
    private static final int MAX_OPEN_PER_THREAD = 4;
    private static final int RING = 4096;
    private static final int SET_CAPACITY = 256;
    private static final int BACKLOG = 8;
    /** Past this the threads start no more calls; far above what a run takes. */
    private static final Duration RUN_BOUND = Duration.ofSeconds(20);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SETTLE = Duration.ofSeconds(10);
    /** How far past its own timeout a call may return. */
    private static final long SLACK_NANOS = Duration.ofSeconds(1).toNanos();
    /** Short TIME-WAIT and FIN-WAIT-2 on the clients, so that their closed sockets leave the set within the run. */
    private static final long TIME_WAIT_MICROS = 100_000;
    private static final long FIN_WAIT_2_MICROS = 2_000_000;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {8L, 20_261_129L})
    void randomCallsFromFourThreadsKeepEveryByteTheSetCountAndTheHandlesRight(long seed) throws Exception {
        new Run(seed).execute();
    }

    @Test
    void randomCallsWithAFreshSeedKeepEveryByteTheSetCountAndTheHandlesRight() throws Exception {
        new Run(Long.getLong("smol.seed", System.nanoTime())).execute();
    }

    /** One client connection of A and what went through it. */
    private static final class Client {
        final int salt;
        final TcpConnection connection;
        final TcpSocket socket;
        boolean ofView;
        long sent;
        long received;

        Client(int salt, TcpConnection connection, TcpSocket socket) {
            this.salt = salt;
            this.connection = connection;
            this.socket = socket;
        }

        long outstanding() {
            return sent - received;
        }
    }

    /** A call that may throw the documented {@link IOException}s. */
    private interface Call<T> {
        T run() throws IOException;
    }

    /** One seeded run: the pair, the echoing server on B, the application threads on A. */
    private static final class Run {
        final long seed;
        final RuntimePair pair = new RuntimePair("random", SET_CAPACITY);
        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger salts = new AtomicInteger();
        final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        final ExecutorService echoes = Executors.newCachedThreadPool();
        volatile boolean stopping;
        final long deadline = System.nanoTime() + RUN_BOUND.toNanos();

        Run(long seed) {
            this.seed = seed;
        }

        void execute() throws Exception {
            List<List<Client>> open = new ArrayList<>();
            TcpServer server = pair.b.listen(PORT, BACKLOG, RING, RING).acceptTimeout(Duration.ofMillis(200));
            Thread acceptor = new Thread(() -> serve(server), "random-acceptor");
            try {
                acceptor.start();
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    List<Client> mine = new ArrayList<>();
                    open.add(mine);
                    int index = t;
                    threads.add(new Thread(() -> application(index, mine), "random-app-" + t));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join(RUN_BOUND.toMillis() + 30_000);
                    if (t.isAlive()) {
                        AssertionError stuck = new AssertionError(t.getName() + " still runs long after the run's bound");
                        stuck.setStackTrace(t.getStackTrace());
                        failures.add(stuck);
                    }
                }
                if (failures.isEmpty()) {
                    finish(open, server, acceptor);
                }
            } catch (Throwable e) {
                failures.add(e);
            } finally {
                stopping = true;
                echoes.shutdownNow();
                pair.close();
                acceptor.join(5_000);
            }
            if (!failures.isEmpty()) {
                String report = "seed " + seed + " (rerun with -Dsmol.seed=" + seed + "): " + failures.size()
                        + " failure(s)";
                System.out.println("RuntimeRandomCallsTest failed with " + report + "; " + counts);
                AssertionError error = new AssertionError(report + "; the first: " + failures.peek(), failures.peek());
                failures.stream().skip(1).forEach(error::addSuppressed);
                throw error;
            }
            // the run exercised what it checks
            assertThat(counts).as("seed %d", seed).containsKeys("op", "connected");
            assertThat(counts.get("connected").get()).as("seed %d: connections opened", seed).isPositive();
        }

        void count(String what) {
            counts.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        }

        AssertionError broken(String what) {
            return new AssertionError("seed " + seed + ", " + Thread.currentThread().getName() + ": " + what);
        }

        /** Runs a blocking call and checks that it returned within its timeout plus the slack. */
        <T> T timed(String what, Duration timeout, Call<T> call) throws IOException {
            long start = System.nanoTime();
            try {
                return call.run();
            } finally {
                long took = System.nanoTime() - start;
                if (took > timeout.toNanos() + SLACK_NANOS) {
                    throw broken(what + " blocked " + took / 1_000_000 + " ms, past its timeout of "
                            + timeout.toMillis() + " ms plus 1 s");
                }
            }
        }

        // ------------------------------------------------------------ B: an echoing server

        void serve(TcpServer server) {
            try {
                while (!stopping) {
                    TcpConnection accepted;
                    try {
                        accepted = timed("accept", server.acceptTimeout(), server::accept);
                    } catch (SocketTimeoutException none) {
                        continue;
                    }
                    echoes.execute(() -> echo(accepted));
                }
            } catch (SocketException stopped) {
                if (!stopping) {
                    failures.add(broken("accept failed while the server was open: " + stopped));
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }

        void echo(TcpConnection connection) {
            Duration poll = Duration.ofMillis(200);
            Duration write = Duration.ofSeconds(5);
            connection.readTimeout(poll).writeTimeout(write);
            byte[] buf = new byte[RING];
            try {
                while (true) {
                    int n;
                    try {
                        n = timed("echo read", poll, () -> connection.read(buf, 0, buf.length));
                    } catch (SocketTimeoutException idle) {
                        if (stopping) {
                            timed("echo close", pair.b.linger(), () -> connection.close(pair.b.linger()));
                            return;
                        }
                        continue;
                    }
                    if (n < 0) {
                        timed("echo close", pair.b.linger(), () -> connection.close(pair.b.linger()));
                        return;
                    }
                    timed("echo write", write, () -> {
                        connection.write(buf, 0, n);
                        return null;
                    });
                }
            } catch (SocketException | SocketTimeoutException ended) {
                connection.abort(); // the client reset, aborted or vanished: documented ends
            } catch (InterruptedIOException interrupted) {
                connection.abort();
                if (!stopping) {
                    failures.add(broken("an echo was interrupted while the run went on: " + interrupted));
                }
            } catch (Throwable e) {
                connection.abort();
                failures.add(e);
            }
        }

        // ------------------------------------------------------------ A: the application threads

        void application(int index, List<Client> open) {
            Random random = new Random(seed + index);
            List<SocketHandle> stale = new ArrayList<>();
            try {
                for (int op = 0; op < OPERATIONS && System.nanoTime() - deadline < 0; op++) {
                    count("op");
                    int dice = random.nextInt(100);
                    if (dice < 15) {
                        open(random, open);
                    } else if (dice < 40) {
                        send(random, open);
                    } else if (dice < 60) {
                        receive(random, open);
                    } else if (dice < 67) {
                        close(random, open);
                    } else if (dice < 73) {
                        abort(random, open);
                    } else if (dice < 80) {
                        remove(random, open, stale);
                    } else if (dice < 87) {
                        checkStale(random, stale);
                    } else if (dice < 93) {
                        viewClosedMidUse(random, open, stale, "owner-" + index + "-" + op);
                    } else {
                        checkHandles(open);
                    }
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }

        Client pick(Random random, List<Client> open) {
            return open.isEmpty() ? null : open.get(random.nextInt(open.size()));
        }

        TcpSocket clientSocket() {
            return new TcpSocket(RING, RING).timeWait(TIME_WAIT_MICROS).finWait2Timeout(FIN_WAIT_2_MICROS);
        }

        void open(Random random, List<Client> open) throws IOException {
            if (open.size() >= MAX_OPEN_PER_THREAD) {
                return;
            }
            TcpSocket socket = clientSocket();
            TcpConnection connection;
            try {
                connection = pair.a.tcp(socket);
            } catch (IllegalStateException full) {
                count("set full");
                return;
            }
            Client client = connect(connection, socket);
            if (client != null) {
                open.add(client);
            }
        }

        /** Connects to the echo server; null when the documented refusal or timeout came instead. */
        Client connect(TcpConnection connection, TcpSocket socket) throws IOException {
            connection.readTimeout(READ_TIMEOUT).writeTimeout(WRITE_TIMEOUT);
            try {
                timed("connect", CONNECT_TIMEOUT, () -> {
                    connection.connect(atB(PORT), CONNECT_TIMEOUT);
                    return null;
                });
            } catch (ConnectException | SocketTimeoutException notConnected) {
                count("connect failed");
                connection.abort();
                return null;
            }
            count("connected");
            return new Client(salts.incrementAndGet(), connection, socket);
        }

        /** Writes the next bytes of the client's pattern, never more than its receive ring can take back. */
        void send(Random random, List<Client> open) throws IOException {
            Client client = pick(random, open);
            if (client == null) {
                return;
            }
            int room = (int) (RING - client.outstanding());
            if (room == 0) {
                receive(client, open);
                return;
            }
            int len = 1 + random.nextInt(Math.min(room, 3000));
            byte[] bytes = new byte[len];
            for (int i = 0; i < len; i++) {
                bytes[i] = PatternStream.at(client.salt, client.sent + i);
            }
            try {
                timed("write", WRITE_TIMEOUT, () -> {
                    client.connection.write(bytes, 0, len);
                    return null;
                });
                client.sent += len;
            } catch (SocketTimeoutException partly) {
                count("write timed out");
                client.sent += partly.bytesTransferred;
            } catch (SocketException ended) {
                ended(client, open, ended);
            }
        }

        void receive(Random random, List<Client> open) throws IOException {
            Client client = pick(random, open);
            if (client != null) {
                receive(client, open);
            }
        }

        /** Reads what came back, checking it is the next part of what was sent. */
        void receive(Client client, List<Client> open) throws IOException {
            byte[] buf = new byte[RING];
            try {
                if (client.outstanding() == 0) {
                    int n = client.connection.tryRead(buf, 0, buf.length);
                    if (n != 0) {
                        throw broken("a read with nothing outstanding returned " + n + " on " + client.connection);
                    }
                    return;
                }
                int n = timed("read", READ_TIMEOUT,
                        () -> client.connection.read(buf, 0, (int) Math.min(buf.length, client.outstanding())));
                verify(client, buf, n);
            } catch (SocketTimeoutException slow) {
                count("read timed out");
            } catch (SocketException ended) {
                ended(client, open, ended);
            }
        }

        void verify(Client client, byte[] buf, int n) {
            if (n <= 0) {
                throw broken("the echo ended (" + n + ") with " + client.outstanding() + " bytes outstanding on "
                        + client.connection);
            }
            if (n > client.outstanding()) {
                throw broken(n + " bytes came back where " + client.outstanding() + " were outstanding");
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] != PatternStream.at(client.salt, client.received + i)) {
                    throw broken("byte " + (client.received + i) + " of connection " + client.salt
                            + " came back wrong: " + buf[i] + " instead of "
                            + PatternStream.at(client.salt, client.received + i));
                }
            }
            client.received += n;
        }

        /** A connection reported an error: allowed, as long as it was an error of the connection. */
        void ended(Client client, List<Client> open, SocketException e) {
            count((client.ofView ? "view connection error: " : "connection error: ") + e.getMessage());
            client.connection.abort();
            open.remove(client);
        }

        void close(Random random, List<Client> open) throws IOException {
            Client client = pick(random, open);
            if (client == null) {
                return;
            }
            if (random.nextBoolean()) {
                while (client.outstanding() > 0 && open.contains(client)) {
                    receive(client, open);
                }
            }
            timed("close", client.connection.linger(), () -> client.connection.close(client.connection.linger()));
            open.remove(client);
            expectClosed(client.connection, "closed");
            count("closed");
        }

        void abort(Random random, List<Client> open) throws IOException {
            Client client = pick(random, open);
            if (client == null) {
                return;
            }
            client.connection.abort();
            open.remove(client);
            expectClosed(client.connection, "aborted");
            count("aborted");
        }

        /** The connection's calls fail at once with "socket closed". */
        void expectClosed(TcpConnection connection, String how) throws IOException {
            if (!connection.isClosed()) {
                throw broken("a connection " + how + " does not say it is closed: " + connection);
            }
            try {
                connection.read(new byte[1], 0, 1);
                throw broken("a read on a connection " + how + " returned");
            } catch (SocketException expected) {
                if (!"socket closed".equals(expected.getMessage())) {
                    throw broken("a read on a connection " + how + " failed with " + expected);
                }
            }
        }

        /**
         * Removes a connection's socket through {@code withSockets}, then (sometimes) opens another at
         * once, from this thread or inside the same action, so that the slot is taken again before the
         * loop polls: the removed connection's calls end all the same, and the old handle names nothing.
         */
        void remove(Random random, List<Client> open, List<SocketHandle> stale) throws IOException {
            Client client = pick(random, open);
            if (client == null) {
                return;
            }
            SocketHandle handle = client.connection.handle();
            int variant = random.nextInt(3);
            TcpSocket freshSocket = clientSocket();
            TcpConnection[] fresh = new TcpConnection[1];
            Socket removed = pair.a.withSockets(set -> {
                Socket gone = set.remove(handle);
                if (variant == 2) {
                    fresh[0] = pair.a.tcp(freshSocket);
                }
                return gone;
            });
            open.remove(client);
            stale.add(handle);
            count("removed, variant " + variant);
            if (removed != client.socket) {
                throw broken("removing " + handle + " returned " + removed + ", not the socket it named");
            }
            if (variant == 1) {
                fresh[0] = pair.a.tcp(freshSocket);
            }
            // A socket removed through withSockets ends the calls of its connection (InterfaceRuntime#withSockets).
            long until = System.nanoTime() + READ_TIMEOUT.toNanos() + SLACK_NANOS;
            byte[] buf = new byte[RING];
            try {
                while (true) {
                    int n = timed("read after remove", READ_TIMEOUT, () -> client.connection.read(buf, 0, buf.length));
                    if (n > 0 && n <= client.outstanding()) {
                        verify(client, buf, n); // buffered before the removal: still the right bytes
                    } else {
                        throw broken("a read on a removed connection returned " + n);
                    }
                    if (System.nanoTime() - until > 0) {
                        throw broken("a removed connection still reads after " + READ_TIMEOUT.plusSeconds(1));
                    }
                }
            } catch (SocketTimeoutException stillOpen) {
                throw broken("the connection of a socket removed through withSockets (variant " + variant
                        + ") did not end: its read timed out instead of failing with \"socket closed\"; "
                        + client.connection);
            } catch (SocketException expected) {
                // its calls ended
            } finally {
                if (fresh[0] != null) {
                    fresh[0].abort();
                }
            }
            if (fresh[0] != null && fresh[0].handle().equals(handle)) {
                throw broken("a new socket got the handle of a removed one: " + handle);
            }
        }

        /** A stale handle names nothing: the set says so, as stale, and the runtime refuses it. */
        void checkStale(Random random, List<SocketHandle> stale) {
            if (stale.isEmpty()) {
                return;
            }
            SocketHandle handle = stale.get(random.nextInt(stale.size()));
            String problem = pair.a.withSockets(set -> {
                if (set.contains(handle)) {
                    return "the set contains the stale " + handle + ": " + set.get(handle);
                }
                try {
                    return "the stale " + handle + " reached " + set.get(handle);
                } catch (IllegalArgumentException expected) {
                    if (!expected.getMessage().contains("stale")) {
                        return "the stale " + handle + " failed without saying it is stale: " + expected;
                    }
                }
                try {
                    return "removing the stale " + handle + " removed " + set.remove(handle);
                } catch (IllegalArgumentException expected) {
                    return null;
                }
            });
            if (problem != null) {
                throw broken(problem);
            }
            try {
                throw broken("the runtime made a connection of the stale " + handle + ": " + pair.a.tcp(handle));
            } catch (IllegalArgumentException expected) {
                count("stale refused");
            }
        }

        /**
         * Opens a connection through an owner's view, uses it while another thread closes the view, then
         * checks the view's handles fail, the socket was aborted and the connection's calls end.
         */
        void viewClosedMidUse(Random random, List<Client> open, List<SocketHandle> stale, String owner)
                throws Exception {
            TcpSocket socket = clientSocket();
            SocketSetView view;
            SocketHandle handle;
            try {
                Object[] made = pair.a.withSockets(set -> {
                    SocketSetView v = set.view(owner);
                    return new Object[] {v, v.add(socket)};
                });
                view = (SocketSetView) made[0];
                handle = (SocketHandle) made[1];
            } catch (IllegalStateException full) {
                count("set full");
                return;
            }
            Client other = pick(random, open);
            if (other != null) {
                String reached = pair.a.withSockets(set -> {
                    try {
                        return "the view of " + owner + " reached " + view.get(other.connection.handle());
                    } catch (IllegalArgumentException expected) {
                        return null;
                    }
                });
                if (reached != null) {
                    throw broken(reached);
                }
            }
            TcpConnection connection = pair.a.tcp(handle);
            Client client = connect(connection, socket);
            if (client == null) {
                pair.a.withSockets(set -> {
                    view.close();
                    return null;
                });
                return;
            }
            client.ofView = true;
            long delayMillis = random.nextInt(40);
            boolean[] closing = new boolean[1];
            Thread closer = new Thread(() -> {
                try {
                    Thread.sleep(delayMillis);
                    synchronized (closing) {
                        closing[0] = true;
                    }
                    pair.a.withSockets(set -> {
                        view.close();
                        return null;
                    });
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, Thread.currentThread().getName() + "-closer");
            closer.start();
            List<Client> mine = new ArrayList<>(List.of(client));
            boolean ended = false;
            try {
                while (!ended && closer.isAlive()) {
                    if (random.nextBoolean()) {
                        send(random, mine);
                    } else {
                        receive(client, mine);
                    }
                    ended = mine.isEmpty();
                    if (ended) {
                        synchronized (closing) {
                            if (!closing[0]) {
                                throw broken("a connection of a view failed before the view was closed");
                            }
                        }
                    }
                }
            } finally {
                closer.join(READ_TIMEOUT.toMillis() + 5_000);
            }
            if (closer.isAlive()) {
                throw broken("closing a view did not return");
            }
            stale.add(handle);
            count("view closed mid-use");
            String problem = pair.a.withSockets(set -> viewProblem(set, view, handle, socket));
            if (problem != null) {
                throw broken(problem);
            }
            // the connection's calls end once the loop has seen the view's sockets go
            long until = System.nanoTime() + READ_TIMEOUT.toNanos() + SLACK_NANOS;
            byte[] buf = new byte[RING];
            try {
                while (System.nanoTime() - until < 0) {
                    timed("read after the view closed", READ_TIMEOUT, () -> connection.read(buf, 0, buf.length));
                }
                throw broken("a connection of a closed view still reads");
            } catch (SocketTimeoutException stillOpen) {
                throw broken("a connection of a closed view did not end: its read timed out; " + connection);
            } catch (SocketException expected) {
                // its calls ended
            }
        }

        String viewProblem(SocketSet set, SocketSetView view, SocketHandle handle, TcpSocket socket) {
            if (!view.isClosed()) {
                return "the view " + view + " is not closed";
            }
            try {
                return "the closed " + view + " still reached " + view.get(handle);
            } catch (IllegalStateException expected) {
                // the view is closed
            }
            if (set.contains(handle)) {
                return "the set still names the socket of a closed view under " + handle;
            }
            try {
                return "the handle of a closed view reached " + set.get(handle);
            } catch (IllegalArgumentException expected) {
                if (!expected.getMessage().contains("stale")) {
                    return "the handle of a closed view failed without saying it is stale: " + expected;
                }
            }
            if (socket.state() != TcpState.CLOSED || socket.closeReason() == TcpCloseReason.NONE) {
                return "the socket of a closed view was not aborted: " + socket;
            }
            return null;
        }

        /** Each open connection's handle names its own socket, added by no owner, and the count adds up. */
        void checkHandles(List<Client> open) {
            String problem = pair.a.withSockets(set -> {
                int occupied = 0;
                for (int i = 0; i < set.capacity(); i++) {
                    if (set.slot(i) != null) {
                        occupied++;
                    }
                }
                if (occupied != set.size()) {
                    return "the set counts " + set.size() + " sockets in " + occupied + " occupied slots";
                }
                for (Client client : open) {
                    SocketHandle handle = client.connection.handle();
                    if (!set.contains(handle) || set.get(handle) != client.socket) {
                        return handle + " of an open connection does not name its socket";
                    }
                    if (set.owner(handle) != null) {
                        return handle + " was opened by no owner, but the set says " + set.owner(handle);
                    }
                }
                return null;
            });
            if (problem != null) {
                throw broken(problem);
            }
            count("handles checked");
        }

        // ------------------------------------------------------------ the end

        /**
         * Every byte outstanding comes back; then A's set holds exactly the open connections; then, all
         * closed, both sets empty.
         */
        void finish(List<List<Client>> open, TcpServer server, Thread acceptor) throws Exception {
            List<Client> all = open.stream().flatMap(List::stream).collect(Collectors.toList());
            for (Client client : new ArrayList<>(all)) {
                long until = System.nanoTime() + RuntimePair.PATIENCE.toNanos();
                while (client.outstanding() > 0 && all.contains(client)) {
                    if (System.nanoTime() - until > 0) {
                        throw broken(client.outstanding() + " bytes written on connection " + client.salt
                                + " never came back, and it reports no error: " + client.connection);
                    }
                    receive(client, all);
                }
            }
            String mismatch = settle(pair.a, () -> pair.a.withSockets(set -> {
                List<SocketHandle> expected = all.stream().map(c -> c.connection.handle()).toList();
                boolean same = set.size() == expected.size() && expected.stream().allMatch(set::contains);
                return same ? null : "A's set holds " + set.size() + " sockets where " + expected.size()
                        + " connections are open: " + describe(set);
            }));
            if (mismatch != null) {
                throw broken(mismatch);
            }
            for (Client client : all) {
                timed("close", client.connection.linger(), () -> client.connection.close(client.connection.linger()));
            }
            stopping = true;
            acceptor.join(5_000);
            server.close();
            for (InterfaceRuntime runtime : List.of(pair.a, pair.b)) {
                String left = settle(runtime, () -> runtime.withSockets(set -> set.size() == 0 ? null
                        : runtime.name() + "'s set still holds " + set.size() + " sockets after all closed: "
                                + describe(set)));
                if (left != null) {
                    throw broken(left);
                }
            }
        }

        /** Waits up to {@link #SETTLE} for {@code check} to find nothing wrong; returns its last finding. */
        String settle(InterfaceRuntime runtime, Supplier<String> check) throws InterruptedException {
            long until = System.nanoTime() + SETTLE.toNanos();
            String problem = check.get();
            while (problem != null && System.nanoTime() - until < 0) {
                Thread.sleep(20);
                problem = check.get();
            }
            return problem;
        }

        static String describe(SocketSet set) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < set.capacity(); i++) {
                if (set.slot(i) != null) {
                    b.append("\n  slot ").append(i).append(": ").append(set.slot(i));
                }
            }
            return b.toString();
        }
    }
}
