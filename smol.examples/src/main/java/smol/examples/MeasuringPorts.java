package smol.examples;

import java.io.IOException;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import smol.iface.SocketSetService;
import smol.iface.TcpConnection;
import smol.iface.TcpServer;

/**
 * The TCP ports a client measures the stack with, started beside {@link Server} on the same interface:
 * {@value #ECHO_PORT} sends back exactly what it receives, {@value #DISCARD_PORT} reads and discards
 * everything, {@value #PATTERN_PORT} sends an endless known byte pattern (below) and ignores its input.
 * Each is a listener with a backlog of {@value #BACKLOG} whose connections have rings of
 * {@value #BUFFER_BYTES} bytes each way; any number of clients may be connected at once.
 *
 * <p><b>Threads.</b> One thread accepts on each port, and each accepted connection is served by a daemon
 * thread of its own with blocking reads and writes (the runtime's loop thread never waits for a
 * connection). Each connection is a socket of the interface's fixed-size set, so the set's capacity bounds
 * the threads: at most one per socket of the set, plus the three accepting ones. Each listener keeps
 * {@value #BACKLOG} sockets of the set in reserve, so the set needs room for 3 × {@value #BACKLOG}
 * sockets besides the connections it is to serve at once.
 *
 * <p><b>The pattern</b> on {@value #PATTERN_PORT} is the benchmarks' stream: byte {@code i} is a fixed
 * function of {@code i} with a period of 1,048,573 bytes (SplitMix64 seeded with {@code 0x736d6f6c62656e63},
 * one low byte of each output), so a client can check every byte it receives.
 *
 * <p>The sockets come from a {@link SocketSetService} (the runtime's {@code scope(owner)} on a plain class
 * path, the socket-set service inside OSGi). {@link #close} stops listening and aborts the connections
 * still served; closing the socket-set service or stopping the runtime ends them too. Thread-safe.
 */
public final class MeasuringPorts implements AutoCloseable {
    /** Echoes exactly what it receives, until the client closes. */
    public static final int ECHO_PORT = 6970;
    /** Reads and discards its input, then closes when the client does. */
    public static final int DISCARD_PORT = 6971;
    /** Sends the endless pattern until the client closes or resets. */
    public static final int PATTERN_PORT = 6972;
    /** The backlog of each listener: connections completed or half-open, not yet accepted. */
    public static final int BACKLOG = 8;
    /** The ring size of every connection, each way: 64 KiB. */
    public static final int BUFFER_BYTES = 64 * 1024;
    /** The sockets of the set the three listeners keep in reserve. */
    public static final int RESERVED_SOCKETS = 3 * BACKLOG;

    /** How long an accept waits before it tries again when the set had no room for the next reserve. */
    private static final long FULL_SET_PAUSE_MILLIS = 50;
    private static final System.Logger LOG = System.getLogger(MeasuringPorts.class.getName());

    private final StreamPattern pattern = new StreamPattern();
    private final TcpServer echo;
    private final TcpServer discard;
    private final TcpServer patternServer;
    /** The connections being served, so that {@link #close} can end them. */
    private final Set<TcpConnection> served = ConcurrentHashMap.newKeySet();
    /** Set by {@link #close}: a connection accepted meanwhile is aborted by its accepting thread. */
    private volatile boolean closed;

    /**
     * Listens on the three ports of the interface of {@code sockets}, as the owner of {@code sockets}, and
     * starts their accepting threads. Does not close {@code sockets} itself.
     *
     * @throws RuntimeException as {@link SocketSetService#listen}: when {@code sockets} is closed, its set has
     *     no room, or a TCP port is taken
     */
    public MeasuringPorts(SocketSetService sockets) {
        echo = sockets.listen(ECHO_PORT, BACKLOG, BUFFER_BYTES, BUFFER_BYTES);
        discard = sockets.listen(DISCARD_PORT, BACKLOG, BUFFER_BYTES, BUFFER_BYTES);
        patternServer = sockets.listen(PATTERN_PORT, BACKLOG, BUFFER_BYTES, BUFFER_BYTES);
        acceptOn(echo, "echo", this::echo);
        acceptOn(discard, "discard", MeasuringPorts::discard);
        acceptOn(patternServer, "pattern", this::sendPattern);
    }

    /** Sends back every byte read, in order, until the end of the stream; then closes. */
    private void echo(TcpConnection connection) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        int n;
        while ((n = connection.read(buffer, 0, buffer.length)) > 0) {
            connection.write(buffer, 0, n);
        }
        connection.close();
    }

    /** Reads until the end of the stream, keeping nothing; then closes. */
    private static void discard(TcpConnection connection) throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        while (connection.read(buffer, 0, buffer.length) > 0) {
            // discarded
        }
        connection.close();
    }

    /** Writes the pattern from its first byte on until a write fails (the client closed or reset). */
    private void sendPattern(TcpConnection connection) throws IOException {
        // What the client sends is never read: once the receive ring is full its window stays shut.
        byte[] bytes = pattern.bytes();
        long position = 0;
        while (true) {
            connection.write(bytes, StreamPattern.offsetOf(position), StreamPattern.MAX_STRETCH);
            position += StreamPattern.MAX_STRETCH;
        }
    }

    /** Stops listening on the three ports, and aborts every connection still being served. */
    @Override
    public void close() {
        closed = true;
        echo.close();
        discard.close();
        patternServer.close();
        for (TcpConnection connection : served) {
            connection.abort();
        }
    }

    /** What serves one connection, with blocking calls; it may throw when the connection fails. */
    private interface Service {
        void serve(TcpConnection connection) throws IOException;
    }

    /** Starts the thread that accepts on {@code server} and starts a serving thread per connection. */
    private void acceptOn(TcpServer server, String name, Service service) {
        int port = server.localEndpoint().port();
        startDaemon(name + " " + port, () -> {
            try {
                while (true) {
                    TcpConnection connection;
                    try {
                        connection = server.accept();
                    } catch (IllegalStateException setFull) {
                        // no slot for the listener's next reserve: the connection stays queued until one frees
                        Thread.sleep(FULL_SET_PAUSE_MILLIS);
                        continue;
                    }
                    served.add(connection);
                    if (closed) { // close() may have looked at the set before the add
                        connection.abort();
                        return;
                    }
                    startDaemon(name + " " + connection.remoteEndpoint(), () -> serve(connection, service, name));
                }
            } catch (SocketException | InterruptedException closedOrStopped) {
                // the ports were closed or the runtime stopped: nothing more to accept
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, name + " port " + port + " stopped accepting", e);
            }
        });
    }

    /** Serves {@code connection} until it ends, then forgets it; a failing connection ends quietly. */
    private void serve(TcpConnection connection, Service service, String name) {
        try {
            service.serve(connection);
        } catch (SocketException ended) {
            // reset, aborted, closed by close(), or the runtime stopped: the client is gone
            connection.abort();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, name + " connection " + connection.remoteEndpoint() + " failed", e);
            connection.abort();
        } finally {
            served.remove(connection);
        }
    }

    private static void startDaemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
