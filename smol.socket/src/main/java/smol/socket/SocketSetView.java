package smol.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * One owner's share of a {@link SocketSet}: the sockets an application (a bundle, a component) opened,
 * under the owner's name. Closing the view ends them all at once — TCP connections are aborted (an RST
 * to the peer), UDP and ICMP sockets closed — and lets go of them: the view's handles stop working,
 * with an error that names the owner, and each slot is freed once its socket has sent its last segment
 * ({@link SocketSet#driver}). A view reaches only the sockets it added.
 *
 * <p>Not thread-safe, as the set it belongs to (the runtime takes the set's lock around every call and
 * wakes the calls blocked on the view's sockets when it is closed).
 */
public final class SocketSetView implements AutoCloseable {
    private final SocketSet set;
    private final String owner;
    private final List<SocketHandle> handles = new ArrayList<>();
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
        SocketHandle handle = set.add(socket, owner);
        handles.add(handle);
        return handle;
    }

    /**
     * Returns the socket {@code handle} names, when this view added it.
     *
     * @throws IllegalStateException when the view is closed
     * @throws IllegalArgumentException when the handle is stale, of another set, or not this view's
     */
    public Socket get(SocketHandle handle) {
        requireOwn(handle);
        return set.get(handle);
    }

    /**
     * Returns the socket {@code handle} names as the given type, when this view added it.
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
     * @throws IllegalArgumentException as {@link #get(SocketHandle)}
     */
    public Socket remove(SocketHandle handle) {
        requireOwn(handle);
        handles.remove(handle);
        return set.remove(handle);
    }

    /** Returns the handles of the sockets this view added and has not removed, in the order added. */
    public List<SocketHandle> handles() {
        return List.copyOf(handles);
    }

    /**
     * Ends every socket of this view at once (TCP aborted with an RST to the peer, UDP and ICMP closed),
     * lets go of them (their slots are freed once the RSTs left) and closes the view. Does nothing when
     * already closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SocketHandle handle : handles) {
            if (set.contains(handle)) {
                set.get(handle).ownerGone();
                set.retire(handle); // polled on until its RST left, then freed
            }
        }
        handles.clear();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the sockets of " + owner + " are closed");
        }
    }

    private void requireOwn(SocketHandle handle) {
        requireOpen();
        if (!handles.contains(handle)) {
            throw new IllegalArgumentException(handle + " is not a socket of " + owner
                    + (set.contains(handle) ? " (its owner is " + set.owner(handle) + ")" : ""));
        }
    }

    /** Returns e.g. {@code sockets of com.example.app (3 open)}. */
    @Override
    public String toString() {
        return "sockets of " + owner + (closed ? " (closed)" : " (" + handles.size() + " open)");
    }
}
