package smol.socket;

import smol.socket.driver.DrivenSocket;

/**
 * A socket of a {@link SocketSet}: what applications hold. Its public methods are the application's
 * operations only; how the interface feeds and drains it is its {@link DrivenSocket}, which the set
 * hands to the interface ({@link SocketSet#driver}) and applications never need.
 *
 * <p>A socket of another kind (for tests, or a protocol of an application's own) extends this class
 * and returns its driver from {@link #driver()}.
 */
public abstract class Socket {

    /** Returns how the interface drives this socket; the same object for the socket's life. */
    protected abstract DrivenSocket driver();

    /**
     * The owner of this socket is gone ({@link SocketSetView#close}): ends whatever the socket has open
     * at once, without waiting for anyone. The default does nothing.
     */
    protected void ownerGone() {
    }

    /**
     * Returns true when the socket has nothing left to send, so that a set that retires it
     * ({@link SocketSet#retire}) may free its slot. This default says so at once.
     */
    boolean finished() {
        return true;
    }
}
