package smol.phy.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A network namespace to open a device in, given as a name under {@code /var/run/netns} (what
 * {@code ip netns add NAME} makes) or as a path ({@code /proc/PID/ns/net}, a bind mount).
 *
 * <p>{@link #run} runs an opening action inside it: on a fresh, short-lived thread that enters the namespace
 * with setns(2) ({@code CLONE_NEWNET}), opens, returns to the thread's own namespace through a descriptor of
 * {@code /proc/thread-self/ns/net} saved before, and ends. The caller's thread never changes namespace, so
 * nothing else that thread does (a pool thread's next task, say) can land in the wrong namespace. What the
 * action opens stays in the namespace after the thread returns: a TAP's descriptor, a packet socket are bound
 * to the namespace they were made in. A value.
 */
public final class NetworkNamespace {
    /** Where {@code ip netns} keeps named namespaces. */
    public static final Path NAMED = Path.of("/var/run/netns");

    private final String given;
    private final Path path;

    private NetworkNamespace(String given, Path path) {
        this.given = given;
        this.path = path;
    }

    /**
     * Returns the namespace {@code nameOrPath} names: a name (no {@code /}) is looked up under
     * {@code /var/run/netns}; a path must be absolute.
     *
     * @throws IllegalArgumentException when the name is not a valid namespace name, or no such namespace
     *     exists; the message says how to make one
     */
    public static NetworkNamespace of(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IllegalArgumentException("a network namespace must be named");
        }
        Path path;
        if (nameOrPath.indexOf('/') < 0) {
            if (nameOrPath.equals(".") || nameOrPath.equals("..") || !nameOrPath.matches("[A-Za-z0-9._@+-]+")) {
                throw new IllegalArgumentException("'" + nameOrPath + "' is not a network namespace name"
                        + " (letters, digits and . _ @ + - as ip netns takes them) nor a path");
            }
            path = NAMED.resolve(nameOrPath);
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("no network namespace '" + nameOrPath + "': " + path
                        + " does not exist (ip netns list shows the named ones; make it with: sudo ip netns add "
                        + nameOrPath + ")");
            }
        } else {
            path = Path.of(nameOrPath);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("network namespace path '" + nameOrPath + "' must be absolute,"
                        + " e.g. /var/run/netns/NAME or /proc/PID/ns/net");
            }
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("no network namespace at " + nameOrPath
                        + ": it does not exist (a named one is made with: sudo ip netns add NAME)");
            }
        }
        return new NetworkNamespace(nameOrPath, path);
    }

    /** Returns the file setns(2) is given. */
    public Path path() {
        return path;
    }

    /** Returns the namespace as it was given: a name or a path. */
    @Override
    public String toString() {
        return given;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkNamespace && ((NetworkNamespace) o).path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    /**
     * An action that opens something inside a namespace.
     *
     * @param <T> what it opens
     */
    @FunctionalInterface
    public interface Opening<T> {
        /** Opens, inside the namespace, on the thread {@link #run} made for it. */
        T open() throws IOException;
    }

    /**
     * Runs {@code action} inside this namespace on a fresh thread (named {@code smol-netns <namespace>}), waits
     * for it and returns what it opened, or throws what it threw. The calling thread stays in its namespace.
     *
     * <p>If the fresh thread cannot return to its own namespace after the action (in practice never: it
     * holds a descriptor of that namespace and had the privilege to leave it), it is not reused (it ends
     * there), what the action opened is closed when it is {@link AutoCloseable}, and an
     * {@link IllegalStateException} says so.
     *
     * @throws ErrnoException when the namespace cannot be entered (EPERM: needs root or CAP_SYS_ADMIN;
     *     EINVAL: the file is not a network namespace)
     * @throws IOException what {@code action} threw
     */
    public <T> T run(Opening<T> action) throws IOException {
        Object[] outcome = new Object[2]; // [0] the result, [1] what was thrown
        Thread opener = new Thread(() -> {
            try {
                outcome[0] = enterRunAndReturn(action);
            } catch (Throwable t) {
                outcome[1] = t;
            }
        }, "smol-netns " + given);
        opener.setDaemon(true);
        opener.start();
        boolean interrupted = false;
        while (true) {
            try {
                opener.join(); // the opening is short; an interrupt waits for it rather than leak what it opens
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable thrown = (Throwable) outcome[1];
        if (thrown instanceof IOException) {
            throw (IOException) thrown;
        }
        if (thrown instanceof RuntimeException) {
            throw (RuntimeException) thrown;
        }
        if (thrown instanceof Error) {
            throw (Error) thrown;
        }
        if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
        @SuppressWarnings("unchecked")
        T result = (T) outcome[0];
        return result;
    }

    /** On the fresh thread: saves its namespace, enters this one, runs the action, returns. */
    private <T> T enterRunAndReturn(Opening<T> action) throws Exception {
        int own = Libc.open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (own < 0) {
            throw ErrnoException.last("open /proc/thread-self/ns/net (the thread's own network namespace)");
        }
        try {
            int target = Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
            if (target < 0) {
                int errno = Libc.errno();
                throw new ErrnoException("open network namespace " + given + " (" + path + "): "
                        + Libc.describe(errno) + (errno == Libc.EACCES || errno == Libc.EPERM
                        ? "; entering a network namespace needs root or CAP_SYS_ADMIN" : ""), errno);
            }
            try {
                if (Libc.setns(target, Libc.CLONE_NEWNET) < 0) {
                    int errno = Libc.errno();
                    throw new ErrnoException("enter network namespace " + given + " (setns " + path + "): "
                            + Libc.describe(errno) + (errno == Libc.EPERM
                            ? "; entering a network namespace needs root or CAP_SYS_ADMIN"
                            : errno == Libc.EINVAL ? "; " + path + " is not a network namespace" : ""), errno);
                }
            } finally {
                Libc.close(target);
            }
            T result = null;
            try {
                result = action.open();
            } finally {
                if (Libc.setns(own, Libc.CLONE_NEWNET) < 0) {
                    ErrnoException cause = ErrnoException.last("setns back to the thread's own namespace");
                    if (result instanceof AutoCloseable) {
                        try {
                            ((AutoCloseable) result).close();
                        } catch (Exception e) {
                            cause.addSuppressed(e);
                        }
                    }
                    throw new IllegalStateException("opened in network namespace " + given
                            + " but the opening thread could not return to its own namespace; that thread was"
                            + " discarded (never reused) and what it opened was closed", cause);
                }
            }
            return result;
        } finally {
            Libc.close(own);
        }
    }
}
