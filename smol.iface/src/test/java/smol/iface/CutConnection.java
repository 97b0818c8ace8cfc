package smol.iface;

import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;

/**
 * An established TCP connection between two stacks whose link can be cut at A's side ({@link CutLink}):
 * a client on A (10.99.0.1:40000) and a server on B (10.99.0.2:7777), both with 8 KiB rings.
 */
final class CutConnection {
    static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, 7777);
    static final IpEndpoint CLIENT = new IpEndpoint(Fixtures.IP_A, 40000);
    static final long SECOND = 1_000_000L;

    final TwoStacks stacks;
    final CutLink link;
    final TcpSocket server = new TcpSocket(8192, 8192);
    final TcpSocket client = new TcpSocket(8192, 8192);

    /** Builds the stacks and opens the connection, failing the test when it does not establish in 1 s. */
    CutConnection() {
        CutLink[] made = new CutLink[1];
        stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE),
                d -> made[0] = new CutLink(d), d -> d);
        link = made[0];
        stacks.open(client, CLIENT, server, SERVER);
        stacks.runUntilOrFail(() -> server.state() == TcpState.ESTABLISHED, SECOND, "established");
    }
}
