package smol.socket;

/**
 * The sockets one interface polls, held by handle. Its capacity is fixed when it is created: adding
 * never grows it. Not thread-safe (the runtime wraps it in a lock).
 */
public final class SocketSet {
    private final Socket[] sockets;
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
    }

    /**
     * Adds a socket and returns its handle, an index in 0..capacity-1 valid until {@link #remove}.
     *
     * @throws IllegalStateException when the set is full, naming its capacity
     * @throws IllegalArgumentException when the socket is null or already in the set
     */
    public int add(Socket socket) {
        if (socket == null) {
            throw new IllegalArgumentException("socket must not be null");
        }
        int free = -1;
        for (int i = 0; i < sockets.length; i++) {
            if (sockets[i] == socket) {
                throw new IllegalArgumentException("socket is already in the set, handle " + i);
            }
            if (sockets[i] == null && free < 0) {
                free = i;
            }
        }
        if (free < 0) {
            throw new IllegalStateException("socket set is full: capacity " + sockets.length);
        }
        sockets[free] = socket;
        count++;
        return free;
    }

    /**
     * Returns the socket with {@code handle}.
     *
     * @throws IllegalArgumentException when no socket has that handle
     */
    public Socket get(int handle) {
        if (handle < 0 || handle >= sockets.length || sockets[handle] == null) {
            throw new IllegalArgumentException("no socket with handle " + handle);
        }
        return sockets[handle];
    }

    /**
     * Returns the socket with {@code handle} as the given type.
     *
     * @throws IllegalArgumentException when no socket has that handle or it is of another type
     */
    public <T extends Socket> T get(int handle, Class<T> type) {
        Socket s = get(handle);
        if (!type.isInstance(s)) {
            throw new IllegalArgumentException("socket " + handle + " is a " + s.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(s);
    }

    /**
     * Removes and returns the socket with {@code handle}; the handle may be reused afterwards.
     *
     * @throws IllegalArgumentException when no socket has that handle
     */
    public Socket remove(int handle) {
        Socket s = get(handle);
        sockets[handle] = null;
        count--;
        return s;
    }

    /** Returns the fixed capacity. */
    public int capacity() {
        return sockets.length;
    }

    /** Returns how many sockets are in the set. */
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
}
