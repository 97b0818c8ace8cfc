package smol.iface;

import java.util.Arrays;
import smol.socket.driver.DrivenSocket;
import smol.socket.driver.SendOutcome;

/**
 * Which sockets the interface holds back from dispatch after one of their sends was refused, and
 * until when: until the reason for the refusal can have changed, so that a socket that cannot make
 * progress does not make the poll loop spin. Per {@link SendOutcome}:
 * <ul>
 *   <li>{@link SendOutcome#NEIGHBOUR_PENDING}: until the neighbour's MAC is in the ARP cache (its reply
 *       arrived), or the next ARP request for it may go (the end of the request's silence, 1 s);</li>
 *   <li>{@link SendOutcome#DEVICE_BUSY}: until the device took a frame again (the interface's
 *       frames-out counter moved), or {@link #BUSY_MICROS} later at the latest;</li>
 *   <li>{@link SendOutcome#NO_DEVICE}: until a device is attached ({@link #releaseAll});</li>
 *   <li>{@link SendOutcome#NO_ROUTE}, {@link SendOutcome#TOO_BIG}: the socket's own timers govern — it
 *       is not held at all when, after the dispatch, it asks to be polled later than now; when it still
 *       asks for now (it keeps a packet that will be refused again), for {@link #FOR_GOOD_MICROS}.</li>
 * </ul>
 * A send that goes releases its socket ({@link #release}); the last send of a dispatch decides. A hold
 * belongs to the socket object, so a slot reused by another socket is not held.
 *
 * <p>Fixed size, one entry per socket slot; nothing is allocated after construction. Not thread-safe:
 * it belongs to its interface's poll.
 */
final class SocketHolds {
    /** The longest a busy device holds a socket back: 1 ms, after which its send is tried again. */
    static final long BUSY_MICROS = 1_000L;
    /** How long a socket that asks for "now" after a refusal for good is held back: 1 s. */
    static final long FOR_GOOD_MICROS = 1_000_000L;

    private final DrivenSocket[] sockets;
    private final SendOutcome[] reasons;
    private final int[] neighbours;
    private final long[] framesOut;
    private final long[] until;

    SocketHolds(int slots) {
        sockets = new DrivenSocket[slots];
        reasons = new SendOutcome[slots];
        neighbours = new int[slots];
        framesOut = new long[slots];
        until = new long[slots];
    }

    /**
     * Holds {@code socket} in {@code slot} back until the MAC of {@code neighbour} is in the ARP cache,
     * or until {@code silentUntil}, when the next ARP request for it may go.
     */
    void untilNeighbourAnswers(int slot, DrivenSocket socket, int neighbour, long silentUntil) {
        hold(slot, socket, SendOutcome.NEIGHBOUR_PENDING, silentUntil);
        neighbours[slot] = neighbour;
    }

    /**
     * Holds {@code socket} in {@code slot} back until the device took a frame again (the interface's
     * frames-out count is no longer {@code framesOutNow}), or {@link #BUSY_MICROS} after {@code nowMicros}.
     */
    void untilDeviceTakesAFrame(int slot, DrivenSocket socket, long framesOutNow, long nowMicros) {
        hold(slot, socket, SendOutcome.DEVICE_BUSY, nowMicros + BUSY_MICROS);
        framesOut[slot] = framesOutNow;
    }

    /** Holds {@code socket} in {@code slot} back until a device is attached ({@link #releaseAll}). */
    void untilAttach(int slot, DrivenSocket socket) {
        hold(slot, socket, SendOutcome.NO_DEVICE, Long.MAX_VALUE);
    }

    /**
     * Holds {@code socket} in {@code slot} back after a refusal for good ({@code reason}
     * {@link SendOutcome#NO_ROUTE} or {@link SendOutcome#TOO_BIG}) at {@code nowMicros}: for
     * {@link #FOR_GOOD_MICROS}, unless {@link #settle} finds its own deadline later than now.
     */
    void refusedForGood(int slot, DrivenSocket socket, SendOutcome reason, long nowMicros) {
        hold(slot, socket, reason, nowMicros + FOR_GOOD_MICROS);
    }

    private void hold(int slot, DrivenSocket socket, SendOutcome reason, long until) {
        sockets[slot] = socket;
        reasons[slot] = reason;
        this.until[slot] = until;
    }

    /**
     * After {@code socket} in {@code slot} was dispatched (or took a packet): a hold for a refusal for
     * good lasts only while the socket still asks to be polled now ({@code pollAt <= nowMicros});
     * otherwise its own deadline governs and the hold is released.
     */
    void settle(int slot, DrivenSocket socket, long pollAt, long nowMicros) {
        if (sockets[slot] == socket && reasons[slot].isForGood() && pollAt > nowMicros) {
            release(slot);
        }
    }

    /** Returns true when {@code slot} holds a refusal for good, which {@link #settle} may release. */
    boolean heldForGood(int slot) {
        return sockets[slot] != null && reasons[slot].isForGood();
    }

    /**
     * Returns true when {@code socket} in {@code slot} is held back at {@code nowMicros}; releases the
     * hold when its reason may have changed: the time passed, the neighbour resolved in {@code arp},
     * the device took a frame ({@code framesOutNow} moved).
     */
    boolean isHeld(int slot, DrivenSocket socket, long nowMicros, ArpCache arp, long framesOutNow) {
        if (sockets[slot] != socket || socket == null) {
            return false;
        }
        boolean over = nowMicros >= until[slot]
                || (reasons[slot] == SendOutcome.NEIGHBOUR_PENDING
                        && arp.lookup(neighbours[slot], nowMicros) != ArpCache.NO_ENTRY)
                || (reasons[slot] == SendOutcome.DEVICE_BUSY && framesOutNow != framesOut[slot]);
        if (over) {
            release(slot);
            return false;
        }
        return true;
    }

    /** Returns until when the socket in {@code slot} is held at the latest; meaningful while {@link #isHeld}. */
    long until(int slot) {
        return until[slot];
    }

    void release(int slot) {
        sockets[slot] = null;
        reasons[slot] = null;
    }

    /** Releases every socket: a device was attached, and the ARP cache starts afresh. */
    void releaseAll() {
        Arrays.fill(sockets, null);
        Arrays.fill(reasons, null);
    }
}
