package smol.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smol.phy.ChecksumCapabilities;
import smol.phy.DeviceCapabilities;
import smol.phy.PcapCapture;
import smol.socket.TcpSocket;
import smol.socket.TcpState;
import smol.wire.IpEndpoint;
import smol.wire.LinkType;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;
import smol.wire.PcapWriter;
import smol.wire.testing.Wireshark;

/**
 * A capture of one clean transfer, written by a {@link PcapCapture} on cable end A, read back by smol's
 * {@link PcapReader} and by tshark: every frame is there, at its virtual time, with good checksums,
 * and the TCP stream in it is the data that was sent.
 */
class CablePcapTest {
    private static final int SIZE = 1 << 20;
    private static final int SALT = 9;

    @TempDir
    Path dir;

    @Test
    void captureOfACleanTransferReadsBackWithGoodChecksumsInSmolAndTshark() throws IOException {
        Path file = dir.resolve("transfer.pcap");
        PcapCapture[] capture = new PcapCapture[1];
        PcapWriter writer = new PcapWriter(Files.newOutputStream(file));
        // checksums on, as a real link asks, so that the capture carries the ones tshark checks
        TwoStacks stacks = new TwoStacks(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.ALL),
                d -> capture[0] = new PcapCapture(d, writer), d -> d);
        TcpSocket server = new TcpSocket(65536, 65536);
        TcpSocket client = new TcpSocket(65536, 65536);
        stacks.socketsB.add(server);
        stacks.socketsA.add(client);
        server.listen(7777);
        client.connect(new IpEndpoint(Fixtures.IP_B, 7777), new IpEndpoint(Fixtures.IP_A, 40000));
        PatternStream.Reader reader = new PatternStream.Reader(server, SALT, true);
        stacks.application(new PatternStream.Writer(client, SALT, SIZE, true)).application(reader);
        stacks.runUntilOrFail(() -> client.state() == TcpState.TIME_WAIT && server.state() == TcpState.CLOSED,
                60_000_000, "closed");
        capture[0].close();

        assertThat(capture[0].failure()).isNull();
        assertThat(reader.received).isEqualTo(SIZE);
        InterfaceStatistics a = stacks.a.statistics();
        assertThat(capture[0].framesWritten()).isEqualTo(a.framesIn() + a.framesOut());

        // smol's reader: every frame in order, at its virtual time, TCP checksums good, the stream intact
        ByteArrayOutputStream stream = new ByteArrayOutputStream(SIZE);
        int records = 0;
        int tcpFrames = 0;
        long lastNanos = 0;
        try (InputStream in = Files.newInputStream(file); PcapReader pcap = new PcapReader(in)) {
            for (PcapRecord r = pcap.next(); r != null; r = pcap.next()) {
                records++;
                assertThat(r.linkType()).isEqualTo(LinkType.ETHERNET);
                assertThat(r.capturedLength()).isEqualTo(r.originalLength());
                assertThat(r.timestampNanos()).isGreaterThanOrEqualTo(lastNanos)
                        .isBetween(TwoStacks.START_MICROS * 1000, stacks.now * 1000);
                lastNanos = r.timestampNanos();
                byte[] frame = Arrays.copyOf(r.buffer(), r.capturedLength());
                if (TcpSegment.isTcp(frame)) {
                    tcpFrames++;
                    TcpSegment segment = TcpSegment.of(frame); // verifies the IPv4 and TCP checksums
                    if (segment.ip.src() == Fixtures.IP_A.bits()) {
                        stream.write(segment.payload); // a clean link: no retransmission, in order
                    }
                }
            }
            assertThat(pcap.problem()).isNull();
        }
        assertThat(records).isEqualTo(capture[0].framesWritten());
        assertThat(TwoStacks.START_MICROS * 1000).as("the first frame, A's announcement").isEqualTo(firstTimestamp(file));
        byte[] sent = stream.toByteArray();
        assertThat(sent).hasSize(SIZE);
        for (int i = 0; i < SIZE; i++) {
            if (sent[i] != PatternStream.at(SALT, i)) {
                throw new AssertionError("captured stream differs at byte " + i);
            }
        }

        // tshark: one line per frame, "1" (good) for each TCP checksum, nothing for the ARP frames
        List<String> status = Wireshark.tsharkReadsCleanly(file, "-o", "tcp.check_checksum:TRUE", "-T", "fields",
                "-e", "tcp.checksum.status");
        assertThat(status).hasSize(records);
        assertThat(status.stream().filter(line -> !line.isEmpty())).hasSize(tcpFrames).containsOnly("1");
        List<String> ipStatus = Wireshark.tsharkReadsCleanly(file, "-o", "ip.check_checksum:TRUE", "-Y", "ip", "-T", "fields",
                "-e", "ip.checksum.status");
        assertThat(ipStatus).hasSize(tcpFrames).containsOnly("1");
        // and its TCP analysis finds no loss, retransmission, duplicate ACK or disorder in the stream
        List<String> trouble = Wireshark.tsharkReadsCleanly(file, "-Y", "tcp.analysis.retransmission || tcp.analysis.lost_segment"
                + " || tcp.analysis.duplicate_ack || tcp.analysis.out_of_order || tcp.analysis.ack_lost_segment");
        assertThat(trouble).isEmpty();
    }

    private static long firstTimestamp(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); PcapReader pcap = new PcapReader(in)) {
            return pcap.next().timestampNanos();
        }
    }
}
