package smol.iface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smol.socket.Socket;
import smol.socket.driver.Delivery;
import smol.socket.driver.DrivenSocket;
import smol.socket.driver.PollContext;
import smol.socket.driver.SendOutcome;
import smol.wire.Icmpv4Repr;
import smol.wire.Ipv4Repr;
import smol.wire.TcpRepr;
import smol.wire.UdpRepr;

/** Small test-only sockets: sinks that take what is addressed to them and record it, and a sender. */
final class TestSockets {
    private TestSockets() {}

    /** A socket that is its own driver: the test sockets below implement only what they need. */
    abstract static class TestSocket extends Socket implements DrivenSocket {
        @Override
        protected DrivenSocket driver() {
            return this;
        }
    }

    /** Takes the UDP datagrams to one port and keeps their payloads. */
    static final class UdpSink extends TestSocket {
        final int port;
        final List<byte[]> payloads = new ArrayList<>();
        final List<String> sources = new ArrayList<>();

        UdpSink(int port) {
            this.port = port;
        }

        @Override
        public Delivery processUdp(PollContext context, Ipv4Repr ip, UdpRepr udp) {
            if (udp.dstPort() != port) {
                return Delivery.DECLINED;
            }
            payloads.add(Arrays.copyOfRange(udp.payloadBuffer(), udp.payloadOffset(),
                    udp.payloadOffset() + udp.payloadLength()));
            sources.add(smol.wire.Ipv4Address.toString(ip.src()) + ":" + udp.srcPort());
            return Delivery.TAKEN;
        }

        @Override
        public void dispatch(PollContext context) {}

        @Override
        public long pollAt(long nowMicros) {
            return Long.MAX_VALUE;
        }
    }

    /** Takes the TCP segments to one port and keeps their flags. */
    static final class TcpSink extends TestSocket {
        final int port;
        final List<Integer> flags = new ArrayList<>();

        TcpSink(int port) {
            this.port = port;
        }

        @Override
        public Delivery processTcp(PollContext context, Ipv4Repr ip, TcpRepr tcp) {
            if (tcp.dstPort() != port) {
                return Delivery.DECLINED;
            }
            flags.add(tcp.flags());
            return Delivery.TAKEN;
        }

        @Override
        public void dispatch(PollContext context) {}

        @Override
        public long pollAt(long nowMicros) {
            return Long.MAX_VALUE;
        }
    }

    /** Takes every ICMP message it is offered and keeps its kind, code and echo identifier. */
    static final class IcmpSink extends TestSocket {
        final List<String> messages = new ArrayList<>();

        @Override
        public Delivery processIcmp(PollContext context, Ipv4Repr ip, Icmpv4Repr icmp) {
            messages.add(icmp.kind() + " code=" + icmp.code() + " id=" + icmp.id() + " len=" + icmp.dataLength());
            return Delivery.TAKEN;
        }

        @Override
        public void dispatch(PollContext context) {}

        @Override
        public long pollAt(long nowMicros) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Sends one UDP datagram on each dispatch while it has one pending (until a send goes out),
     * and records each send's result; it asks to be polled at once while one is pending, else at
     * {@link #wakeAt}.
     */
    static final class UdpSender extends TestSocket {
        final Ipv4Repr ip = new Ipv4Repr();
        final UdpRepr udp = new UdpRepr();
        final List<SendOutcome> results = new ArrayList<>();
        boolean pending;
        long wakeAt = Long.MAX_VALUE;
        int dispatches;

        UdpSender to(int dst, int srcPort, int dstPort, byte[] payload) {
            ip.dst(dst);
            udp.srcPort(srcPort).dstPort(dstPort).payload(payload, 0, payload.length);
            pending = true;
            return this;
        }

        @Override
        public void dispatch(PollContext context) {
            dispatches++;
            if (pending) {
                SendOutcome outcome = context.sender().send(ip, udp);
                results.add(outcome);
                pending = outcome != SendOutcome.SENT;
            }
        }

        @Override
        public long pollAt(long nowMicros) {
            return pending ? nowMicros : wakeAt;
        }
    }

    /** Asks to be polled at a fixed time and does nothing. */
    static final class Timer extends TestSocket {
        long at;

        Timer(long at) {
            this.at = at;
        }

        @Override
        public void dispatch(PollContext context) {}

        @Override
        public long pollAt(long nowMicros) {
            return at;
        }
    }
}
