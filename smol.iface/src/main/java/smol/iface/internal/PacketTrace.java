package smol.iface.internal;

import org.osgi.service.log.Logger;
import smol.iface.FrameDirection;
import smol.iface.FrameObserver;
import smol.wire.PacketPrinter;

/**
 * Lists every frame in and out at TRACE level of the OSGi log. While TRACE is off a frame costs one
 * level check: nothing is formatted and nothing allocated. While it is on, each frame is printed into one
 * reused builder, and only the message string the log keeps is allocated.
 */
final class PacketTrace implements FrameObserver {
    private final Logger logger;
    private final PacketPrinter printer = new PacketPrinter();
    private final StringBuilder line = new StringBuilder(512);

    PacketTrace(Logger logger) {
        this.logger = logger;
    }

    @Override
    public void onFrame(FrameDirection direction, byte[] buf, int off, int len, long nowMicros) {
        if (!logger.isTraceEnabled()) {
            return;
        }
        line.setLength(0);
        line.append(direction == FrameDirection.IN ? "in  " : "out ").append(len).append(" bytes\n");
        printer.print(buf, off, len, line);
        logger.trace(line.toString());
    }
}
