package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.RuntimePair.PATIENCE;
import static smol.iface.RuntimePair.atB;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smol.iface.RuntimePair.Connected;
import smol.phy.Cable;
import smol.phy.Device;
import smol.phy.FaultConfig;
import smol.phy.FaultInjector;
import smol.socket.TcpCloseReason;
import smol.socket.TcpState;
import smol.wire.EtherType;
import smol.wire.EthernetFrame;

/**
 * Fault injection as a setting of a running interface ({@link InterfaceRuntime#faults(FaultConfig)}):
 * switched on and off while a TCP connection carries data, kept across a change of device, and no link
 * change of its own. Two runtimes on the in-memory cable, real threads and the real clock.
 */
class RuntimeFaultsTest {
    private static final int BUFFER = 64 * 1024;
    private static final FaultConfig TEN_PERCENT_LOST = FaultConfig.NONE.withDropChance(0.10);
    private static final FaultConfig ALL_LOST = FaultConfig.NONE.withDropChance(1.0);

    @Test
    @Timeout(120)
    void tcpTransferKeepsItsConnectionAndDeliversByteExactWhenFaultsAreSwitchedOnAndOffMidTransfer()
            throws Exception {
        long total = 4L << 20;
        try (RuntimePair pair = new RuntimePair("faults-mid", 4, b -> b.faultSeed(42), d -> d)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7100), 1, BUFFER).get(0);
            BackgroundTransfer transfer = new BackgroundTransfer(c, 5, total);
            transfer.awaitReceived(total / 4);

            pair.a.faults(TEN_PERCENT_LOST);
            pair.b.faults(TEN_PERCENT_LOST);
            assertThat(pair.a.faults()).isEqualTo(TEN_PERCENT_LOST);
            long underFaults = transfer.received.get();
            transfer.awaitReceived(underFaults + total / 8);
            RuntimePair.awaitTrue(() -> dropped(pair.a) + dropped(pair.b) > 10, "frames lost");

            pair.a.faults(FaultConfig.NONE);
            pair.b.faults(null);
            assertThat(pair.a.faults()).isEqualTo(FaultConfig.NONE);
            transfer.join();

            assertThat(transfer.failure).isNull();
            assertThat(transfer.received.get()).isEqualTo(total);
            assertThat(transfer.firstMismatch).isEqualTo(-1);
            assertThat(c.client().state()).isNotEqualTo(TcpState.CLOSED);
            assertThat(c.client().close(PATIENCE)).isTrue();
            assertThat(c.server().close(PATIENCE)).isTrue();
            assertThat(c.client().closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
            assertThat(c.server().closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
            // Off again: the interface talks to its device directly.
            boolean direct = pair.a.withInterface(i -> i.device() == i.attachedDevice());
            assertThat(direct).isTrue();
        }
    }

    @Test
    @Timeout(60)
    void faultsStayInForceWhenTheDeviceIsDetachedAndANewOneAttached() throws Exception {
        try (RuntimePair pair = new RuntimePair("faults-swap", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7101), 1, BUFFER).get(0);
            pair.a.faults(ALL_LOST);

            Cable second = Cable.create(RuntimePair.QUEUE_FRAMES);
            Device first = pair.a.detach();
            pair.b.attach(second.b());
            assertThat(pair.a.attach(second.a())).isNull();
            assertThat(first).isNotNull();

            assertThat(pair.a.faults()).isEqualTo(ALL_LOST);
            Device attached = pair.a.withInterface(Interface::attachedDevice);
            Device path = pair.a.withInterface(Interface::device);
            assertThat(attached).isSameAs(second.a());
            assertThat(path).isInstanceOf(FaultInjector.class);
            long lostBefore = pair.a.withInterface(i -> pair.a.faultInjector().txDropped());
            c.client().write(new byte[] {1, 2, 3}, 0, 3);
            // The gratuitous ARPs of the attach and the data are lost on the new device as on the old one.
            RuntimePair.awaitTrue(() -> pair.a.withInterface(i -> pair.a.faultInjector().txDropped()) > lostBefore + 2,
                    "frames lost on the new device");
            Thread.sleep(300);
            assertThat(c.server().available()).isZero();

            pair.a.faults(FaultConfig.NONE);
            byte[] got = new byte[3];
            c.server().readTimeout(PATIENCE);
            assertThat(c.server().read(got, 0, 3)).isEqualTo(3);
            assertThat(got).containsExactly(1, 2, 3);
            assertThat(c.client().state()).isEqualTo(TcpState.ESTABLISHED);
            assertThat(pair.a.faultStatistics()).startsWith("fault injector: ").contains("tx dropped=");
        }
    }

    @Test
    @Timeout(60)
    void settingFaultsKeepsTheArpCacheAndTheDeviceAndSendsNoGratuitousArp() throws Exception {
        try (RuntimePair pair = new RuntimePair("faults-arp", 4)) {
            Connected c = RuntimePair.connect(pair.a, pair.b, atB(7102), 1, BUFFER).get(0);
            List<ArpEntry> before = pair.a.withInterface(Interface::arpTable);
            Device device = pair.a.withInterface(Interface::attachedDevice);
            AtomicLong arpsOut = new AtomicLong();
            FrameObserver countArps = (direction, buf, off, len, now) -> {
                EthernetFrame frame = new EthernetFrame().wrap(buf, off, len);
                if (direction == FrameDirection.OUT && frame.etherType() == EtherType.ARP) {
                    arpsOut.incrementAndGet();
                }
            };
            pair.a.withInterface(i -> {
                i.addObserver(countArps);
                return null;
            });

            pair.a.faults(FaultConfig.NONE.withTxRateLimit(100_000));
            pair.a.faults(FaultConfig.NONE.withTxRateLimit(50_000));
            c.client().write(new byte[] {9}, 0, 1);
            c.server().readTimeout(PATIENCE);
            assertThat(c.server().read(new byte[1], 0, 1)).isEqualTo(1);
            pair.a.faults(null);

            assertThat(before).isNotEmpty();
            assertThat(pair.a.withInterface(Interface::arpTable)).extracting(ArpEntry::address)
                    .containsAll(before.stream().map(ArpEntry::address).toList());
            Device after = pair.a.withInterface(Interface::attachedDevice);
            assertThat(after).isSameAs(device);
            assertThat(arpsOut.get()).as("gratuitous ARPs sent").isZero();
            assertThat(c.client().state()).isEqualTo(TcpState.ESTABLISHED);
        }
    }

    private static long dropped(InterfaceRuntime runtime) {
        return runtime.withInterface(i -> {
            FaultInjector injector = runtime.faultInjector();
            return injector == null ? 0 : injector.rxDropped() + injector.txDropped();
        });
    }
}
