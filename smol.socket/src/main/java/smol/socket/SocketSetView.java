package smol.socket;

import java.util.ArrayList;
import java.util.List;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;

/**
 * One owner's share of a {@link SocketSet}: the sockets an application (a bundle, a component) opened,
 * under the owner's name, which is unique among the set's open views. The view reaches the sockets it
 * added, those of the listeners it opened, and the connections those listeners handed over: every
 * socket the set records under the owner's name. Closing the view ends them all at once — its listeners
 * closed, TCP connections aborted (an RST to the peer), UDP and ICMP sockets closed — and lets go of
 * them: the view's handles stop working, with an error that names the owner, and each slot is freed once
 * its socket has sent its last segment ({@link SocketSet#driver}).
 *
 * <p>Not thread-safe, as the set it belongs to (the runtime takes the set's lock around every call and
 * wakes the calls blocked on the view's sockets when it is closed).
 */
public final class SocketSetView implements AutoCloseable {
    private final SocketSet set;
    private final String owner;
    private final List<TcpListener> listeners = new ArrayList<>();
    private boolean closed;

    SocketSetView(SocketSet set, String owner) {
        this.set = set;
        this.owner = owner;
    }

    /** Returns the owner's name, as given to {@link SocketSet#view}. */
    public String owner() {
        return owner;
    }

    /** Returns true once {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Adds a socket to the set on behalf of this view's owner and returns its handle.
     *
     * @throws IllegalStateException when the view is closed, or the set is full
     * @throws IllegalArgumentException as {@link SocketSet#add}
     */
    public SocketHandle add(Socket socket) {
        requireOpen();
        return set.add(socket, owner);
    }

    /**
     * Listens as {@link SocketSet#listen(IpEndpoint, int, int, int)} does, on behalf of this view's owner:
     * the sockets of the backlog, and so the connections it hands over, are the owner's.
     *
     * @throws IllegalStateException when the view is closed, or as {@link SocketSet#listen}
     * @throws IllegalArgumentException as {@link SocketSet#listen}
     */
    public TcpListener listen(IpEndpoint local, int backlog, int rxCapacity, int txCapacity) {
        requireOpen();
        TcpListener listener = TcpListener.open(set, local, backlog, rxCapacity, txCapacity, owner);
        listeners.removeIf(l -> !l.isOpen());
        listeners.add(listener);
        return listener;
    }

    /** Listens on {@code port} of every local address; see {@link #listen(IpEndpoint, int, int, int)}. */
    public TcpListener listen(int port, int backlog, int rxCapacity, int txCapacity) {
        return listen(new IpEndpoint(Ipv4Address.UNSPECIFIED, port), backlog, rxCapacity, txCapacity);
    }

    /**
     * Returns the socket {@code handle} names, when it is the owner's.
     *
     * @throws IllegalStateException when the view is closed
     * @throws IllegalArgumentException when the handle is stale, of another set, or not the owner's
     */
    public Socket get(SocketHandle handle) {
        requireOwn(handle);
        return set.get(handle);
    }

    /**
     * Returns the socket {@code handle} names as the given type, when it is the owner's.
     *
     * @throws IllegalStateException when the view is closed
     * @throws IllegalArgumentException as {@link #get(SocketHandle)}, or when the socket is of another type
     */
    public <T extends Socket> T get(SocketHandle handle, Class<T> type) {
        requireOwn(handle);
        return set.get(handle, type);
    }

    /**
     * Removes the socket {@code handle} names from the set and returns it, as it is (not closed).
     *
     * @throws IllegalStateException when the view is closed
     * @throws IllegalArgumentException as {@link #get(SocketHandle)}, or for a socket of a listener's backlog
     */
    public Socket remove(SocketHandle handle) {
        requireOwn(handle);
        return set.remove(handle);
    }

    /** Returns the handles of the owner's sockets in slot order, backlogs of its listeners included. */
    public List<SocketHandle> handles() {
        return closed ? List.of() : set.handlesOf(owner);
    }

    /**
     * Ends every socket of the owner at once (listeners closed, TCP aborted with an RST to the peer, UDP and
     * ICMP closed), lets go of them (their slots are freed once the RSTs left) and closes the view, so that
     * its owner's name may be taken again. Does nothing when already closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (TcpListener listener : listeners) {
            listener.close();
        }
        listeners.clear();
        for (SocketHandle handle : set.handlesOf(owner)) {
            set.get(handle).ownerGone();
            set.retire(handle); // polled on until its RST left, then freed
        }
        set.viewClosed(owner);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the sockets of " + owner + " are closed");
        }
    }

    private void requireOwn(SocketHandle handle) {
        requireOpen();
        if (!set.contains(handle) || !owner.equals(set.owner(handle))) {
            throw new IllegalArgumentException(handle + " is not a socket of " + owner
                    + (set.contains(handle) && set.owner(handle) != null ? " (its owner is " + set.owner(handle) + ")" : ""));
        }
    }

    /** Returns e.g. {@code sockets of com.example.app (3 open)}. */
    @Override
    public String toString() {
        return "sockets of " + owner + (closed ? " (closed)" : " (" + set.handlesOf(owner).size() + " open)");
    }
}
