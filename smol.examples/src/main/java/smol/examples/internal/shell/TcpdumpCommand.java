package smol.examples.internal.shell;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.CollectionType;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import smol.examples.internal.InterfaceCapture;
import smol.iface.InterfaceService;

/**
 * The Gogo command {@code smol:tcpdump}: a live listing of an interface's frames, both directions, into the
 * session, one line a frame, until its count or Ctrl-C. A device an interface uses is listened to through
 * that interface. The interface's loop thread only copies each frame into the capture's queue
 * ({@link InterfaceCapture}); listing lines wait in a bounded queue for the command's thread, which alone
 * writes to the session, so a slow console drops lines — and says how many — rather than slowing the stack.
 */
@Component(service = TcpdumpCommand.class, property = {"osgi.command.scope=smol", "osgi.command.function=tcpdump"})
public final class TcpdumpCommand {
    /** Frames the capture holds before the interface's thread drops some. */
    private static final int FRAME_QUEUE = 256;
    /** Listing lines that wait for the console before lines are dropped. */
    private static final int LINE_QUEUE = 1024;
    private static final int SNAPLEN = 1518;

    @Reference(service = InterfaceService.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            collectionType = CollectionType.TUPLE)
    private volatile List<Map.Entry<Map<String, ?>, InterfaceService>> interfaces;

    /** Creates the command; SCR calls this. */
    public TcpdumpCommand() {}

    /**
     * Lists the frames of the interface named {@code target}, or of the one using the device of that
     * logical name, until {@code count} frames (0: until interrupted).
     *
     * @throws IllegalArgumentException for a bad count, or no interface or device in use of that name
     * @throws IOException when the capture cannot start
     */
    @Descriptor("list the frames of an interface (or of the device an interface uses) as they pass, both ways")
    public void tcpdump(
            @Descriptor("how many frames to list (default 0: until Ctrl-C)")
            @Parameter(names = {"-c", "--count"}, absentValue = "0") String count,
            @Descriptor("an interface's name, or the logical name of a device an interface uses") String... target)
            throws IOException {
        long frames = parseCount(count);
        if (target == null || target.length != 1) {
            throw new IllegalArgumentException("tcpdump: name one interface or device, e.g. smol:tcpdump -c 10 smol0");
        }
        Interfaces.Known known = find(target[0]);
        PrintStream out = System.out; // the session's: Gogo gives each command thread its own
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(LINE_QUEUE);
        AtomicLong linesDropped = new AtomicLong();
        String[] end = new String[1];
        boolean interrupted = false;
        out.println("listening on " + known.name() + (target[0].equals(known.name()) ? "" : " (device " + target[0]
                + ")") + ", both directions" + (frames > 0 ? ", " + frames + " frames" : ", until Ctrl-C"));
        try (InterfaceCapture capture = new InterfaceCapture(known.service(), frames, FRAME_QUEUE, SNAPLEN,
                line -> offer(lines, line, linesDropped), null, line -> offer(lines, line, linesDropped),
                line -> end[0] = line)) {
            while (!capture.ended() || !lines.isEmpty()) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null) {
                    out.println(line);
                }
            }
        } catch (InterruptedException ctrlC) {
            interrupted = true; // Ctrl-C: the capture closes, the rest and the summary follow
        }
        for (String line; (line = lines.poll()) != null; ) {
            out.println(line);
        }
        if (end[0] != null) {
            out.println(end[0]);
        }
        if (linesDropped.get() > 0) {
            out.println("tcpdump: " + linesDropped.get() + " listing lines dropped: the console was slower than the traffic");
        }
        if (interrupted) {
            // set again only now: Gogo loses what an interrupted thread writes to the session
            Thread.currentThread().interrupt();
        }
    }

    private static void offer(BlockingQueue<String> lines, String line, AtomicLong dropped) {
        if (!lines.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    private static long parseCount(String count) {
        try {
            long n = Long.parseLong(count.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("tcpdump: -c count must be a whole number, 0 or more, not " + count);
    }

    /** The interface of that name, else the one whose configured device has that logical name. */
    private Interfaces.Known find(String name) {
        Interfaces known = Interfaces.of(interfaces);
        for (Interfaces.Known k : known.all()) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        for (Interfaces.Known k : known.all()) {
            if (name.equals(k.wantedDevice()) && k.service().snapshot().iface().linkUp()) {
                return k;
            }
        }
        throw new IllegalArgumentException("tcpdump: no interface named " + name + ", and no interface uses a device"
                + " of that name now; " + known.listing());
    }
}
