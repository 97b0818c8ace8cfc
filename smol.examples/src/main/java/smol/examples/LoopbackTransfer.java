package smol.examples;

import smol.iface.IfaceDrop;
import smol.iface.Interface;
import smol.iface.InterfaceConfig;
import smol.phy.Cable;
import smol.phy.ChecksumCapabilities;
import smol.phy.Device;
import smol.phy.DeviceCapabilities;
import smol.phy.FaultConfig;
import smol.phy.FaultInjector;
import smol.phy.InMemoryDevice;
import smol.phy.LoopbackDevice;
import smol.socket.SocketSet;
import smol.socket.TcpCloseReason;
import smol.socket.TcpSocket;
import smol.socket.driver.InitialSequence;
import smol.wire.EthernetAddress;
import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;
import smol.wire.Ipv4Cidr;

/**
 * One bulk TCP transfer inside the process, as smoltcp's {@code loopback_benchmark}: a client socket
 * sends {@link Settings#bytes()} bytes of a {@link StreamPattern} to a server socket that checks every
 * byte. Either one interface (127.0.0.1/8) on one {@link LoopbackDevice} holds both sockets, or two
 * interfaces (10.0.0.1/24 and 10.0.0.2/24) are joined by a {@link Cable} and polled in turn; with fault
 * chances the device(s) are wrapped in a {@link FaultInjector} with a fixed seed.
 *
 * <p>Time: the interfaces are polled with a {@link TransferClock}. Without faults it follows the wall
 * clock, and the throughput is bytes over wall time. With faults it is virtual, so that a seeded run is
 * the same run every time (the same segments, losses and times, whatever the machine's speed): it
 * advances only as the interfaces send bytes, at a modelled 10 Gbit/s link rate, and the throughput is
 * bytes over that virtual time. On both, when nothing can happen before the next timer (no frame in
 * flight, nothing for the application to do) the clock jumps to that timer instead of waiting: a
 * retransmission after a lost frame costs no wall time. Without faults it never jumps.
 *
 * <p>Failure: the transfer stops when a byte differs, a connection ends, or it stalls (nothing in flight
 * and no timer pending, or {@link #STALL_ROUNDS} poll rounds in a row without a byte received or
 * accepted for sending: a count of rounds, not wall time, so that a fault run stalls deterministically
 * too). Its {@link Result} then says why, with everything counted up to that point.
 *
 * <p>Allocation: the bytes the polling thread allocates are read around the steady state, the transfer
 * after its first eighth (the setup, the handshake and the JIT's warm-up left out).
 *
 * <p>Not thread-safe; one transfer per object, run once on the calling thread.
 */
final class LoopbackTransfer {
    /** The server's port, as smoltcp's example. */
    static final int SERVER_PORT = 1234;
    /** The client's port, as smoltcp's example. */
    static final int CLIENT_PORT = 65000;
    /** The socket ring sizes, as smoltcp's example: 64 KiB each way. */
    static final int BUFFER_BYTES = 65536;
    /** The IP MTU that makes frames of up to 65535 bytes, as smoltcp's {@code Loopback} device. */
    static final int DEFAULT_MTU = 65535 - DeviceCapabilities.ETHERNET_HEADER_LEN;
    /** The fault injectors' seed: a run with faults is the same run every time. */
    static final long FAULT_SEED = 0x5eed;
    /**
     * Poll rounds in a row without a byte received or accepted for sending after which the transfer is
     * declared stalled. A healthy transfer makes progress every few rounds (a round with nothing in
     * flight jumps to the next timer), and a round takes microseconds, so a stall is reported within
     * about a second of wall time.
     */
    static final int STALL_ROUNDS = 100_000;

    private static final EthernetAddress CLIENT_MAC = EthernetAddress.parse("02-00-00-00-00-01");
    private static final EthernetAddress SERVER_MAC = EthernetAddress.parse("02-00-00-00-00-02");
    private static final Ipv4Cidr LOCALHOST = Ipv4Cidr.parse("127.0.0.1/8");
    private static final Ipv4Cidr CLIENT_CIDR = Ipv4Cidr.parse("10.0.0.1/24");
    private static final Ipv4Cidr SERVER_CIDR = Ipv4Cidr.parse("10.0.0.2/24");

    /**
     * What to run.
     *
     * @param bytes the bytes to move, at least 1
     * @param mtu the devices' IP MTU, 68..65535 ({@link #DEFAULT_MTU} makes 65535-byte frames)
     * @param checksums true: the devices declare {@link ChecksumCapabilities#ALL} (the stack fills and
     *     verifies every checksum); false: {@link ChecksumCapabilities#NONE}; forced true with faults
     * @param cable true: two interfaces joined by a cable; false: one interface on a loopback device
     * @param dropChance chance of losing each frame in each direction, 0..1
     * @param corruptChance chance of corrupting one octet of each frame in each direction, 0..1
     */
    record Settings(long bytes, int mtu, boolean checksums, boolean cable, double dropChance, double corruptChance) {
        /** Checks the ranges; see the parameters. */
        Settings {
            if (bytes < 1) {
                throw new IllegalArgumentException("bytes must be at least 1: " + bytes);
            }
            if (mtu < 68 || mtu > 65535) {
                throw new IllegalArgumentException("MTU must be within 68..65535: " + mtu);
            }
            if (!(dropChance >= 0 && dropChance <= 1)) {
                throw new IllegalArgumentException("drop chance must be within 0..1: " + dropChance);
            }
            if (!(corruptChance >= 0 && corruptChance <= 1)) {
                throw new IllegalArgumentException("corrupt chance must be within 0..1: " + corruptChance);
            }
            if (dropChance > 0 || corruptChance > 0) {
                checksums = true; // a corrupted frame must be caught by a checksum
            }
        }

        /** smoltcp's settings: 1 GiB, frames up to 65535 bytes, no checksums, one loopback device. */
        static Settings defaults() {
            return new Settings(1L << 30, DEFAULT_MTU, false, false, 0, 0);
        }

        boolean faults() {
            return dropChance > 0 || corruptChance > 0;
        }
    }

    /**
     * What a transfer measured, completed or not.
     *
     * @param failure why the transfer did not complete (a byte differed, a connection ended, it
     *     stalled), or null when every byte arrived
     * @param bytes the bytes moved and verified
     * @param wallNanos the wall time from the first poll to the last byte verified (or the failure)
     * @param clockMicros the time on the transfer's clock at that point, skipped idle waiting included
     * @param virtualClock true when that clock was virtual (a run with faults), false when it followed
     *     the wall clock
     * @param steadyBytes the bytes moved while allocation was measured (0: the transfer ended before its
     *     steady state)
     * @param steadyAllocated the bytes the thread allocated meanwhile, or -1 when not measured (the JVM
     *     cannot tell, or no meter was given)
     * @param skippedMicros the idle waiting skipped on the clock
     * @param clientSegments the segments the client sent
     * @param clientRetransmissions the client's retransmissions
     * @param serverSegments the segments the server sent
     * @param serverRetransmissions the server's retransmissions
     * @param framesLost frames the fault injectors lost (both directions, all devices)
     * @param framesCorrupted frames the fault injectors corrupted
     * @param badChecksums frames the interfaces dropped for a bad checksum
     * @param devicesBusy sends the interfaces dropped because a device queue was full
     */
    record Result(String failure, long bytes, long wallNanos, long clockMicros, boolean virtualClock,
            long steadyBytes, long steadyAllocated, long skippedMicros,
            long clientSegments, long clientRetransmissions, long serverSegments, long serverRetransmissions,
            long framesLost, long framesCorrupted, long badChecksums, long devicesBusy) {

        /** Returns true when every byte arrived byte-exact. */
        boolean completed() {
            return failure == null;
        }

        /**
         * Returns the throughput in gigabits (10^9 bits) per second: over the virtual time for a
         * virtual clock, over the wall time otherwise.
         */
        double gbps() {
            long nanos = virtualClock ? clockMicros * 1000 : wallNanos;
            return bytes * 8.0 / Math.max(1, nanos);
        }

        /** Returns the bytes allocated per MiB moved in the steady state, or -1 when unknown. */
        long allocatedPerMiB() {
            if (steadyAllocated < 0 || steadyBytes == 0) {
                return -1;
            }
            return Math.round(steadyAllocated * 1048576.0 / steadyBytes);
        }
    }

    /** Why a transfer did not complete: a stall, a byte that differs, or a connection that ended. */
    private static final class TransferFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        TransferFailedException(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final StreamPattern pattern;
    private final byte[] receiveBuffer = new byte[StreamPattern.MAX_STRETCH];

    private final Interface clientInterface;
    /** The server's interface: the client's own on a loopback, the other end's on a cable. */
    private final Interface serverInterface;
    private final InMemoryDevice[] links;
    private final FaultInjector[] injectors;
    private final TcpSocket server;
    private final TcpSocket client;

    private final TransferClock clock;
    private long sent;
    private long received;
    /** The bytes received when allocation began to be measured, or -1 before. */
    private long steadyStartBytes = -1;
    private long steadyStartAllocated;

    /** Builds the interfaces, devices and sockets for {@code settings}, with a pattern made before. */
    LoopbackTransfer(Settings settings, StreamPattern pattern) {
        this.settings = settings;
        this.pattern = pattern;
        this.clock = settings.faults() ? TransferClock.virtual() : TransferClock.wall();
        DeviceCapabilities capabilities = DeviceCapabilities.ethernet(settings.mtu(),
                settings.checksums() ? ChecksumCapabilities.ALL : ChecksumCapabilities.NONE);
        int queueFrames = queueFrames(settings.mtu());
        server = new TcpSocket(BUFFER_BYTES, BUFFER_BYTES);
        client = new TcpSocket(BUFFER_BYTES, BUFFER_BYTES);
        if (settings.cable()) {
            Cable cable = Cable.create(capabilities, queueFrames);
            links = new InMemoryDevice[] {cable.a(), cable.b()};
            SocketSet clientSockets = new SocketSet(1);
            SocketSet serverSockets = new SocketSet(1);
            clientSockets.add(client);
            serverSockets.add(server);
            clientInterface = new Interface(config(CLIENT_MAC, CLIENT_CIDR, 2), clientSockets);
            serverInterface = new Interface(config(SERVER_MAC, SERVER_CIDR, 1), serverSockets);
        } else {
            links = new InMemoryDevice[] {new LoopbackDevice(capabilities, queueFrames)};
            SocketSet sockets = new SocketSet(2);
            sockets.add(server);
            sockets.add(client);
            clientInterface = new Interface(config(CLIENT_MAC, LOCALHOST, 1), sockets);
            serverInterface = clientInterface;
        }
        injectors = new FaultInjector[settings.faults() ? links.length : 0];
        FaultConfig faults = FaultConfig.NONE.withDropChance(settings.dropChance())
                .withCorruptChance(settings.corruptChance());
        for (int i = 0; i < injectors.length; i++) {
            injectors[i] = new FaultInjector(links[i], faults, FAULT_SEED + i);
        }
        clientInterface.attach(device(0));
        if (settings.cable()) {
            serverInterface.attach(device(1));
        }
    }

    /** The address the client connects to: the server interface's. */
    Ipv4Address serverAddress() {
        return serverInterface.addresses().get(0).address();
    }

    /** Returns the devices' capabilities, as the interfaces see them. */
    DeviceCapabilities capabilities() {
        return device(0).capabilities();
    }

    /** Returns the frames each device queue holds. */
    int queueFrames() {
        return queueFrames(settings.mtu());
    }

    /**
     * Room for a full window of data segments and their ACKs, both ways on a loopback, plus slack: a
     * full queue never loses data (the send is refused and retried) but costs a poll.
     */
    static int queueFrames(int mtu) {
        int segments = BUFFER_BYTES / (mtu - 40) + 1;
        return 2 * segments + 16;
    }

    private Device device(int i) {
        return injectors.length > 0 ? injectors[i] : links[i];
    }

    /** An interface's configuration; its ISNs come from a fixed key, so that a seeded run repeats exactly. */
    private static InterfaceConfig config(EthernetAddress mac, Ipv4Cidr address, long isnKey) {
        return InterfaceConfig.builder().mac(mac).address(address)
                .initialSequence(InitialSequence.keyed(0x736d6f6cL, isnKey)).build();
    }

    /**
     * Moves the bytes and returns what it measured: {@link Result#completed()} when every byte arrived,
     * else the reason it stopped (a byte differs, a connection ends, or it stalls; see the class
     * comment). {@code meter} null: allocation is not measured.
     */
    Result run(AllocationMeter meter) {
        // Load the class used after the loop now: loaded inside the measured window (the JIT's
        // deoptimization at the loop's exit loads it early) its bytes would count as allocation.
        loaded(Result.class);
        long wallStart = System.nanoTime();
        clock.start();
        String failure = null;
        try {
            transfer(meter);
        } catch (TransferFailedException e) {
            failure = e.getMessage();
        }
        long steadyAllocated = meter == null ? -1
                : steadyStartBytes < 0 ? 0 : meter.allocatedBytes() - steadyStartAllocated;
        long wallNanos = System.nanoTime() - wallStart;
        return new Result(failure, received, wallNanos, now(), clock.isVirtual(),
                steadyStartBytes < 0 ? 0 : received - steadyStartBytes, steadyAllocated, clock.skippedMicros(),
                client.counters().packetsOut(), client.counters().retransmissions(),
                server.counters().packetsOut(), server.counters().retransmissions(), framesLost(),
                framesCorrupted(), drops(IfaceDrop.BAD_CHECKSUM), drops(IfaceDrop.DEVICE_BUSY));
    }

    private void transfer(AllocationMeter meter) throws TransferFailedException {
        long total = settings.bytes();
        long steadyFrom = total / 8;
        server.listen(SERVER_PORT);
        client.connect(new IpEndpoint(serverAddress(), SERVER_PORT),
                new IpEndpoint(Ipv4Address.UNSPECIFIED, CLIENT_PORT));
        byte[] source = pattern.bytes();
        int roundsWithoutProgress = 0;
        while (received < total) {
            long now = now();
            long next = clientInterface.poll(now);
            if (serverInterface != clientInterface) {
                next = Math.min(next, serverInterface.poll(now));
            }
            boolean progress = false;
            int n;
            while ((n = server.recv(receiveBuffer, 0, receiveBuffer.length)) > 0) {
                int bad = pattern.mismatch(received, receiveBuffer, 0, n);
                if (bad >= 0) {
                    long at = received + bad;
                    received += bad; // the bytes before it were right
                    throw new TransferFailedException("byte " + at + " of the stream differs: expected "
                            + pattern.byteAt(at) + ", received " + (receiveBuffer[bad] & 0xff));
                }
                received += n;
                progress = true;
            }
            if (n < 0 && received < total) {
                throw ended("server", server);
            }
            while (sent < total && client.canSend()) {
                int k = client.send(source, StreamPattern.offsetOf(sent),
                        (int) Math.min(total - sent, StreamPattern.MAX_STRETCH));
                sent += k;
                progress |= k > 0;
            }
            if (client.closeReason() != TcpCloseReason.NONE) {
                throw ended("client", client);
            }
            if (progress) {
                roundsWithoutProgress = 0;
                if (steadyStartBytes < 0 && received >= steadyFrom && meter != null) {
                    steadyStartBytes = received;
                    steadyStartAllocated = meter.allocatedBytes();
                }
                continue;
            }
            if (framesInFlight() == 0) {
                if (next == Long.MAX_VALUE) {
                    throw stalled("nothing in flight and no timer pending");
                }
                clock.skip(next - now); // nothing can happen before the next timer: go there
            }
            if (++roundsWithoutProgress >= STALL_ROUNDS) {
                throw stalled("no byte moved in " + STALL_ROUNDS + " poll rounds");
            }
        }
    }

    private static void loaded(Class<?> type) {
        // nothing: naming the class literal has loaded it
    }

    /** The time on the transfer's clock, in microseconds since the start. */
    private long now() {
        long bytesSent = clientInterface.statistics().bytesOut();
        if (serverInterface != clientInterface) {
            bytesSent += serverInterface.statistics().bytesOut();
        }
        return clock.nowMicros(bytesSent);
    }

    private int framesInFlight() {
        int n = 0;
        for (InMemoryDevice link : links) {
            n += link.framesWaiting();
        }
        return n;
    }

    private long framesLost() {
        long n = 0;
        for (FaultInjector f : injectors) {
            n += f.rxDropped() + f.txDropped();
        }
        return n;
    }

    private long framesCorrupted() {
        long n = 0;
        for (FaultInjector f : injectors) {
            n += f.rxCorrupted() + f.txCorrupted();
        }
        return n;
    }

    private long drops(IfaceDrop reason) {
        long n = clientInterface.statistics().drops(reason);
        if (serverInterface != clientInterface) {
            n += serverInterface.statistics().drops(reason);
        }
        return n;
    }

    private TransferFailedException ended(String who, TcpSocket socket) {
        return new TransferFailedException("the " + who + "'s connection ended (" + socket.closeReason() + ", state "
                + socket.state() + ") after " + received + " bytes received");
    }

    private TransferFailedException stalled(String why) {
        return new TransferFailedException("transfer stalled: " + why + "; " + received + " of " + settings.bytes()
                + " bytes received; client " + client + "; server " + server);
    }
}
