package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.phy.FaultConfig;
import smol.phy.FaultInjector;
import smol.phy.PcapCapture;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.wire.IpEndpoint;
import smol.wire.PcapReader;
import smol.wire.PcapWriter;

/**
 * A capture and a fault injector put in front of an interface's device stay in place while the
 * device underneath goes away and comes back (a phy bundle stopped and started): the interface and
 * its TCP connection carry on, and the capture and the injector keep counting across the gap.
 */
class DeviceSwapTest {
    private static final int HALF_MIB = 1 << 19;
    private static final IpEndpoint SERVER = new IpEndpoint(Fixtures.IP_B, 7777);
    private static final IpEndpoint CLIENT = new IpEndpoint(Fixtures.IP_A, 40000);

    @Test
    void captureAndFaultInjectorSurviveTheDeviceGoingAwayAndComingBack() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        PcapWriter writer = new PcapWriter(file);
        FaultInjector[] injector = new FaultInjector[1];
        PcapCapture[] capture = new PcapCapture[1];
        TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.ALL),
                d -> capture[0] = new PcapCapture(injector[0] = new FaultInjector(d, FaultConfig.NONE, 7),
                        writer),
                d -> d);
        TcpSocket server = new TcpSocket(4096, 4096);
        TcpSocket client = new TcpSocket(4096, 4096);
        stacks.open(client, CLIENT, server, SERVER);
        PatternStream.Writer sender = new PatternStream.Writer(client, 3, HALF_MIB, true);
        PatternStream.Reader reader = new PatternStream.Reader(server, 3, true);
        stacks.application(sender).application(reader);

        stacks.runUntilOrFail(() -> reader.received >= HALF_MIB / 4, 10_000_000, "a quarter delivered");
        long capturedBefore = capture[0].framesWritten();
        // The device goes away under the injector: the interface still holds the same capture → injector chain.
        injector[0].detach();
        stacks.runTo(stacks.now + 3_000_000);
        long receivedDuringGap = reader.received;
        assertThat(capture[0].framesWritten()).as("nothing goes out while there is no device").isEqualTo(capturedBefore);

        injector[0].attach(stacks.linkA);
        stacks.runUntilOrFail(() -> !client.isOpen() && !server.isOpen(), 120_000_000, "closed");

        assertThat(reader.received).isEqualTo(HALF_MIB);
        assertThat(reader.firstMismatch).isEqualTo(-1);
        assertThat(receivedDuringGap).isLessThan(HALF_MIB);
        assertThat(client.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        assertThat(server.closeReason()).isEqualTo(TcpCloseReason.GRACEFUL);
        // while the device was away the injector refused every frame, and the sockets kept their data
        assertThat(stacks.a.statistics().drops(IfaceDrop.DEVICE_BUSY)).as("sends refused in the gap").isPositive();
        assertThat(stacks.a.device()).isSameAs(capture[0]);

        capture[0].flush();
        long frames = 0;
        try (PcapReader in = new PcapReader(new ByteArrayInputStream(file.toByteArray()))) {
            while (in.next() != null) {
                frames++;
            }
        }
        assertThat(frames).isEqualTo(capture[0].framesWritten()).isGreaterThan(capturedBefore);
    }
}
