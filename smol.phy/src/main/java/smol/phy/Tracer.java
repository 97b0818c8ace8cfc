package smol.phy;

import java.util.Objects;
import java.util.function.Consumer;
import smol.wire.PacketPrinter;

/**
 * Wraps a device and hands a listing of every frame it receives and transmits to a sink, as smoltcp's
 * {@code Tracer}: a debugging aid. Each frame gives one string: the direction ({@code rx} or {@code tx}),
 * the time of the call in seconds with six decimals, then {@link PacketPrinter}'s listing, whose further
 * lines are indented under the first so that the layers stay aligned; no final newline. For example:
 * <pre>
 * tx 1.000250 EthernetII src=02-00-00-00-00-01 dst=02-00-00-00-00-02 type=ipv4
 *               IPv4 src=10.99.0.1 dst=10.99.0.2 proto=udp ttl=64 id=0 len=15
 *                 UDP src=53 dst=6969 len=7
 * </pre>
 * Only frames the wrapped device accepted are listed as transmitted.
 *
 * <p>Tracing allocates (it builds text); it is not for the packet path of a production stack. An
 * exception thrown by the sink reaches the caller of receive or transmit, after the frame went through.
 * The wrapped device is replaceable ({@link #attach}/{@link #detach()}). Receive and transmit come from
 * one thread at a time, as {@link Device} says; the sink is called on that thread.
 */
public final class Tracer extends ObservingDevice {
    private final Consumer<String> sink;
    private final PacketPrinter printer = new PacketPrinter();
    private final StringBuilder listing = new StringBuilder(256);
    private final StringBuilder text = new StringBuilder(512);

    /**
     * Creates a tracer around {@code device} (null: start detached) handing each frame's listing to
     * {@code sink}.
     *
     * @throws NullPointerException when {@code sink} is null
     */
    public Tracer(Device device, Consumer<String> sink) {
        super(device);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    void observe(boolean transmitted, long nowMicros, byte[] buf, int off, int len) {
        String direction = transmitted ? "tx" : "rx";
        text.setLength(0);
        text.append(direction).append(' ').append(Math.floorDiv(nowMicros, 1_000_000L)).append('.');
        String micros = Long.toString(Math.floorMod(nowMicros, 1_000_000L));
        for (int i = micros.length(); i < 6; i++) {
            text.append('0');
        }
        text.append(micros).append(' ');
        int indent = text.length();
        listing.setLength(0);
        printer.print(buf, off, len, listing);
        int end = listing.length();
        if (end > 0 && listing.charAt(end - 1) == '\n') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = listing.charAt(i);
            text.append(c);
            if (c == '\n') {
                for (int j = 0; j < indent; j++) {
                    text.append(' ');
                }
            }
        }
        sink.accept(text.toString());
    }
}
