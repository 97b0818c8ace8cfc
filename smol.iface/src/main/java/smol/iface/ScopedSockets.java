package smol.iface;

import smol.socket.IcmpSocket;
import smol.socket.SocketSetView;
import smol.socket.TcpSocket;
import smol.socket.UdpSocket;

/**
 * The {@link SocketSetService} of one owner on one runtime ({@link InterfaceRuntime#scope}): each call
 * goes to the runtime with the owner's {@link SocketSetView}, which records the sockets under the owner's
 * name; closing ends them through the runtime, which also ends the calls blocked on them.
 */
final class ScopedSockets implements SocketSetService {
    private final InterfaceRuntime runtime;
    private final SocketSetView view;

    ScopedSockets(InterfaceRuntime runtime, SocketSetView view) {
        this.runtime = runtime;
        this.view = view;
    }

    @Override
    public String interfaceName() {
        return runtime.name();
    }

    @Override
    public String owner() {
        return view.owner();
    }

    @Override
    public TcpConnection tcp(int rxBytes, int txBytes) {
        return runtime.tcp(new TcpSocket(rxBytes, txBytes), view);
    }

    @Override
    public TcpServer listen(int port, int backlog, int rxBytes, int txBytes) {
        return runtime.listen(port, backlog, rxBytes, txBytes, view);
    }

    @Override
    public UdpEndpoint udp(UdpSocket socket) {
        return runtime.udp(socket, view);
    }

    @Override
    public IcmpEndpoint icmp(IcmpSocket socket) {
        return runtime.icmp(socket, view);
    }

    @Override
    public boolean isClosed() {
        runtime.lock();
        try {
            return view.isClosed() || runtime.isStopped();
        } finally {
            runtime.unlock();
        }
    }

    @Override
    public void close() {
        runtime.closeScope(view);
    }

    /** Returns e.g. {@code sockets of com.example.app (3 open) on eth0}. */
    @Override
    public String toString() {
        runtime.lock();
        try {
            return view + " on " + runtime.name();
        } finally {
            runtime.unlock();
        }
    }
}
