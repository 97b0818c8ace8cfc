package smol.socket;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import smol.socket.driver.IpSender;
import smol.socket.driver.SendOutcome;
import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/**
 * A recording {@link IpSender} for the datagram sockets' tests: it copies every UDP datagram and
 * ICMP message it is handed (the reprs are only lent for the call) and accepts a set number of
 * them before it starts refusing them with {@link #refusal} (by default a busy device: "cannot go now").
 */
class SentPackets implements IpSender {

    /** The IPv4 fields a socket fills, the UDP ports and the payload as hex. */
    record Udp(String src, String dst, int protocol, int ipPayloadLength, int ttl, int srcPort, int dstPort,
               String payload) {
    }

    /** The IPv4 fields a socket fills, the echo fields and the data as hex. */
    record Icmp(String src, String dst, int protocol, int ipPayloadLength, int ttl, Icmpv4Repr.Kind kind, int id,
                int seq, String data) {
    }

    final List<Udp> udp = new ArrayList<>();
    final List<Icmp> icmp = new ArrayList<>();
    private int accepts = Integer.MAX_VALUE;
    int refusals;
    SendOutcome refusal = SendOutcome.DEVICE_BUSY;

    /** From now on accept only {@code n} more packets, then refuse them with {@link #refusal}. */
    SentPackets acceptOnly(int n) {
        accepts = n;
        return this;
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, UdpRepr repr) {
        if (!take()) {
            return refusal;
        }
        udp.add(new Udp(Ipv4Address.toString(ip.src()), Ipv4Address.toString(ip.dst()), ip.protocol(),
                ip.payloadLength(), ip.ttl(), repr.srcPort(), repr.dstPort(),
                hex(repr.payloadBuffer(), repr.payloadOffset(), repr.payloadLength())));
        return SendOutcome.SENT;
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, TcpRepr tcp) {
        throw new AssertionError("no TCP expected from a datagram socket");
    }

    @Override
    public SendOutcome send(Ipv4Repr ip, Icmpv4Repr repr) {
        if (!take()) {
            return refusal;
        }
        icmp.add(new Icmp(Ipv4Address.toString(ip.src()), Ipv4Address.toString(ip.dst()), ip.protocol(),
                ip.payloadLength(), ip.ttl(), repr.kind(), repr.id(), repr.seq(),
                hex(repr.dataBuffer(), repr.dataOffset(), repr.dataLength())));
        return SendOutcome.SENT;
    }

    private boolean take() {
        if (accepts == 0) {
            refusals++;
            return false;
        }
        accepts--;
        return true;
    }

    static String hex(byte[] buf, int off, int len) {
        return len == 0 ? "" : HexFormat.of().formatHex(buf, off, off + len);
    }
}
