package smol.socket;

import java.util.Map;
import java.util.WeakHashMap;
import smol.socket.driver.Delivery;
import smol.socket.driver.InitialSequence;
import smol.socket.driver.IpSender;
import smol.socket.driver.PollContext;
import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/**
 * Drives sockets in tests as an interface would: each call builds the {@link PollContext} of a poll at
 * the given time with the given sender, and the ISN generator the socket was made with
 * ({@link #tcp}); a segment that calls for an answer at once is answered through the same sender
 * right away, as the interface dispatches such a socket before the next frame.
 */
final class Poller {
    private static final Map<Socket, InitialSequence> GENERATORS = new WeakHashMap<>();

    private Poller() {}

    /** A TCP socket whose connections take their ISNs from {@code initialSequence} in these tests. */
    static TcpSocket tcp(int rxCapacity, int txCapacity, InitialSequence initialSequence) {
        TcpSocket socket = new TcpSocket(rxCapacity, txCapacity);
        GENERATORS.put(socket, initialSequence);
        return socket;
    }

    static PollContext context(Socket socket, long nowMicros, IpSender out) {
        return new FixedPollContext(nowMicros, out, GENERATORS.getOrDefault(socket, InitialSequence.fixed(0)));
    }

    static boolean processTcp(Socket socket, long nowMicros, Ipv4Repr ip, TcpRepr tcp, IpSender out) {
        PollContext context = context(socket, nowMicros, out);
        Delivery delivery = socket.driver().processTcp(context, ip, tcp);
        if (delivery == Delivery.TAKEN_ANSWER_NOW) {
            socket.driver().dispatch(context);
        }
        return delivery != Delivery.DECLINED;
    }

    static boolean processUdp(Socket socket, long nowMicros, Ipv4Repr ip, UdpRepr udp) {
        return socket.driver().processUdp(context(socket, nowMicros, null), ip, udp) != Delivery.DECLINED;
    }

    static boolean processIcmp(Socket socket, long nowMicros, Ipv4Repr ip, Icmpv4Repr icmp) {
        return socket.driver().processIcmp(context(socket, nowMicros, null), ip, icmp) != Delivery.DECLINED;
    }

    static void dispatch(Socket socket, long nowMicros, IpSender out) {
        socket.driver().dispatch(context(socket, nowMicros, out));
    }

    static long pollAt(Socket socket, long nowMicros) {
        return socket.driver().pollAt(nowMicros);
    }

    static void linkUp(Socket socket, long nowMicros) {
        socket.driver().linkUp(nowMicros);
    }

    static boolean listensForTcp(Socket socket) {
        return socket.driver().listensForTcp();
    }
}
