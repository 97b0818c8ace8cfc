package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.iface.Fixtures.frame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The poll loop: bounded work per call, dispatch, the deadline it returns, link up and down, observers. */
class InterfacePollTest {
    private static final int IP_A = Fixtures.IP_A.bits();

    @Test
    void idleInterfaceNeedsNoPoll() {
        Rig rig = new Rig();

        assertThat(rig.poll()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void deadlineIsTheEarliestSocketDeadline() {
        Rig rig = new Rig();
        rig.add(new TestSockets.Timer(rig.now + 500)).add(new TestSockets.Timer(rig.now + 300));

        assertThat(rig.poll()).isEqualTo(rig.now + 300);
    }

    @Test
    void overdueSocketMakesTheDeadlineNow() {
        Rig rig = new Rig();
        rig.add(new TestSockets.Timer(rig.now - 10));

        assertThat(rig.poll()).isEqualTo(rig.now);
    }

    @Test
    void everySocketIsDispatchedOncePerPoll() {
        Rig rig = new Rig();
        TestSockets.UdpSender a = new TestSockets.UdpSender();
        TestSockets.UdpSender b = new TestSockets.UdpSender();
        rig.add(a).add(b);

        rig.poll();
        rig.poll();

        assertThat(a.dispatches).isEqualTo(2);
        assertThat(b.dispatches).isEqualTo(2);
    }

    @Test
    void floodIsProcessedAFewFramesPerPollAndTheDeadlineSaysMoreIsWaiting() {
        Rig rig = new Rig(Fixtures.builder().mac(Fixtures.MAC_B).address(Fixtures.CIDR_B).framesPerPoll(2)
                .build(), new RecordingDevice());
        TestSockets.UdpSender socket = new TestSockets.UdpSender();
        rig.add(socket);
        for (int i = 0; i < 5; i++) {
            rig.device.inject(frame("icmp.pcap", 1));
        }

        assertThat(rig.poll()).isEqualTo(rig.now);
        assertThat(rig.device.waiting()).isEqualTo(3);
        assertThat(socket.dispatches).isEqualTo(1); // the sockets had their turn despite the flood
        assertThat(rig.poll()).isEqualTo(rig.now); // the bound was hit again: the device may hold more
        assertThat(rig.poll()).isEqualTo(Long.MAX_VALUE); // the last frame, and the device said no more
        assertThat(rig.device.takeTransmitted()).hasSize(5);
    }

    @Test
    void socketWaitingForANeighbourPollsAtTheEndOfTheArpSilence() {
        Rig rig = new Rig();
        rig.add(new TestSockets.UdpSender().to(IP_A, 1, 2, new byte[1]));

        assertThat(rig.poll()).isEqualTo(rig.now + 1_000_000);
    }

    @Test
    void withoutDeviceNothingIsDispatchedAndSocketsStay() {
        Rig rig = new Rig();
        TestSockets.UdpSender socket = new TestSockets.UdpSender();
        rig.add(socket);
        RecordingDevice device = rig.device;

        assertThat(rig.iface.detach()).isSameAs(device);
        assertThat(rig.iface.isLinkUp()).isFalse();
        assertThat(rig.poll()).isEqualTo(Long.MAX_VALUE);
        assertThat(socket.dispatches).isZero();

        rig.iface.attach(device);
        rig.poll();
        assertThat(socket.dispatches).isEqualTo(1);
        assertThat(rig.sockets.size()).isEqualTo(1);
    }

    @Test
    void attachingAnotherDeviceReplacesTheFirst() {
        Rig rig = new Rig();
        RecordingDevice second = new RecordingDevice();

        rig.iface.attach(second);
        second.inject(frame("icmp.pcap", 1));
        rig.poll();

        assertThat(rig.iface.device()).isSameAs(second);
        assertThat(second.takeTransmitted()).hasSize(2); // the announcement, then the echo reply
        assertThat(rig.device.takeTransmitted()).isEmpty();
    }

    @Test
    void observersSeeEveryFrameInAndOutUntilRemoved() {
        Rig rig = new Rig();
        List<String> seen = new ArrayList<>();
        FrameObserver observer = (direction, buf, off, len, now) ->
                seen.add(direction + " " + len + " " + now + " " + Fixtures.hex(java.util.Arrays.copyOfRange(buf, off, off + len)));
        rig.iface.addObserver(observer);

        rig.receive(frame("arp.pcap", 1));

        assertThat(seen).containsExactly(
                "IN 42 " + rig.now + " " + Fixtures.hex(frame("arp.pcap", 1)),
                "OUT 42 " + rig.now + " " + Fixtures.hex(frame("arp.pcap", 2)));

        assertThat(rig.iface.removeObserver(observer)).isTrue();
        assertThat(rig.iface.removeObserver(observer)).isFalse();
        rig.receive(frame("arp.pcap", 1));
        assertThat(seen).hasSize(2);
    }

    @Test
    void observersDoNotSeeFramesTheDeviceRefused() {
        Rig rig = new Rig();
        List<FrameDirection> seen = new ArrayList<>();
        rig.iface.addObserver((direction, buf, off, len, now) -> seen.add(direction));
        rig.device.refuseTransmit(true);

        rig.receive(frame("arp.pcap", 1));

        assertThat(seen).containsExactly(FrameDirection.IN);
    }

    @Test
    void statisticsCountFramesAndBytes() {
        Rig rig = new Rig();
        long outBefore = rig.stats().framesOut();

        rig.receive(frame("icmp.pcap", 1));

        assertThat(rig.stats().framesIn()).isEqualTo(1);
        assertThat(rig.stats().bytesIn()).isEqualTo(98);
        assertThat(rig.stats().framesOut()).isEqualTo(outBefore + 1);
        assertThat(rig.stats().toString()).contains("in=1/98B", "echo.answered=1");
    }
}
