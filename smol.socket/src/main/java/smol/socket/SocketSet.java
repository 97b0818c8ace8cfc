package smol.socket;

import java.util.concurrent.atomic.AtomicInteger;
import smol.socket.driver.DrivenSocket;

/**
 * The sockets one interface polls, held by {@link SocketHandle}. Its capacity is fixed when it is
 * created: adding never grows it. Handles cannot alias: each slot counts the sockets it has held, and
 * a handle names the socket of its generation only, so a handle kept after {@link #remove} fails with
 * a clear error rather than reaching the socket that reuses the slot; a handle of another set fails
 * the same way. Not thread-safe (the runtime wraps it in a lock).
 */
public final class SocketSet {
    private static final AtomicInteger SETS = new AtomicInteger();

    private final int id = SETS.incrementAndGet();
    private final Socket[] sockets;
    private final String[] owners;
    private final int[] generations;
    // sockets whose owner let go of them while they still had something to send (an RST): polled on
    // until they have nothing more to send, then reclaimed
    private final boolean[] released;
    private int count;

    /**
     * Creates an empty set for up to {@code capacity} sockets.
     *
     * @throws IllegalArgumentException when capacity is below 1
     */
    public SocketSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("socket set capacity must be at least 1: " + capacity);
        }
        sockets = new Socket[capacity];
        owners = new String[capacity];
        generations = new int[capacity];
        released = new boolean[capacity];
    }

    /**
     * Adds a socket in the lowest free slot and returns its handle, valid until {@link #remove}.
     *
     * @throws IllegalStateException when the set is full, naming its capacity
     * @throws IllegalArgumentException when the socket is null or already in the set
     */
    public SocketHandle add(Socket socket) {
        return add(socket, null);
    }

    /** Adds a socket on behalf of {@code owner} (null: none); see {@link #add(Socket)}. */
    SocketHandle add(Socket socket, String owner) {
        if (socket == null) {
            throw new IllegalArgumentException("socket must not be null");
        }
        int free = -1;
        for (int i = 0; i < sockets.length; i++) {
            if (sockets[i] == socket) {
                throw new IllegalArgumentException("socket is already in the set, as " + handleOf(i));
            }
            if (sockets[i] == null && free < 0) {
                free = i;
            }
        }
        if (free < 0) {
            throw new IllegalStateException("socket set is full: capacity " + sockets.length);
        }
        sockets[free] = socket;
        owners[free] = owner;
        count++;
        return handleOf(free);
    }

    private SocketHandle handleOf(int slot) {
        return new SocketHandle(id, slot, generations[slot]);
    }

    /** Returns true when {@code handle} names a socket of this set that has not been removed. */
    public boolean contains(SocketHandle handle) {
        return handle != null && handle.set() == id && handle.slot() >= 0 && handle.slot() < sockets.length
                && sockets[handle.slot()] != null && generations[handle.slot()] == handle.generation();
    }

    /**
     * Returns the socket {@code handle} names.
     *
     * @throws IllegalArgumentException when the handle is null, of another set, or its socket was removed
     */
    public Socket get(SocketHandle handle) {
        if (handle == null) {
            throw new IllegalArgumentException("socket handle must not be null");
        }
        if (handle.set() != id) {
            throw new IllegalArgumentException(handle + " belongs to another socket set, not set " + id);
        }
        if (!contains(handle)) {
            throw new IllegalArgumentException(handle + " is stale: its socket was removed from the set");
        }
        return sockets[handle.slot()];
    }

    /**
     * Returns the socket {@code handle} names as the given type.
     *
     * @throws IllegalArgumentException as {@link #get(SocketHandle)}, or when the socket is of another type
     */
    public <T extends Socket> T get(SocketHandle handle, Class<T> type) {
        Socket s = get(handle);
        if (!type.isInstance(s)) {
            throw new IllegalArgumentException(handle + " is a " + s.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(s);
    }

    /**
     * Removes and returns the socket {@code handle} names; the handle names nothing from now on, and
     * the slot may hold another socket (under a new handle).
     *
     * @throws IllegalArgumentException as {@link #get(SocketHandle)}
     */
    public Socket remove(SocketHandle handle) {
        Socket s = get(handle);
        sockets[handle.slot()] = null;
        owners[handle.slot()] = null;
        generations[handle.slot()]++;
        count--;
        return s;
    }

    /**
     * Returns a view of this set for {@code owner}: the sockets it opens through the view end when the
     * view is closed (see {@link SocketSetView}).
     *
     * @throws IllegalArgumentException when the owner's name is null or blank
     */
    public SocketSetView view(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("a socket set view needs its owner's name");
        }
        return new SocketSetView(this, owner);
    }

    /**
     * Returns the name of the owner whose view added the socket {@code handle} names, or null when it
     * was added to the set directly.
     *
     * @throws IllegalArgumentException as {@link #get(SocketHandle)}
     */
    public String owner(SocketHandle handle) {
        get(handle);
        return owners[handle.slot()];
    }

    /** Returns the owner of the socket in slot {@code index}, or null (no socket, or added directly). */
    public String owner(int index) {
        return owners[index];
    }

    /**
     * Lets go of the socket {@code handle} names: the handle stops working at once, but the socket keeps
     * its slot, and is still polled, until it has nothing more to send ({@link #reclaim}), so that an
     * abort's RST still leaves.
     */
    void release(SocketHandle handle) {
        get(handle);
        int slot = handle.slot();
        generations[slot]++;
        owners[slot] = null;
        released[slot] = true;
    }

    /**
     * Frees the slots of released sockets that have nothing more to send at {@code nowMicros}; the
     * interface that polls the set calls it after each dispatch. Allocates nothing.
     */
    public void reclaim(long nowMicros) {
        for (int i = 0; i < sockets.length; i++) {
            if (released[i] && sockets[i].driver().pollAt(nowMicros) == Long.MAX_VALUE) {
                sockets[i] = null;
                released[i] = false;
                count--;
            }
        }
    }

    /** Returns the fixed capacity. */
    public int capacity() {
        return sockets.length;
    }

    /** Returns how many sockets are in the set, released ones still sending their last words included. */
    public int size() {
        return count;
    }

    /**
     * Returns the socket in slot {@code index} (0..capacity-1), or null when the slot is free. For
     * iterating without allocation: {@code for (int i = 0; i < set.capacity(); i++)}.
     */
    public Socket slot(int index) {
        return sockets[index];
    }

    /**
     * Returns how the interface drives the socket in slot {@code index} (0..capacity-1), or null when
     * the slot is free. For the interface that polls the set; applications never need it.
     */
    public DrivenSocket driver(int index) {
        Socket s = sockets[index];
        return s == null ? null : s.driver();
    }
}
