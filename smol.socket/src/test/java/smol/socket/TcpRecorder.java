package smol.socket;

import java.util.ArrayList;
import java.util.List;
import smol.socket.driver.IpSender;
import smol.socket.driver.SendOutcome;
import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/** A recording {@link IpSender} for tests: copies every TCP segment sent; can refuse sends. */
class TcpRecorder implements IpSender {

    /** One captured segment: addresses, a copy of the repr, and its payload bytes. */
    record Sent(int src, int dst, TcpRepr tcp, byte[] payload) {
        @Override
        public String toString() {
            return tcp.toString();
        }

        int flags() {
            return tcp.flags();
        }

        int seq() {
            return tcp.seq();
        }
    }

    final List<Sent> sent = new ArrayList<>();
    int mtu = 1500;
    /** Sends to refuse before accepting again; -1 refuses all. */
    int refuse;
    /** What a refused send answers: by default a busy device ("cannot go now, try again"). */
    SendOutcome refusal = SendOutcome.DEVICE_BUSY;

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, UdpRepr udp) {
        throw new AssertionError("TCP socket sent UDP");
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, TcpRepr tcp) {
        if (refuse != 0) {
            if (refuse > 0) {
                refuse--;
            }
            return refusal;
        }
        sent.add(new Sent(ip.src(), ip.dst(), copy(tcp), payload(tcp)));
        return SendOutcome.SENT;
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, Icmpv4Repr icmp) {
        throw new AssertionError("TCP socket sent ICMP");
    }

    /** Returns and forgets what was sent, as one string per segment. */
    List<String> take() {
        List<String> out = new ArrayList<>();
        for (Sent s : sent) {
            out.add(s.toString());
        }
        sent.clear();
        return out;
    }

    /** Returns and forgets the segments sent. */
    List<Sent> takeSegments() {
        List<Sent> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    static byte[] payload(TcpRepr tcp) {
        byte[] p = new byte[tcp.payloadLength()];
        if (p.length > 0) {
            System.arraycopy(tcp.payloadBuffer(), tcp.payloadOffset(), p, 0, p.length);
        }
        return p;
    }

    static TcpRepr copy(TcpRepr t) {
        TcpRepr c = new TcpRepr().srcPort(t.srcPort()).dstPort(t.dstPort()).seq(t.seq()).ack(t.ack())
                .flags(t.flags()).window(t.window()).urgentPointer(t.urgentPointer()).mss(t.mss())
                .windowScale(t.windowScale()).sackPermitted(t.sackPermitted());
        if (t.hasTimestamps()) {
            c.timestamps(t.tsVal(), t.tsEcr());
        }
        byte[] p = payload(t);
        c.payload(p, 0, p.length);
        return c;
    }
}
