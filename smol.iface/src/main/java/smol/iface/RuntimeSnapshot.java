package smol.iface;

import java.util.List;
import smol.socket.SocketSnapshot;

/**
 * An {@link InterfaceRuntime} at one instant, as {@link InterfaceRuntime#snapshot()} takes it in a single
 * hold of its lock: the interface, every socket of its set and the loop's statistics agree with each
 * other (no poll ran between them). Immutable, safe to keep and to pass between threads: what the shell
 * and JMX read while the loop runs.
 *
 * @param name the runtime's name, as its thread carries it
 * @param phase {@code new}, {@code running}, {@code stopping} or {@code stopped}
 * @param takenAtMicros when the snapshot was taken, on the runtime's clock (microseconds), the clock of
 *     the interface's polls
 * @param loop what the loop has done: polls, callbacks, failures
 * @param iface the interface: addresses, link, counters, neighbour table
 * @param socketCapacity how many sockets the set holds at most
 * @param sockets every socket of the set, in slot order; unmodifiable
 */
public record RuntimeSnapshot(String name, String phase, long takenAtMicros, RuntimeStatistics loop,
        InterfaceSnapshot iface, int socketCapacity, List<SocketSnapshot> sockets) {

    /**
     * Copies the socket list into an unmodifiable one.
     *
     * @throws NullPointerException when the list is null or holds null
     */
    public RuntimeSnapshot {
        sockets = List.copyOf(sockets);
    }

    /** Returns true when the runtime was running: started and not stopping. */
    public boolean running() {
        return "running".equals(phase);
    }

    /**
     * Returns e.g. {@code runtime eth0 (running) at 1200000us, 3/16 sockets, polls=120 …}, then the
     * interface and one line per socket.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append("runtime ").append(name).append(" (").append(phase)
                .append(") at ").append(takenAtMicros).append("us, ").append(sockets.size()).append('/')
                .append(socketCapacity).append(" sockets, ").append(loop)
                .append("\n  ").append(iface);
        for (SocketSnapshot socket : sockets) {
            sb.append("\n  ").append(socket);
        }
        return sb.toString();
    }
}
