package smol.iface;

import java.util.List;
import smol.socket.Socket;
import smol.socket.SocketSet;

/**
 * An interface on a {@link RecordingDevice} with a virtual clock: 10.99.0.2/24, MAC 02-00-00-00-00-02,
 * as host B of the kernel captures. The announcements of the attach are sent and forgotten.
 */
final class Rig {
    final RecordingDevice device;
    final SocketSet sockets;
    final Interface iface;
    long now = 5_000_000;

    Rig() {
        this(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(), new RecordingDevice());
    }

    Rig(InterfaceConfig config, RecordingDevice device) {
        this.device = device;
        this.sockets = new SocketSet(8);
        this.iface = new Interface(config, sockets);
        iface.attach(device);
        iface.poll(now);
        device.takeTransmitted();
    }

    Rig add(Socket socket) {
        sockets.add(socket);
        return this;
    }

    /** Feeds the frames, polls once and returns what went out. */
    List<byte[]> receive(byte[]... frames) {
        for (byte[] f : frames) {
            device.inject(f);
        }
        iface.poll(now);
        return device.takeTransmitted();
    }

    long poll() {
        return iface.poll(now);
    }

    InterfaceStatistics stats() {
        return iface.statistics();
    }
}
