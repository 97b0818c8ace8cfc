package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.socket.Socket;
import smol.socket.SocketHandle;
import smol.socket.SocketSet;
import smol.socket.TcpCloseReason;
import smol.socket.TcpListener;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.IpProtocol;
import smol.wire.Ipv4Address;
import smol.wire.TcpFlags;

/**
 * A {@link TcpListener} behind a real {@link Interface}, over two stacks on a cable and a virtual
 * clock ({@link TwoStacks}): clients that connect at once while the server is busy are all served
 * from the backlog; a SYN flood from spoofed ports finds the reserve and nothing more, and a real
 * client gets in once the flood's half-open connections time out.
 */
class TcpListenerCableTest {
    private static final int SERVER_PORT = 7777;
    private static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, SERVER_PORT);
    private static final long SECOND = 1_000_000L;
    private static final DeviceCapabilities ETHERNET = DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE);

    /** Echoes what one accepted connection receives, and closes once the peer has and all is echoed. */
    private static final class Echo {
        final TcpSocket socket;
        final byte[] buffer = new byte[1024];
        int length;
        int offset;
        boolean closed;

        Echo(TcpSocket socket) {
            this.socket = socket;
        }

        boolean step() {
            boolean moved = false;
            while (!closed) {
                if (offset < length) {
                    int n = socket.send(buffer, offset, length - offset);
                    offset += n;
                    moved |= n > 0;
                    if (offset < length) {
                        return moved; // the transmit ring is full
                    }
                }
                int n = socket.recv(buffer, 0, buffer.length);
                if (n == 0) {
                    return moved;
                }
                if (n < 0) {
                    socket.close();
                    closed = true;
                    return true;
                }
                length = n;
                offset = 0;
                moved = true;
            }
            return moved;
        }
    }

    @Test
    void eightClientsConnectingAtOnceWhileTheServerIsBusyAreAllAcceptedAndEachEchoedByteExact() {
        TwoStacks stacks = new TwoStacks(ETHERNET, 16, UnaryOperator.identity(), UnaryOperator.identity());
        TcpListener listener = stacks.socketsB.listen(SERVER_PORT, 8, 2048, 2048);
        int clients = 8;
        int bytesEach = 10_000;
        List<TcpSocket> clientSockets = new ArrayList<>();
        List<PatternStream.Reader> readers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            TcpSocket client = new TcpSocket(2048, 2048);
            stacks.socketsA.add(client);
            client.connect(SERVER, new IpEndpoint(Fixtures.IP_A, 40000 + i));
            clientSockets.add(client);
            PatternStream.Reader reader = new PatternStream.Reader(client, i, false);
            readers.add(reader);
            stacks.application(new PatternStream.Writer(client, i, bytesEach, true)).application(reader);
        }
        // the server is busy until every handshake has completed; then it accepts them all and echoes
        List<Echo> echoes = new ArrayList<>();
        List<SocketHandle> accepted = new ArrayList<>();
        stacks.application(() -> {
            boolean moved = false;
            if (accepted.isEmpty() && listener.pending() < clients) {
                return false;
            }
            for (SocketHandle handle = listener.accept(); handle != null; handle = listener.accept()) {
                accepted.add(handle);
                echoes.add(new Echo(stacks.socketsB.get(handle, TcpSocket.class)));
                moved = true;
            }
            for (Echo echo : echoes) {
                moved |= echo.step();
            }
            return moved;
        });

        stacks.runUntilOrFail(() -> readers.stream().allMatch(r -> r.endOfStream), 600 * SECOND, "all echoed");

        assertThat(accepted).hasSize(clients);
        Set<Integer> remotePorts = new HashSet<>();
        for (SocketHandle handle : accepted) {
            remotePorts.add(stacks.socketsB.get(handle, TcpSocket.class).remoteEndpoint().port());
        }
        assertThat(remotePorts).as("one connection per client").hasSize(clients);
        for (int i = 0; i < clients; i++) {
            assertThat(readers.get(i).received).as("client %d", i).isEqualTo(bytesEach);
            assertThat(readers.get(i).firstMismatch).as("client %d's first wrong byte", i).isEqualTo(-1);
        }
        assertThat(listener.synsDropped()).isZero();
        assertThat(stacks.b.statistics().drops(IfaceDrop.BACKLOG_FULL)).isZero();
        assertThat(stacks.a.statistics().rstsSent() + stacks.b.statistics().rstsSent()).isZero();
        assertThat(stacks.socketsB.size()).as("the backlog of 8 and the 8 accepted").isEqualTo(16);
        assertThat(listener.isOpen()).isTrue();
        assertThat(listener.pending() + listener.halfOpen()).isZero();
    }

    @Test
    void aSynFloodFromSpoofedPortsAllocatesNothingBeyondTheReserveAndARealClientGetsInOnceTheHalfOpenOnesTimeOut() {
        FrameInjector[] flood = new FrameInjector[1];
        TwoStacks stacks = new TwoStacks(ETHERNET, TwoStacks.SOCKETS, UnaryOperator.identity(),
                device -> flood[0] = new FrameInjector(device));
        SocketSet sockets = stacks.socketsB;
        TcpListener listener = sockets.listen(SERVER_PORT, 4, 4096, 4096).retryLimit(3);
        Socket[] reserve = slots(sockets);
        int size = sockets.size();
        // 1000 SYNs from ports of a host that does not exist (10.99.0.66: nobody answers ARP for it)
        int spoofed = Ipv4Address.parse("10.99.0.66").bits();
        long spoofedMac = EthernetAddress.parse("02-00-00-00-00-66").bits();
        for (int port = 1024; port < 2024; port++) {
            flood[0].inject(Frames.ipv4(Fixtures.MAC_B.bits(), spoofedMac, spoofed, Fixtures.IP_B.bits(),
                    IpProtocol.TCP, port, 64, Frames.tcp(spoofed, Fixtures.IP_B.bits(), port, SERVER_PORT,
                            port * 1000, 0, TcpFlags.SYN, 64240)));
        }

        stacks.runUntilOrFail(() -> flood[0].waiting() == 0, SECOND, "flood received");
        stacks.runTo(stacks.now + 10 * TwoStacks.HOP_MICROS);

        assertThat(listener.halfOpen()).as("the reserve holds 4 half-open connections").isEqualTo(4);
        assertThat(listener.synsDropped()).isEqualTo(996);
        assertThat(stacks.b.statistics().drops(IfaceDrop.BACKLOG_FULL)).isEqualTo(996);
        assertThat(stacks.b.statistics().rstsSent()).as("a full listener answers no SYN").isZero();
        assertThat(sockets.size()).isEqualTo(size);
        assertThat(slots(sockets)).as("the same sockets, none allocated").containsExactly(reserve);

        // a real client: its SYN is dropped while the flood holds the reserve, and retransmitted
        TcpSocket client = new TcpSocket(4096, 4096);
        stacks.socketsA.add(client);
        client.connect(SERVER, new IpEndpoint(Fixtures.IP_A, 40000));
        TwoStacks.StateLog clientLog = stacks.track(client);
        long start = stacks.now;
        stacks.runUntilOrFail(() -> listener.pending() == 1, 120 * SECOND, "the client's handshake completed");

        assertThat(stacks.now - start).as("not before the half-open ones timed out").isGreaterThan(7 * SECOND);
        assertThat(client.retransmitTimeouts()).as("the client retried its SYN").isPositive();
        assertThat(clientLog.states()).containsExactly(TcpState.SYN_SENT, TcpState.ESTABLISHED);
        assertThat(listener.synsDropped()).as("the flood's, then the client's while the reserve was full")
                .isGreaterThan(996);
        assertThat(stacks.a.statistics().rstsSent() + stacks.b.statistics().rstsSent()).isZero();
        assertThat(slots(sockets)).as("the half-open sockets listened again: still none allocated")
                .containsExactly(reserve);
        TcpSocket server = sockets.get(listener.accept(), TcpSocket.class);
        assertThat(server.remoteEndpoint()).isEqualTo(new IpEndpoint(Fixtures.IP_A, 40000));
        assertThat(sockets.size()).as("the accepted connection and the refilled reserve").isEqualTo(size + 1);
        byte[] hello = {'h', 'i'};
        client.send(hello, 0, hello.length);
        stacks.runUntilOrFail(server::canRecv, SECOND, "data received");
        assertThat(server.recvQueue()).isEqualTo(2);
    }

    @Test
    void closingTheListenerResetsTheConnectionsItHeldAndFreesItsSlotsButLeavesTheAcceptedOne() {
        TwoStacks stacks = new TwoStacks(ETHERNET, TwoStacks.SOCKETS, UnaryOperator.identity(), UnaryOperator.identity());
        TcpListener listener = stacks.socketsB.listen(SERVER_PORT, 3, 4096, 4096);
        List<TcpSocket> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TcpSocket client = new TcpSocket(4096, 4096);
            stacks.socketsA.add(client);
            client.connect(SERVER, new IpEndpoint(Fixtures.IP_A, 40000 + i));
            clients.add(client);
        }
        stacks.runUntilOrFail(() -> listener.pending() == 3, 5 * SECOND, "three handshakes");
        TcpSocket accepted = stacks.socketsB.get(listener.accept(), TcpSocket.class);
        assertThat(stacks.socketsB.size()).isEqualTo(4);

        listener.close();
        stacks.runUntilOrFail(() -> clients.stream().filter(c -> c.state() == TcpState.CLOSED).count() == 2,
                5 * SECOND, "two clients reset");

        assertThat(clients).filteredOn(c -> c.state() == TcpState.CLOSED)
                .allSatisfy(c -> assertThat(c.closeReason()).isEqualTo(TcpCloseReason.RESET_BY_PEER));
        TcpSocket kept = clients.stream().filter(c -> c.state() == TcpState.ESTABLISHED).findFirst().orElseThrow();
        assertThat(kept.localEndpoint()).isEqualTo(accepted.remoteEndpoint());
        assertThat(accepted.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(stacks.socketsB.size()).as("only the accepted connection is left").isEqualTo(1);
    }

    private static Socket[] slots(SocketSet sockets) {
        Socket[] slots = new Socket[sockets.capacity()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = sockets.slot(i);
        }
        return slots;
    }
}
