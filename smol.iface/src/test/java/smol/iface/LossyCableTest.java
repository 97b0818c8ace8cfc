package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.phy.FaultConfig;
import smol.phy.FaultInjector;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;

/**
 * TCP over a bad link, as gateways have: two stacks on a cable with a {@link FaultInjector} at each end
 * (frames lost, corrupted and rate-limited), on the virtual clock of {@link TwoStacks}. Each case is
 * reproducible from its seed, which drives the injectors (the ISNs come from the stacks' fixed keys).
 */
class LossyCableTest {
    private static final int MIB = 1 << 20;
    private static final int BUFFER = 64 * 1024;
    private static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, 7777);
    private static final IpEndpoint CLIENT = new IpEndpoint(Fixtures.IP_A, 40000);
    /**
     * 10% of frames lost and 5% corrupted in each direction at each end; at most 20 frames sent per
     * millisecond (ten rounds), fewer than one window of segments, so the shaper refuses some.
     */
    private static final FaultConfig BAD_LINK = FaultConfig.NONE.withDropChance(0.10).withCorruptChance(0.05)
            .withTxRateLimit(20).withShapingIntervalMicros(1_000);
    /**
     * The active closer's TIME-WAIT: a minute rather than the default 10 s, since on this link about
     * half the FIN/ACK exchanges fail and the passive closer's backed-off FIN retransmissions must still
     * find the TIME-WAIT there to be acknowledged (else it is answered with RST, RFC 9293 §3.10.7.1).
     */
    private static final long TIME_WAIT_MICROS = 60_000_000L;
    /**
     * A bound on the virtual time from connect to both sides closed, well above what one takes: at most
     * 73 s for these seeds, of which up to 63 s are a handshake whose SYN or SYN-ACK was lost five times.
     */
    private static final long TRANSFER_LIMIT_MICROS = 600_000_000L;
    /**
     * A bound on the virtual time from ESTABLISHED until the reader has the whole mebibyte, generous:
     * 6 to 12 s for these seeds (about 35 timeouts of 200 ms, for the resends that are lost again),
     * where before RFC 7323 timestamps it was 1000 to 2000 s (no RTT sample survived Karn's rule, so
     * the timeout stayed backed off near 60 s).
     */
    private static final long DATA_LIMIT_MICROS = 60_000_000L;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mebibyteCrossesALossyCorruptingRateLimitedLinkByteExact(long seed) {
        FaultInjector[] injectors = new FaultInjector[2];
        TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE),
                d -> injectors[0] = new FaultInjector(d, BAD_LINK, seed),
                d -> injectors[1] = new FaultInjector(d, BAD_LINK, ~seed));
        FaultInjector atA = injectors[0];
        FaultInjector atB = injectors[1];
        TcpSocket server = new TcpSocket(BUFFER, BUFFER);
        TcpSocket client = new TcpSocket(BUFFER, BUFFER);
        client.timeWait(TIME_WAIT_MICROS);
        stacks.open(client, CLIENT, server, SERVER);
        Corruption corruption = new Corruption(stacks);
        PatternStream.Writer writer = new PatternStream.Writer(client, (int) seed, MIB, true);
        PatternStream.Reader reader = new PatternStream.Reader(server, (int) seed, true);
        stacks.application(writer).application(reader);

        long[] establishedAt = {-1};
        long[] receivedAt = {-1};
        stacks.runUntilOrFail(() -> {
            if (establishedAt[0] < 0 && client.state() == TcpState.ESTABLISHED) {
                establishedAt[0] = stacks.now;
            }
            if (receivedAt[0] < 0 && reader.received == MIB) {
                receivedAt[0] = stacks.now;
            }
            return !client.isOpen() && !server.isOpen();
        }, TRANSFER_LIMIT_MICROS, "closed (seed " + seed + ")");

        String context = "seed " + seed + ", " + atA + " / " + atB + "; " + stacks.describe();
        assertThat(reader.received).as(context).isEqualTo(MIB);
        assertThat(reader.firstMismatch).as(context).isEqualTo(-1);
        assertThat(reader.endOfStream).as(context).isTrue();
        assertThat(client.closeReason()).as(context).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(server.closeReason()).as(context).isEqualTo(TcpCloseReason.GRACEFUL);
        // the link did its worst, and TCP made up for it
        assertThat(atA.txDropped() + atB.rxDropped()).as(context).isPositive();
        assertThat(atA.txRateLimited()).as(context).isPositive();
        assertThat(stacks.a.statistics().drops(IfaceDrop.DEVICE_BUSY)).as(context).isPositive();
        assertThat(client.counters().retransmissions()).as(context).isPositive();
        // losses cost round trips, not backed-off timeouts: timestamps give RTT samples despite the
        // losses (RFC 7323 §4.1) and NewReno repairs every hole of a window (RFC 6582), so the data
        // moves in a few seconds of virtual time (the handshake alone may take a minute, its SYN
        // backing off from 1 s, RFC 6298 §5.5); most losses are repaired without the timer
        assertThat(receivedAt[0] - establishedAt[0]).as(context).isPositive().isLessThan(DATA_LIMIT_MICROS);
        assertThat(client.fastRetransmits()).as(context).isGreaterThan(client.retransmitTimeouts());
        // the injector reports every checksum on, so each interface verified them and dropped what was
        // corrupted. A changed octet in the Ethernet header is caught otherwise (not for us, an unknown
        // EtherType) or harmless (the source MAC), one in the IPv4 version, length or header length
        // fails the format check first; so checksum drops are most, not all, corrupted arrivals: over
        // 90% of the 1514-byte data frames at B, over half of the 54-byte ACKs at A.
        assertCorruptionCaught(stacks.b, corruption.arrivedAtB, context);
        assertCorruptionCaught(stacks.a, corruption.arrivedAtA, context);
    }

    private static void assertCorruptionCaught(Interface receiver, long corruptedArrivals, String context) {
        long checksumDrops = receiver.statistics().drops(IfaceDrop.BAD_CHECKSUM);
        assertThat(checksumDrops).as(context).isPositive().isLessThanOrEqualTo(corruptedArrivals);
        assertThat(checksumDrops * 2).as(context).isGreaterThanOrEqualTo(corruptedArrivals);
    }

    /**
     * Counts the frames each interface received that differ from every frame its peer transmitted:
     * those the injectors corrupted on the way (the observers see the frames as the interfaces wrote
     * and read them, the injectors change a copy in between).
     */
    static final class Corruption {
        private final Set<ByteBuffer> sentByA = new HashSet<>();
        private final Set<ByteBuffer> sentByB = new HashSet<>();
        long arrivedAtA;
        long arrivedAtB;

        Corruption(TwoStacks stacks) {
            stacks.a.addObserver((direction, buf, off, len, now) -> {
                ByteBuffer frame = ByteBuffer.wrap(Arrays.copyOfRange(buf, off, off + len));
                if (direction == FrameDirection.OUT) {
                    sentByA.add(frame);
                } else if (!sentByB.contains(frame)) {
                    arrivedAtA++;
                }
            });
            stacks.b.addObserver((direction, buf, off, len, now) -> {
                ByteBuffer frame = ByteBuffer.wrap(Arrays.copyOfRange(buf, off, off + len));
                if (direction == FrameDirection.OUT) {
                    sentByB.add(frame);
                } else if (!sentByA.contains(frame)) {
                    arrivedAtB++;
                }
            });
        }
    }

    @Test
    void oneLostSegmentIsResentByFastRetransmitLongBeforeTheRetransmissionTimeout() {
        long clean = transferTime(0);
        LoseOneSegment loss = new LoseOneSegment(100);
        long lossy = transferTime(0, loss);

        assertThat(loss.lostSeq).as("a segment was lost").isNotEqualTo(-1L);
        assertThat(loss.resentAt).as("the lost segment was sent again").isPositive();
        long recovery = loss.resentAt - loss.lostAt;
        // two hops: the segments after the hole arrive, their duplicate ACKs come back, and the third
        // one resends the hole at once (RFC 5681 §3.2); a timeout would take at least 200 ms
        assertThat(recovery).isEqualTo(2 * TwoStacks.HOP_MICROS);
        assertThat(recovery).isLessThan(TcpSocket.MIN_RTO_MICROS / 100);
        assertThat(lossy - clean).isLessThan(TcpSocket.MIN_RTO_MICROS / 20);
        assertThat(loss.retransmissions).isEqualTo(1);
    }

    /** Sends 1 MiB from A to B over a clean cable and returns the virtual time until B has all of it. */
    private static long transferTime(long seed) {
        return transferTime(seed, null);
    }

    private static long transferTime(long seed, LoseOneSegment loss) {
        TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE),
                d -> {
                    if (loss == null) {
                        return d;
                    }
                    loss.inner = d;
                    return loss;
                },
                d -> d);
        TcpSocket server = new TcpSocket(BUFFER, BUFFER);
        TcpSocket client = new TcpSocket(BUFFER, BUFFER);
        stacks.open(client, CLIENT, server, SERVER);
        PatternStream.Writer writer = new PatternStream.Writer(client, 3, MIB, true);
        PatternStream.Reader reader = new PatternStream.Reader(server, 3, true);
        stacks.application(writer).application(reader);
        long start = stacks.now;

        stacks.runUntilOrFail(() -> reader.received == MIB, TRANSFER_LIMIT_MICROS, "all received");

        assertThat(reader.firstMismatch).isEqualTo(-1);
        if (loss != null) {
            loss.retransmissions = client.counters().retransmissions();
            assertThat(client.retransmitTimeout()).as("no timeout backed the timer off")
                    .isEqualTo(TcpSocket.MIN_RTO_MICROS);
        }
        assertThat(client.state()).isIn(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2);
        return stacks.now - start;
    }

    /**
     * A test device that loses the {@code n}th frame carrying TCP data and then notes when a frame with
     * the same sequence number goes out again (both on the caller's clock).
     */
    static final class LoseOneSegment extends DeviceInFront {
        private final int n;
        private int dataFrames;
        long lostSeq = -1;
        long lostAt;
        long resentAt;
        long retransmissions;

        LoseOneSegment(int n) {
            super(null); // the device behind is set when the stacks are built
            this.n = n;
        }

        @Override
        public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
            long seq = tcpDataSeq(buf, off, len);
            if (seq >= 0) {
                if (++dataFrames == n) {
                    lostSeq = seq;
                    lostAt = nowMicros;
                    return true; // gone on the wire
                }
                if (seq == lostSeq && resentAt == 0) {
                    resentAt = nowMicros;
                }
            }
            return inner.transmit(buf, off, len, nowMicros);
        }

        /** The sequence number of an Ethernet/IPv4/TCP frame with payload, else -1. */
        private static long tcpDataSeq(byte[] f, int off, int len) {
            if (len < 54 || Fixtures.u16(f, off + 12) != 0x0800 || f[off + 23] != 6) {
                return -1;
            }
            int ipHeader = (f[off + 14] & 0x0f) * 4;
            int tcp = off + 14 + ipHeader;
            int tcpHeader = ((f[tcp + 12] & 0xff) >>> 4) * 4;
            int payload = Fixtures.u16(f, off + 16) - ipHeader - tcpHeader;
            if (payload <= 0) {
                return -1;
            }
            return ((long) Fixtures.u16(f, tcp + 4) << 16) | Fixtures.u16(f, tcp + 6);
        }
    }
}
