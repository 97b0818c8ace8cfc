package smol.iface.internal;

import org.osgi.service.log.Logger;
import smol.iface.FrameDirection;
import smol.iface.FrameObserver;
import smol.wire.PacketPrinter;

/**
 * Lists every frame in and out at TRACE level of the OSGi log. While TRACE is off a frame costs a field read
 * and a comparison: nothing is formatted and nothing allocated. The level is asked of the logger at most
 * once a {@link #RECHECK_MICROS second} of the interface's clock, since the Log Service's answer allocates
 * (Felix Log walks the logger name's ancestors as substrings), so a change of level takes effect within a
 * second. While TRACE is on, each frame is printed into one reused builder, and only the message string the
 * log keeps is allocated.
 */
final class PacketTrace implements FrameObserver {
    /** How often the logger's level is asked: once a second. */
    static final long RECHECK_MICROS = 1_000_000;

    private final Logger logger;
    private final PacketPrinter printer = new PacketPrinter();
    private final StringBuilder line = new StringBuilder(512);
    // The loop thread's only: observers are called on it.
    private boolean tracing;
    private long nextCheck = Long.MIN_VALUE;

    PacketTrace(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void onFrame(FrameDirection direction, byte[] buf, int off, int len, long nowMicros) {
        if (nowMicros >= nextCheck) {
            tracing = logger.isTraceEnabled();
            nextCheck = nowMicros + RECHECK_MICROS;
        }
        if (!tracing) {
            return;
        }
        line.setLength(0);
        line.append(direction == FrameDirection.IN ? "in  " : "out ").append(len).append(" bytes\n");
        printer.print(buf, off, len, line);
        logger.trace(line.toString());
    }
}
