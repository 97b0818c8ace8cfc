package smol.socket;

import smol.socket.driver.Delivery;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;

/**
 * Listens on a TCP port with a backlog, as every {@code java.net.ServerSocket} does: the stack
 * completes up to {@link #backlog()} handshakes while the application is busy, and {@link #accept}
 * hands each connection over as a {@link TcpSocket} of its own; the listener keeps listening. Made by
 * {@link SocketSet#listen}.
 *
 * <p><b>The reserve.</b> Listening reserves {@code backlog} slots of the set, each holding a TCP socket
 * (with its rings) that listens on the local endpoint; they are the set's sockets, polled by its
 * interface like any other. Each takes one SYN (half-open, SYN-RECEIVED), completes the handshake and
 * then waits for {@link #accept}, keeping what the peer sends meanwhile: data up to its receive ring,
 * and the FIN after it (CLOSE-WAIT), all readable after the accept. So the pending connections,
 * half-open or waiting for {@code accept}, are never more than the backlog, and a SYN flood exhausts
 * neither the set nor memory: nothing is allocated per SYN or per segment. A half-open connection whose
 * peer resets it, or vanishes ({@link #retryLimit} SYN-ACK retransmissions unanswered, RFC 9293
 * §3.10.7.4), listens again by itself; so does a completed connection that is reset before it is
 * accepted: nobody holds it yet, and the application never sees it.
 *
 * <p><b>A full backlog.</b> While every socket of the reserve holds a connection, a further SYN for
 * the listener is dropped without an answer and counted ({@link #synsDropped()}; the interface counts
 * it as well): the client retransmits its SYN (RFC 6298, RFC 9293 §3.8.1) and gets in once a slot is
 * free, as on Linux, which drops SYNs while a listener's accept queue is full. An RST would tell it
 * that nobody listens, which is what a closed port answers. To do so, one of the listener's
 * connections stands in for it while it is full: it says it listens
 * ({@link smol.socket.driver.DrivenSocket#listensForTcp}), so the interface offers it what no
 * connection took; it takes its own segments and returns {@link Delivery#DROPPED} for the listener's
 * SYNs.
 *
 * <p><b>Accepting.</b> {@link #accept} hands over the connection that completed its handshake first, by
 * the {@link SocketHandle} of its slot: the socket stays where it is and is the application's from then
 * on, to read, send, close and {@linkplain SocketSet#remove remove} from the set when done; the
 * listener no longer touches it. A new socket, listening, takes a free slot in its place (the one
 * allocation, on the application's thread), so the listener always occupies {@code backlog} slots. When
 * the set has no free slot for it, accept fails and the connection waits (as Linux's accept fails with
 * EMFILE and leaves the connection queued): a set serving a listener needs room for the backlog and
 * for the connections the application holds.
 *
 * <p><b>Closing.</b> {@link #close} stops listening: the sockets that listen leave the set at once;
 * the half-open connections and those not yet accepted are aborted with an RST (RFC 9293 §3.10.5) and
 * leave the set once their RST went out (at the interface's next poll). Accepted connections are the
 * application's and are left alone.
 *
 * <p>One listener per port and address in a set (an unspecified address overlaps every address), and
 * no plain {@link TcpSocket#listen} on the same port beside it: while the backlog is full, such a socket
 * in a lower slot could take the retransmitted SYN of one of the listener's half-open connections. The
 * sockets of the reserve belong to the listener until {@code accept} hands them over: the set refuses
 * to {@linkplain SocketSet#remove remove} them, and an application that reaches one through
 * {@link SocketSet#slot} leaves it alone.
 *
 * <p>Not thread-safe: its methods are application operations, called under the socket set's lock like
 * those of any socket; the interface's poll updates it through the sockets of its reserve.
 */
public final class TcpListener {
    private final SocketSet set;
    private final IpEndpoint local;
    private final int address; // 0: any local address
    private final int rxCapacity;
    private final int txCapacity;
    /** The owner of every socket the listener adds (its view's owner), or null when it was opened on the set. */
    private final String owner;
    // the reserve: slot i of the backlog holds reserve[i] under handles[i]
    private final TcpSocket[] reserve;
    private final SocketHandle[] handles;
    // the reserve indices of the connections ready for accept, in completion order (a ring)
    private final int[] completed;
    private int completedHead;
    private int completedCount;
    private int listening; // sockets of the reserve in LISTEN
    private int standIn; // while none listens: the reserve index of the connection that stands in
    private int retryLimit = TcpSocket.DEFAULT_RETRY_LIMIT;
    private boolean open = true;
    private long synsDropped;

    private TcpListener(SocketSet set, IpEndpoint local, int backlog, int rxCapacity, int txCapacity, String owner) {
        this.set = set;
        this.owner = owner;
        this.local = local;
        this.address = ((Ipv4Address) local.address()).bits();
        this.rxCapacity = rxCapacity;
        this.txCapacity = txCapacity;
        this.reserve = new TcpSocket[backlog];
        this.handles = new SocketHandle[backlog];
        this.completed = new int[backlog];
    }

    /**
     * Checks the arguments and the room in {@code set}, then fills the reserve with sockets of {@code owner}
     * (null: none), as every socket that replaces an accepted one will be; see {@link SocketSet#listen}.
     */
    static TcpListener open(SocketSet set, IpEndpoint local, int backlog, int rxCapacity, int txCapacity, String owner) {
        if (local.port() == 0) {
            throw new IllegalArgumentException("listen needs a local port, not 0");
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        }
        if (rxCapacity < 1 || txCapacity < 1) {
            throw new IllegalArgumentException("ring capacities must be at least 1: rx " + rxCapacity + ", tx " + txCapacity);
        }
        int free = set.capacity() - set.size();
        if (free < backlog) {
            throw new IllegalStateException("socket set has room for " + free + " more sockets, not for a backlog of "
                    + backlog + ": capacity " + set.capacity() + ", " + set.size() + " in use");
        }
        for (int i = 0; i < set.capacity(); i++) {
            if (set.slot(i) instanceof TcpSocket socket && socket.listener != null && socket.listener.overlaps(local)) {
                throw new IllegalStateException("cannot listen on " + local + ": " + socket.listener + " listens there");
            }
        }
        TcpListener listener = new TcpListener(set, local, backlog, rxCapacity, txCapacity, owner);
        for (int i = 0; i < backlog; i++) {
            TcpSocket socket = listener.newListeningSocket();
            listener.install(i, socket, set.add(socket, owner));
        }
        return listener;
    }

    // ---------------------------------------------------------------- the application's operations

    /**
     * Hands over the connection that completed its handshake first (ESTABLISHED, or CLOSE-WAIT when the
     * peer already sent its FIN), by the handle of its slot, or returns null when none is ready. From
     * then on the socket is the application's; a new listening socket takes its place in the backlog.
     *
     * @throws IllegalStateException when the listener is closed, or a connection is ready but the set
     *     has no free slot for the socket that replaces it (the connection then waits for a later accept)
     */
    public SocketHandle accept() {
        if (!open) {
            throw new IllegalStateException("cannot accept: " + this + " is closed");
        }
        if (completedCount == 0) {
            return null;
        }
        if (set.size() == set.capacity()) {
            throw new IllegalStateException("socket set is full: capacity " + set.capacity() + "; a connection waits on "
                    + local + ", and accept hands it over once a slot is free for the socket that replaces it");
        }
        TcpSocket replacement = newListeningSocket();
        SocketHandle replacementHandle = set.add(replacement, owner);
        int index = completed[completedHead];
        completedHead = (completedHead + 1) % completed.length;
        completedCount--;
        TcpSocket connection = reserve[index];
        SocketHandle handle = handles[index];
        connection.listener = null; // the application's now
        install(index, replacement, replacementHandle);
        return handle;
    }

    /**
     * Stops listening: the listening sockets of the reserve leave the set at once; the half-open
     * connections and those not yet accepted are aborted (an RST goes to each peer, RFC 9293 §3.10.5)
     * and leave the set once their RST went out. Accepted connections are untouched. Closing again does
     * nothing.
     */
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        for (int i = 0; i < reserve.length; i++) {
            TcpSocket socket = reserve[i];
            socket.listener = null;
            if (socket.state() == TcpState.LISTEN) {
                set.remove(handles[i]);
            } else {
                socket.abort();
                set.retire(handles[i]);
            }
            reserve[i] = null;
            handles[i] = null;
        }
        listening = 0;
        completedCount = 0;
    }

    /**
     * Sets how many times a SYN-ACK is retransmitted before a half-open connection is given up and its
     * socket listens again (the sockets' {@link TcpSocket#retryLimit(int)}, 12 by default); applies to
     * the sockets of the reserve now and to those that replace accepted ones. An accepted socket keeps
     * it until the application sets its own. Returns this.
     *
     * @throws IllegalArgumentException when below 0
     */
    public TcpListener retryLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("retry limit must be at least 0: " + limit);
        }
        retryLimit = limit;
        for (TcpSocket socket : reserve) {
            if (socket != null) {
                socket.retryLimit(limit);
            }
        }
        return this;
    }

    /** Returns the retry limit of the handshakes (see {@link #retryLimit(int)}). */
    public int retryLimit() {
        return retryLimit;
    }

    /** Returns the endpoint listened on (address 0.0.0.0: any local address). */
    public IpEndpoint localEndpoint() {
        return local;
    }

    /** Returns the backlog: how many connections, half-open or waiting for accept, it holds at most. */
    public int backlog() {
        return reserve.length;
    }

    /** Returns how many connections completed their handshake and wait for {@link #accept}; 0 once closed. */
    public int pending() {
        return completedCount;
    }

    /** Returns how many handshakes are under way (SYN-RECEIVED); 0 once closed. */
    public int halfOpen() {
        return open ? reserve.length - listening - completedCount : 0;
    }

    /** Returns how many SYNs were dropped, unanswered, because the backlog was full, over the listener's life. */
    public long synsDropped() {
        return synsDropped;
    }

    /** Returns the owner of the listener's sockets (the view that opened it), or null when opened on the set. */
    public String owner() {
        return owner;
    }

    /** Returns true until {@link #close}. */
    public boolean isOpen() {
        return open;
    }

    /** Returns e.g. {@code TCP listener 0.0.0.0:80 backlog 4: 1 half-open, 2 to accept, 0 SYNs dropped}. */
    @Override
    public String toString() {
        return "TCP listener " + local + (open ? " backlog " + reserve.length + ": " + halfOpen() + " half-open, "
                + completedCount + " to accept, " : " closed, ") + synsDropped + " SYNs dropped";
    }

    /** The handle of the socket at {@code index} of the reserve, null once closed; for tests. */
    SocketHandle reserved(int index) {
        return handles[index];
    }

    // ---------------------------------------------------------------- the reserve's sockets report here

    /** A socket of the reserve took a SYN: one fewer listens; when none is left it stands in for the listener. */
    void halfOpened(TcpSocket socket) {
        listening--;
        if (listening == 0) {
            standIn = socket.reserveIndex;
        }
    }

    /** A socket of the reserve completed its handshake: it waits for accept, behind those that completed earlier. */
    void completed(TcpSocket socket) {
        completed[(completedHead + completedCount) % completed.length] = socket.reserveIndex;
        completedCount++;
    }

    /** A socket of the reserve listens again: its connection failed, before or after the handshake completed. */
    void listensAgain(TcpSocket socket) {
        listening++;
        int n = completed.length;
        for (int k = 0; k < completedCount; k++) {
            if (completed[(completedHead + k) % n] == socket.reserveIndex) {
                for (int j = k; j < completedCount - 1; j++) {
                    completed[(completedHead + j) % n] = completed[(completedHead + j + 1) % n];
                }
                completedCount--;
                return;
            }
        }
    }

    /** True when {@code socket} stands in for the listener: the backlog is full and it was chosen to. */
    boolean standsIn(TcpSocket socket) {
        return open && listening == 0 && socket.reserveIndex == standIn;
    }

    /**
     * True, counted, when {@code socket} stands in for the full listener and {@code tcp} is a
     * connection request for it (a SYN without ACK or RST to its port and address): the SYN is dropped.
     */
    boolean dropsWhileFull(TcpSocket socket, Ipv4Repr ip, TcpRepr tcp) {
        boolean request = TcpSocket.isConnectionRequest(tcp) && tcp.dstPort() == local.port() && (address == 0 || ip.dst() == address);
        if (!request || !standsIn(socket)) {
            return false;
        }
        synsDropped++;
        return true;
    }

    private boolean overlaps(IpEndpoint other) {
        int otherAddress = ((Ipv4Address) other.address()).bits();
        return open && other.port() == local.port() && (address == 0 || otherAddress == 0 || address == otherAddress);
    }

    private TcpSocket newListeningSocket() {
        TcpSocket socket = new TcpSocket(rxCapacity, txCapacity).retryLimit(retryLimit);
        socket.listen(local);
        return socket;
    }

    private void install(int index, TcpSocket socket, SocketHandle handle) {
        socket.listener = this;
        socket.reserveIndex = index;
        reserve[index] = socket;
        handles[index] = handle;
        listening++;
    }
}
