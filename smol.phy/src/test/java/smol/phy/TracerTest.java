package smol.phy;

import static org.assertj.core.api.Assertions.assertThat;
import static smol.phy.Frames.numbered;
import static smol.phy.Frames.receive;
import static smol.phy.Frames.udp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracerTest {
    private final List<String> lines = new ArrayList<>();

    @Test
    void eachTransmittedAndReceivedFrameIsListedWithDirectionAndTime() {
        LoopbackDevice loopback = new LoopbackDevice(2);
        Tracer tracer = new Tracer(loopback, lines::add);
        byte[] frame = udp("yo dawg".getBytes(StandardCharsets.US_ASCII));
        assertThat(tracer.transmit(frame, 0, frame.length, 1_000_250)).isTrue();
        assertThat(receive(tracer, 62_000_000_007L)).isEqualTo(frame);
        assertThat(lines).containsExactly("""
                tx 1.000250 EthernetII src=02-00-00-00-00-01 dst=02-00-00-00-00-02 type=ipv4
                              IPv4 src=10.99.0.1 dst=10.99.0.2 proto=udp ttl=64 id=0 len=15
                                UDP src=53 dst=6969 len=7""", """
                rx 62000.000007 EthernetII src=02-00-00-00-00-01 dst=02-00-00-00-00-02 type=ipv4
                                  IPv4 src=10.99.0.1 dst=10.99.0.2 proto=udp ttl=64 id=0 len=15
                                    UDP src=53 dst=6969 len=7""");
    }

    @Test
    void aFrameThatIsNotEthernetIsListedAsSuch() {
        LoopbackDevice loopback = new LoopbackDevice(2);
        Tracer tracer = new Tracer(loopback, lines::add);
        tracer.transmit(numbered(0, 5), 0, 5, 0);
        assertThat(lines).containsExactly("tx 0.000000 (too short for Ethernet: 5 bytes)");
    }

    @Test
    void refusedTransmitsAndEmptyReceivesAreNotListed() {
        LoopbackDevice loopback = new LoopbackDevice(1);
        Tracer tracer = new Tracer(loopback, lines::add);
        tracer.transmit(numbered(1, 60), 0, 60, 0);
        tracer.transmit(numbered(2, 60), 0, 60, 0);
        receive(tracer, 0);
        receive(tracer, 0);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("tx 0.000000 ");
        assertThat(lines.get(1)).startsWith("rx 0.000000 ");
    }

    @Test
    void theTracerGoesOnAcrossDevicesAndKeepsTheirCapabilities() {
        Tracer tracer = new Tracer(null, lines::add);
        assertThat(tracer.transmit(numbered(1, 60), 0, 60, 0)).isFalse();
        assertThat(tracer.receive(new byte[100], 0, 0)).isZero();
        LoopbackDevice loopback = new LoopbackDevice(DeviceCapabilities.ethernet(9000, ChecksumCapabilities.NONE), 1);
        tracer.attach(loopback);
        assertThat(tracer.capabilities()).isSameAs(loopback.capabilities());
        tracer.transmit(numbered(1, 60), 0, 60, 3);
        assertThat(lines).hasSize(1);
    }
}
