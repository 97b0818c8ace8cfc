package smol.socket;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import smol.socket.driver.DrivenSocket;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;

/**
 * The sockets one interface polls, held by {@link SocketHandle}. Its capacity is fixed when it is
 * created: adding never grows it. Handles cannot alias: each slot counts the sockets it has held, and
 * a handle names the socket of its generation only, so a handle kept after {@link #remove} fails with
 * a clear error rather than reaching the socket that reuses the slot; a handle of another set fails
 * the same way. Not thread-safe (the runtime wraps it in a lock).
 *
 * <p>A {@link TcpListener} ({@link #listen}) occupies as many slots as its backlog, for as long as it
 * listens: the sockets of its reserve are in the set, and the set is full for others accordingly.
 */
public final class SocketSet {
    private static final AtomicInteger SETS = new AtomicInteger();

    private final int id = SETS.incrementAndGet();
    private final Socket[] sockets;
    private final String[] owners;
    /** The life counters of every socket that left the set, so that {@link #totals()} never goes back. */
    private final SocketCounters departed = new SocketCounters();
    /** The owners whose views are open: a name identifies one view at a time. */
    private final Set<String> viewOwners = new HashSet<>();
    private final int[] generations;
    // slots whose socket is to leave the set once it has nothing left to send (see retire)
    private final boolean[] retiring;
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
        retiring = new boolean[capacity];
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

    /**
     * Listens for TCP connections to {@code port} on any local address with a backlog of
     * {@code backlog} connections, each with rings of {@code rxCapacity} and {@code txCapacity}
     * bytes; see {@link #listen(IpEndpoint, int, int, int)}.
     */
    public TcpListener listen(int port, int backlog, int rxCapacity, int txCapacity) {
        return listen(new IpEndpoint(Ipv4Address.UNSPECIFIED, port), backlog, rxCapacity, txCapacity);
    }

    /**
     * Listens for TCP connections to {@code local} (an unspecified address, 0.0.0.0, takes them to any
     * local address) with a backlog of {@code backlog} connections: reserves that many slots now, each
     * holding a {@link TcpSocket} with rings of {@code rxCapacity} and {@code txCapacity} bytes that
     * listens on {@code local}. These are the only sockets the listener allocates until
     * {@link TcpListener#accept} hands one over; see {@link TcpListener} for what it promises.
     *
     * @throws IllegalArgumentException when the port is 0, the backlog is below 1, or a ring capacity
     *     is below 1
     * @throws IllegalStateException when the set has fewer free slots than the backlog (naming both),
     *     or another listener of this set listens on the same port with an overlapping address
     */
    public TcpListener listen(IpEndpoint local, int backlog, int rxCapacity, int txCapacity) {
        return TcpListener.open(this, local, backlog, rxCapacity, txCapacity, null);
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
        if (s instanceof TcpSocket tcp && tcp.listener != null) {
            throw new IllegalArgumentException(handle + " serves the backlog of " + tcp.listener
                    + ": closing the listener removes it");
        }
        free(handle.slot());
        return s;
    }

    /**
     * Returns a view of this set for {@code owner}: the sockets it opens through the view end when the
     * view is closed (see {@link SocketSetView}).
     *
     * @throws IllegalArgumentException when the owner's name is null or blank
     * @throws IllegalStateException when a view of that owner is open (a name identifies one view at a time)
     */
    public SocketSetView view(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("a socket set view needs its owner's name");
        }
        if (!viewOwners.add(owner)) {
            throw new IllegalStateException("the sockets of " + owner + " have a view open already; close it first");
        }
        return new SocketSetView(this, owner);
    }

    /** The view of {@code owner} closed: its name may be taken again. */
    void viewClosed(String owner) {
        viewOwners.remove(owner);
    }

    /** The handles of the sockets recorded under {@code owner}, in slot order (not those retiring). */
    List<SocketHandle> handlesOf(String owner) {
        List<SocketHandle> handles = new ArrayList<>();
        for (int i = 0; i < sockets.length; i++) {
            if (sockets[i] != null && !retiring[i] && owner.equals(owners[i])) {
                handles.add(handleOf(i));
            }
        }
        return handles;
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

    /**
     * Removes the socket {@code handle} names once it has nothing left to send (an aborted TCP
     * connection: once its RST went out): at once when it has nothing already, else at the first
     * {@link #driver} call that finds it so, that is, the interface's next poll after its last packet.
     * Until then it still occupies its slot, but the handle stops working at once. For
     * {@link TcpListener#close} and {@link SocketSetView#close}.
     */
    void retire(SocketHandle handle) {
        Socket s = get(handle);
        int slot = handle.slot();
        owners[slot] = null;
        generations[slot]++; // the handle stops working at once
        if (s.finished()) {
            free(slot);
        } else {
            retiring[slot] = true;
        }
    }

    private void free(int slot) {
        SocketCounters counters = countersOf(sockets[slot]);
        if (counters != null) {
            departed.add(counters);
        }
        sockets[slot] = null;
        owners[slot] = null;
        retiring[slot] = false;
        generations[slot]++;
        count--;
    }

    /**
     * Returns the set's counters over its life: the life counters of every socket in it now plus those of
     * every socket that left it, so that each count only grows (what a monitoring system expects of a
     * counter). A socket removed and added again counts once per stay. Allocates; call it under the set's
     * lock, as every method here.
     */
    public SocketCountersSnapshot totals() {
        SocketCounters sum = new SocketCounters();
        sum.add(departed);
        for (Socket socket : sockets) {
            SocketCounters counters = countersOf(socket);
            if (counters != null) {
                sum.add(counters);
            }
        }
        return SocketCountersSnapshot.of(sum);
    }

    /** The life counters of {@code socket}, or null for none (an empty slot, a kind that keeps none). */
    private static SocketCounters countersOf(Socket socket) {
        if (socket instanceof TcpSocket tcp) {
            return tcp.counters();
        }
        if (socket instanceof UdpSocket udp) {
            return udp.counters();
        }
        if (socket instanceof IcmpSocket icmp) {
            return icmp.counters();
        }
        return null;
    }

    /** Returns the fixed capacity. */
    public int capacity() {
        return sockets.length;
    }

    /** Returns how many sockets are in the set, retired ones still sending their last words included. */
    public int size() {
        return count;
    }

    /**
     * Returns every socket of the set as it is now, in slot order, retiring ones included: kind, state,
     * owner, endpoints, queues and counters, copied into immutable records that may be kept and read on
     * any thread. Allocates, and changes nothing; as every method here, call it where nothing polls the
     * set meanwhile (the runtime's lock), so that the copies agree with each other.
     */
    public List<SocketSnapshot> snapshot() {
        List<SocketSnapshot> snapshots = new ArrayList<>(count);
        for (int i = 0; i < sockets.length; i++) {
            if (sockets[i] != null) {
                snapshots.add(SocketSnapshot.of(i, retiring[i] ? null : handleOf(i), owners[i], retiring[i], sockets[i]));
            }
        }
        return List.copyOf(snapshots);
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
     * the slot is free. For the interface that polls the set; applications never need it. A socket
     * that is being retired (an aborted connection of a closed {@link TcpListener} or view) and has sent its
     * last packet leaves its slot here, so the interface's poll frees it after its last dispatch.
     */
    public DrivenSocket driver(int index) {
        Socket s = sockets[index];
        if (s == null) {
            return null;
        }
        if (retiring[index] && s.finished()) {
            free(index);
            return null;
        }
        return s.driver();
    }
}
