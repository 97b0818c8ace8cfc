package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.phy.FaultConfig;
import smol.phy.FaultInjector;
import smol.socket.TcpSocket;
import smol.wire.IpEndpoint;

/**
 * TCP over a long, jittery, lossy link, as the kernel interop test will run it with netem's numbers: two
 * stacks on a cable, a {@link FaultInjector} at A delaying every frame 20 ms ± 5 ms each way (so frames
 * sent 100 µs apart overtake each other) and losing 1%, on the virtual clock of {@link TwoStacks}. Each
 * case is reproducible from its seed.
 */
class DelayedCableTest {
    private static final int BYTES = 2 << 20;
    private static final int BUFFER = 64 * 1024;
    private static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, 7777);
    private static final IpEndpoint CLIENT = new IpEndpoint(Fixtures.IP_A, 40000);
    private static final long DELAY_MICROS = 20_000;
    /** 20 ms each way (A's transmit line one way, its receive line the other), 5 ms jitter, 1% lost. */
    private static final FaultConfig LONG_LINK = FaultConfig.NONE.withDelayMicros(DELAY_MICROS)
            .withJitterMicros(5_000).withDropChance(0.01);
    /**
     * A bound on the virtual time from connect until B has all 2 MiB, generous: 27 to 29 s for these
     * seeds. A 64 KiB window per 40 ms round trip would move 2 MiB in 1.3 s, but the reordering makes
     * duplicate ACKs that TCP takes for losses (about 650 fast retransmits per run, most of them needless,
     * each halving the window, RFC 5681 §3.2) and some 17 timeouts. A stalled connection (timeouts
     * backed off towards a minute) would take far longer.
     */
    private static final long TRANSFER_LIMIT_MICROS = 90_000_000L;

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 3);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void twoMebibytesCrossADelayedJitteryLossyLinkByteExactInBoundedTime(long seed) {
        FaultInjector[] injector = new FaultInjector[1];
        TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.ALL),
                d -> injector[0] = new FaultInjector(d, LONG_LINK, seed), d -> d);
        FaultInjector link = injector[0];
        TcpSocket server = new TcpSocket(BUFFER, BUFFER);
        TcpSocket client = new TcpSocket(BUFFER, BUFFER);
        stacks.open(client, CLIENT, server, SERVER);
        PatternStream.Writer writer = new PatternStream.Writer(client, (int) seed, BYTES, true);
        PatternStream.Reader reader = new PatternStream.Reader(server, (int) seed, true);
        // TwoStacks counts only its own frames as on the way; while the injector holds frames the clock
        // must still move in hops (as a runtime would wait for the injector's pollAt), not jump to a timer.
        stacks.application(writer).application(reader).application(() -> link.rxHeld() + link.txHeld() > 0);
        long start = stacks.now;

        stacks.runUntilOrFail(() -> reader.received == BYTES, TRANSFER_LIMIT_MICROS, "all received, seed " + seed);

        String context = "seed " + seed + ", " + link + "; " + stacks.describe();
        assertThat(reader.firstMismatch).as(context).isEqualTo(-1);
        assertThat(reader.received).as(context).isEqualTo(BYTES);
        assertThat(stacks.now - start).as(context).isGreaterThan(2 * DELAY_MICROS)
                .isLessThan(TRANSFER_LIMIT_MICROS);
        // the link did delay, lose and reorder, and nothing was lost for want of slots
        assertThat(link.txDropped() + link.rxDropped()).as(context).isPositive();
        assertThat(link.txDelayOverflow() + link.rxDelayOverflow()).as(context).isZero();
        assertThat(client.counters().retransmissions()).as(context).isPositive();
    }
}
