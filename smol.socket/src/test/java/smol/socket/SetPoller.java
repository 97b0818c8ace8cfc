package smol.socket;

import smol.socket.driver.Delivery;
import smol.socket.driver.DrivenSocket;
import smol.socket.driver.InitialSequence;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;

/**
 * Drives a whole {@link SocketSet} in tests as an interface does, without frames: a TCP segment is
 * offered to the sockets in slot order, listeners last; an answer due at once is dispatched at once;
 * what no socket takes is counted where the interface would answer it with RST, what a socket drops
 * ({@link Delivery#DROPPED}) apart. Segments sent go to {@link #out}; the clock is {@link #now}.
 */
final class SetPoller {
    final SocketSet set;
    final TcpRecorder out = new TcpRecorder();
    long now;
    /** Segments no socket took: the interface would have answered each with RST. */
    int unclaimed;
    /** Segments a socket dropped unanswered. */
    int dropped;
    private final FixedPollContext context;

    SetPoller(SocketSet set, InitialSequence initialSequence) {
        this.set = set;
        this.context = new FixedPollContext(0, out, initialSequence);
    }

    /** Offers a segment from {@code src} to {@code dst}; returns what became of it. */
    Delivery in(int src, int dst, TcpRepr tcp) {
        context.nowMicros = now;
        Ipv4Repr ip = new Ipv4Repr().src(src).dst(dst).ttl(64);
        Delivery delivery = offer(ip, tcp, false);
        if (delivery == Delivery.DECLINED) {
            delivery = offer(ip, tcp, true);
        }
        if (delivery == Delivery.DROPPED) {
            dropped++;
        } else if (delivery == Delivery.DECLINED) {
            unclaimed++;
        }
        return delivery;
    }

    private Delivery offer(Ipv4Repr ip, TcpRepr tcp, boolean listeners) {
        for (int i = 0; i < set.capacity(); i++) {
            DrivenSocket socket = set.driver(i);
            if (socket != null && socket.listensForTcp() == listeners) {
                Delivery delivery = socket.processTcp(context, ip, tcp);
                if (delivery == Delivery.TAKEN_ANSWER_NOW) {
                    socket.dispatch(context);
                }
                if (delivery != Delivery.DECLINED) {
                    return delivery;
                }
            }
        }
        return Delivery.DECLINED;
    }

    /** Dispatches every socket that is due, as a poll does; returns the earliest deadline after it. */
    long poll() {
        context.nowMicros = now;
        for (int i = 0; i < set.capacity(); i++) {
            DrivenSocket socket = set.driver(i);
            if (socket != null && socket.pollAt(now) <= now) {
                socket.dispatch(context);
            }
        }
        long next = Long.MAX_VALUE;
        for (int i = 0; i < set.capacity(); i++) {
            DrivenSocket socket = set.driver(i);
            if (socket != null) {
                next = Math.min(next, socket.pollAt(now));
            }
        }
        return next;
    }

    /** Polls at every deadline up to {@code untilMicros}, the clock ending there. */
    void runTo(long untilMicros) {
        for (int polls = 0; polls < 1_000_000; polls++) {
            long next = poll();
            if (next > untilMicros) {
                now = untilMicros;
                return;
            }
            now = Math.max(now, next);
        }
        throw new AssertionError("a socket asks to be polled at once, again and again, at " + now);
    }
}
