package smol.socket;

import java.util.List;
import smol.socket.driver.InitialSequence;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Repr;
import smol.wire.TcpFlags;
import smol.wire.TcpRepr;

/** One TCP socket against a scripted peer: segments in by hand, segments out recorded, a virtual clock. */
class TcpSocketHarness {
    static final int LOCAL_ADDRESS = Ipv4Address.of(192, 168, 69, 1).bits();
    static final int REMOTE_ADDRESS = Ipv4Address.of(192, 168, 69, 100).bits();
    static final IpEndpoint LOCAL = new IpEndpoint(Ipv4Address.of(LOCAL_ADDRESS), 80);
    static final IpEndpoint REMOTE = new IpEndpoint(Ipv4Address.of(REMOTE_ADDRESS), 49500);
    static final int ISS = 1000;   // ours
    static final int IRS = 5000;   // the peer's
    static final int SYN = TcpFlags.SYN;
    static final int ACK = TcpFlags.ACK;
    static final int FIN = TcpFlags.FIN;
    static final int RST = TcpFlags.RST;
    static final int PSH = TcpFlags.PSH;
    static final int URG = TcpFlags.URG;

    TcpSocket socket = Poller.tcp(1024, 1024, InitialSequence.fixed(ISS));
    final TcpRecorder out = new TcpRecorder();
    long now;

    static TcpRepr seg(int flags, int seq, int ack) {
        return new TcpRepr().srcPort(REMOTE.port()).dstPort(LOCAL.port()).flags(flags).seq(seq).ack(ack).window(4096);
    }

    static TcpRepr data(int seq, int ack, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return seg(ACK | PSH, seq, ack).payload(bytes, 0, bytes.length);
    }

    /** Hands the segment to the socket, as if from REMOTE to LOCAL; returns what processTcp returned. */
    boolean in(TcpRepr tcp) {
        Ipv4Repr ip = new Ipv4Repr().src(REMOTE_ADDRESS).dst(LOCAL_ADDRESS).ttl(64);
        return Poller.processTcp(socket, now, ip, tcp, out);
    }

    /** Dispatches and returns what went out (plus anything processTcp sent before). */
    List<String> dispatch() {
        Poller.dispatch(socket, now, out);
        return out.take();
    }

    /** Our expected segment, from LOCAL to REMOTE, as TcpRepr prints it. */
    static String ours(String flags, int seq, int ack, int window, int length, String options) {
        return "TCP src=" + LOCAL.port() + " dst=" + REMOTE.port() + (flags.isEmpty() ? "" : " " + flags)
                + " seq=" + Integer.toUnsignedString(seq) + " ack=" + Integer.toUnsignedString(ack) + " win=" + window
                + " len=" + length + options;
    }

    static String ours(String flags, int seq, int ack, int window, int length) {
        return ours(flags, seq, ack, window, length, "");
    }

    /** Active open to REMOTE, SYN-ACK with MSS 1460 and window 4096: ESTABLISHED with ISS+1 / IRS+1. */
    void establishActive() {
        socket.connect(REMOTE, LOCAL);
        dispatch();
        TcpRepr synAck = seg(SYN | ACK, IRS, ISS + 1).mss(1460);
        in(synAck);
        dispatch();
    }

    /** Passive open on LOCAL's port, SYN from REMOTE, ACK of our SYN-ACK: ESTABLISHED. */
    void establishPassive() {
        socket.listen(LOCAL.port());
        in(seg(SYN, IRS, 0).mss(1460));
        dispatch();
        in(seg(ACK, IRS + 1, ISS + 1));
    }

    int send(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return socket.send(bytes, 0, bytes.length);
    }

    String recvAll() {
        byte[] buf = new byte[65536];
        int n = socket.recv(buf, 0, buf.length);
        return n <= 0 ? "" : new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
