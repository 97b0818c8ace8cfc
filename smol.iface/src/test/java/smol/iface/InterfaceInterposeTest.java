package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.frame;

import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.phy.FaultConfig;
import smol.phy.FaultInjector;

/**
 * A wrapper {@linkplain Interface#interpose interposed} between the interface and its device, on the
 * virtual clock: no link change of its own, and it stays in place while devices come and go.
 */
class InterfaceInterposeTest {
    private static final int IP_A = Fixtures.IP_A.bits();

    @Test
    void interposingAndRemovingAFaultInjectorKeepsTheArpCacheAndSendsNoAnnouncement() {
        Rig rig = new Rig();
        rig.iface.arpCache().fill(IP_A, Fixtures.MAC_A.bits(), rig.now);
        FaultInjector injector = new FaultInjector(null, FaultConfig.NONE, 1);

        rig.iface.interpose(injector);
        rig.poll();
        assertThat(rig.device.takeTransmitted()).as("announcements").isEmpty();
        assertThat(rig.iface.device()).isSameAs(injector);
        assertThat(rig.iface.attachedDevice()).isSameAs(rig.device);
        assertThat(injector.device()).isSameAs(rig.device);

        rig.iface.interpose(null);
        rig.poll();
        assertThat(rig.device.takeTransmitted()).as("announcements").isEmpty();
        assertThat(rig.iface.device()).isSameAs(rig.device);
        assertThat(injector.device()).as("the injector let go of the device").isNull();
        assertThat(rig.iface.arpCache().lookup(IP_A, rig.now)).isEqualTo(Fixtures.MAC_A.bits());
    }

    @Test
    void anInterposedInjectorWrapsEveryDeviceAttachedLaterAndDetachReturnsTheBareDevice() {
        Rig rig = new Rig();
        FaultInjector injector = new FaultInjector(null, FaultConfig.NONE.withDropChance(1.0), 1);
        rig.iface.interpose(injector);

        assertThat(rig.iface.detach()).isSameAs(rig.device);
        assertThat(injector.device()).isNull();
        RecordingDevice second = new RecordingDevice();
        rig.iface.attach(second);
        assertThat(rig.iface.device()).isSameAs(injector);
        assertThat(injector.device()).isSameAs(second);

        second.inject(frame("icmp.pcap", 1));
        rig.poll();
        assertThat(second.takeTransmitted()).as("everything lost, the announcement too").isEmpty();
        assertThat(injector.txDropped()).isPositive();
        assertThat(injector.rxDropped()).isEqualTo(1);
    }

    @Test
    void anInterposedFaultInjectorMakesTheInterfaceFillEveryChecksumAndRemovingItLeavesThemToTheDevice() {
        DeviceCapabilities offloading = DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE);
        Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).build(),
                new RecordingDevice(offloading));
        FaultInjector injector = new FaultInjector(null, FaultConfig.NONE, 1);

        rig.iface.interpose(injector);
        byte[] filled = rig.receive(frame("icmp.pcap", 1)).get(0);
        rig.iface.interpose(null);
        byte[] offloaded = rig.receive(frame("icmp.pcap", 1)).get(0);

        assertThat(ipv4Checksum(filled)).as("filled by the stack, corruption must be caught").isNotZero();
        assertThat(ipv4Checksum(offloaded)).as("left to the device").isZero();
    }

    /** The IPv4 header checksum of an Ethernet frame (RFC 791: bytes 10-11 of the header). */
    private static int ipv4Checksum(byte[] frame) {
        return (frame[14 + 10] & 0xff) << 8 | (frame[14 + 11] & 0xff);
    }
}
