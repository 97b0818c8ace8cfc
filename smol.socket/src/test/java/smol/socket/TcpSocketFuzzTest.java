package smol.socket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import smol.wire.TcpRepr;

/**
 * Whatever segments a peer sends, in whatever state, a socket never throws, keeps its buffers within
 * their capacities, and still answers the application: arbitrary flags, sequence and acknowledgement
 * numbers near and far from the window, payloads, and time passing, on a virtual clock.
 */
class TcpSocketFuzzTest {

    /** A segment as a peer might send it: offsets relative to what the socket expects, so that many land in the window. */
    record Segment(int flags, int seqOffset, int ackOffset, int window, int length, int mss, long advanceMicros) {}

    @Provide
    Arbitrary<Segment> segments() {
        Arbitrary<Integer> near = Arbitraries.oneOf(Arbitraries.integers().between(-3000, 3000),
                Arbitraries.integers());
        return Combinators.combine(Arbitraries.integers().between(0, 0xff), near, near,
                        Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 1500),
                        Arbitraries.of(0, 0, 1, 536, 1460, 65535), Arbitraries.longs().between(0, 3_000_000))
                .as(Segment::new);
    }

    @Property(tries = 1000)
    void anySegmentSequenceLeavesTheSocketConsistent(@ForAll @IntRange(max = 2) int opening,
            @ForAll @Size(max = 60) List<@net.jqwik.api.From("segments") Segment> segments) {
        TcpSocketHarness h = new TcpSocketHarness();
        switch (opening) {
            case 0 -> h.establishActive();
            case 1 -> h.establishPassive();
            default -> h.socket.listen(TcpSocketHarness.LOCAL.port());
        }
        if (h.socket.maySend()) {
            h.send("hello, peer");
        }
        byte[] payload = new byte[1500];
        byte[] sink = new byte[4096];
        int irsNext = TcpSocketHarness.IRS + 1;
        int issNext = TcpSocketHarness.ISS + 1;
        for (Segment s : segments) {
            h.now += s.advanceMicros();
            TcpRepr tcp = TcpSocketHarness.seg(s.flags(), irsNext + s.seqOffset(), issNext + s.ackOffset())
                    .window(s.window()).payload(payload, 0, s.length());
            if (s.mss() != 0) {
                tcp.mss(s.mss());
            }
            h.in(tcp);
            Poller.dispatch(h.socket, h.now, h.out);
            h.out.take();
            h.socket.recv(sink, 0, sink.length);
            if (h.socket.maySend()) {
                h.send("more");
            }
            assertThat(h.socket.recvQueue()).isBetween(0, 1024);
            assertThat(h.socket.sendQueue()).isBetween(0, 1024);
            assertThat(Poller.pollAt(h.socket, h.now)).isGreaterThanOrEqualTo(0);
        }
        // however it ended, time runs every connection down to a state that needs no timer, or keeps it open
        for (int i = 0; i < 200 && Poller.pollAt(h.socket, h.now) != Long.MAX_VALUE; i++) {
            h.now = Math.max(h.now + 1, Poller.pollAt(h.socket, h.now));
            Poller.dispatch(h.socket, h.now, h.out);
            h.out.take();
        }
        assertThat(h.socket.state()).isNotNull();
    }
}
