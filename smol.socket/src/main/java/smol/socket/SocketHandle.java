package smol.socket;

/**
 * Names one socket of one {@link SocketSet}, as {@link SocketSet#add} returned it. A handle stays
 * bound to that socket: once the socket is removed, the handle names nothing, even after another
 * socket takes the same slot, and using it fails with a clear error instead of reaching the newcomer.
 *
 * @param set the identity of the set that issued the handle
 * @param slot the slot the socket occupies, 0..capacity-1
 * @param generation how many sockets had occupied that slot before this one
 */
public record SocketHandle(int set, int slot, int generation) {
    /** Returns e.g. {@code socket 3 (generation 2) of set 7}. */
    @Override
    public String toString() {
        return "socket " + slot + " (generation " + generation + ") of set " + set;
    }
}
