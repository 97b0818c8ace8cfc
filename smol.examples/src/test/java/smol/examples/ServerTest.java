package smol.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.iface.InterfaceRuntime;
import smol.iface.TcpConnection;
import smol.iface.UdpEndpoint;
import smol.phy.Cable;
import smol.socket.EchoReply;
import smol.socket.IcmpSocket;
import smol.socket.SocketSet;
import smol.socket.UdpDatagram;
import smol.socket.UdpSocket;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/** smoltcp's server example on the runtime, asked by a client stack across the in-memory cable. */
class ServerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Ipv4Address SERVER = Ipv4Address.parse("192.168.69.1");

    private final Cable cable = Cable.create(64);
    private final InterfaceRuntime server;
    private final InterfaceRuntime client;

    ServerTest() throws Exception {
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
    void udpPort6969AnswersYoDawg() throws Exception {
        UdpEndpoint udp = client.udp(new UdpSocket(2, 256, 2, 256)).receiveTimeout(PATIENCE);
        udp.bind(40000);

        udp.send(new IpEndpoint(SERVER, Server.PORT), "hello".getBytes(), 0, 5);
        UdpDatagram answer = udp.receive(new UdpDatagram(64));

        assertThat(new String(answer.buffer(), 0, answer.length(), StandardCharsets.US_ASCII)).isEqualTo("yo dawg");
        assertThat(answer.source()).isEqualTo(new IpEndpoint(SERVER, Server.PORT));
    }

    @Test
    void tcpPort6969AnswersEachChunkReversedWithoutItsNewlines() throws Exception {
        TcpConnection connection = client.tcp(256, 256).readTimeout(PATIENCE);
        connection.connect(new IpEndpoint(SERVER, Server.PORT), PATIENCE);
        BufferedReader lines = new BufferedReader(new InputStreamReader(connection.inputStream(),
                StandardCharsets.US_ASCII));

        connection.write("hello\n".getBytes(), 0, 6);
        assertThat(lines.readLine()).isEqualTo("olleh");
        connection.write("smoltcp".getBytes(), 0, 7);
        assertThat(lines.readLine()).isEqualTo("pctloms");
        connection.close();
    }

    @Test
    void closingTheServerResetsTheConnectionsItServes() throws Exception {
        Server second = new Server(server.scope("second"), 7000);
        TcpConnection connection = client.tcp(256, 256).readTimeout(PATIENCE);
        connection.connect(new IpEndpoint(SERVER, 7000), PATIENCE);
        BufferedReader lines = new BufferedReader(new InputStreamReader(connection.inputStream(),
                StandardCharsets.US_ASCII));
        connection.write("abc\n".getBytes(), 0, 4);
        assertThat(lines.readLine()).isEqualTo("cba");

        second.close();

        assertThatThrownBy(lines::readLine).isInstanceOf(SocketException.class).hasMessageContaining("reset");
    }

    @Test
    void theServersInterfaceAnswersPing() throws Exception {
        IcmpSocket ping = new IcmpSocket(2, 2, 64);
        ping.bind(0x5a5a);
        client.withSockets(set -> set.add(ping));
        client.withSockets(set -> ping.sendEcho(SERVER.bits(), 1, 56));

        EchoReply reply = new EchoReply();
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (client.withSockets(set -> ping.recv(reply)) == 0 && System.nanoTime() < until) {
            Thread.sleep(1);
        }

        assertThat(reply.source()).isEqualTo(SERVER.bits());
        assertThat(reply.seq()).isEqualTo(1);
        assertThat(reply.isUnreachable()).isFalse();
    }

    @Test
    void theReadmeShowsTheServersCodeAsItIs() throws Exception {
        String source = Files.readString(Path.of("src/main/java/smol/examples/Server.java"));
        String readme = Files.readString(Path.of("../README.md"));
        Matcher region = Pattern.compile("// README-BEGIN\n(.*?)\n\\s*// README-END", Pattern.DOTALL).matcher(source);
        int regions = 0;
        while (region.find()) {
            regions++;
            assertThat(readme).contains(region.group(1).replaceAll("(?m)^ {8}", ""));
        }
        assertThat(regions).isEqualTo(2);
    }
}
