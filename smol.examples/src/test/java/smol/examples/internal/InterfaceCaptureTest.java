package smol.examples.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smol.examples.Server;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.UdpEndpoint;
import smol.phy.Cable;
import smol.socket.SocketSet;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Cidr;
import smol.wire.PcapReader;
import smol.wire.PcapRecord;

/** The capture behind the tcpdump component, on a client runtime that asks smoltcp's server across a cable. */
class InterfaceCaptureTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final Cable cable = Cable.create(64);
    private final InterfaceRuntime server;
    private final InterfaceRuntime client;
    private final List<String> listing = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> summary = new CopyOnWriteArrayList<>();

    InterfaceCaptureTest() throws Exception {
        server = Server.run(cable.b());
        Interface iface = new Interface(InterfaceConfig.builder().mac(EthernetAddress.parse("02-00-00-00-00-02"))
                .address(Ipv4Cidr.parse("192.168.69.100/24")).build(), new SocketSet(8));
        client = InterfaceRuntime.builder(iface).name("client").build();
        client.attach(cable.a());
        client.start();
    }

    @AfterEach
    void stop() {
        client.stop();
        server.stop();
    }

    @Test
    void listsEachFrameInOneLineWithItsTimeAndDirectionAndEndsAfterItsCount() throws Exception {
        // A first exchange fills both neighbour caches, so that the listed one is exactly the datagram and its
        // answer: with ARP in the capture, a request repeated on a loaded machine would shift every line.
        askTheServer();
        try (InterfaceCapture capture = new InterfaceCapture(client, 2, 16, 1518, listing::add, null, warnings::add,
                summary::add)) {
            askTheServer();
            awaitEnd(capture);

            assertThat(listing).hasSize(2);
            assertThat(listing.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} out EthernetII .* \\| IPv4 .* \\| UDP src=40000 dst=6969 .*");
            assertThat(listing.get(1)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} in  EthernetII .* \\| IPv4 .* \\| UDP src=6969 dst=40000 .*");
            assertThat(listing).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
            assertThat(summary).containsExactly("tcpdump client: 2 frames listed, 0 dropped (queue full)");
            assertThat(warnings).isEmpty();
        }
    }

    @Test
    void writesTheFramesToAPcapFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.pcap");
        try (InterfaceCapture capture = new InterfaceCapture(client, 4, 16, 1518, null, file, warnings::add,
                summary::add)) {
            askTheServer();
            awaitEnd(capture);
        }

        int records = 0;
        try (InputStream in = Files.newInputStream(file); PcapReader reader = new PcapReader(in)) {
            for (PcapRecord r = reader.next(); r != null; r = reader.next()) {
                records++;
                assertThat(r.capturedLength()).isEqualTo(r.originalLength());
            }
            assertThat(reader.problem()).isNull();
        }
        assertThat(records).isEqualTo(4);
        assertThat(listing).isEmpty();
    }

    @Test
    void framesThatFindTheQueueFullAreDroppedAndReportedOnceTheListingCatchesUp() throws Exception {
        CountDownLatch slowListing = new CountDownLatch(1);
        try (InterfaceCapture capture = new InterfaceCapture(client, 0, 1, 1518, line -> {
            listing.add(line);
            awaitQuietly(slowListing); // the first listing stalls: the one-frame queue fills behind it
        }, null, warnings::add, summary::add)) {
            askTheServer(); // four frames at least: one listed, one queued, the rest dropped

            assertThat(capture.dropped()).isPositive();
            slowListing.countDown();
            long until = System.nanoTime() + PATIENCE.toNanos();
            while (warnings.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(warnings).first().asString()
                    .matches("tcpdump client: \\d+ frames dropped, the queue was full \\(\\d+ in all\\)");
            assertThat(listing.size() + capture.dropped()).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void closingEndsTheCaptureAndRemovesItsObserver() throws Exception {
        // A first exchange lets the interfaces' announcements (gratuitous ARP at attach) pass before the capture
        // opens: from then on the only frames are those after its close.
        askTheServer();
        InterfaceCapture capture = new InterfaceCapture(client, 0, 16, 1518, listing::add, null, warnings::add,
                summary::add);

        capture.close();
        askTheServer();

        assertThat(capture.ended()).isTrue();
        assertThat(listing).isEmpty();
        assertThat(summary).containsExactly("tcpdump client: 0 frames listed, 0 dropped (queue full)");
    }

    private void askTheServer() throws Exception {
        UdpEndpoint udp = client.udp(new UdpSocket(2, 256, 2, 256)).receiveTimeout(PATIENCE);
        udp.bind(40000);
        udp.send(new IpEndpoint(Ipv4Cidr.parse("192.168.69.1/24").address(), Server.PORT), "hi".getBytes(), 0, 2);
        udp.receive(new UdpDatagram(64));
        udp.close();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitEnd(InterfaceCapture capture) throws InterruptedException {
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (!capture.ended() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(capture.ended()).as("the capture ended after its count").isTrue();
    }
}
