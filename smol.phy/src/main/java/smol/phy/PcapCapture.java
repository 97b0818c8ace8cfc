package smol.phy;

import java.io.IOException;
import java.util.Objects;
import smol.wire.PcapWriter;

/**
 * Wraps a device and writes every frame it receives and every frame it transmits to a pcap file, as
 * smoltcp's {@code PcapWriter} device: the frame's time is the {@code nowMicros} of the call, written as
 * {@code nowMicros * 1000} nanoseconds. Only frames the wrapped device accepted are written as
 * transmitted (a refused transmit is retried by the stack and written then).
 *
 * <p>Capturing never disturbs traffic: the first write error stops capturing, is kept ({@link #failure()})
 * and is never thrown to the caller; frames keep flowing. The wrapped device is replaceable
 * ({@link #attach}/{@link #detach()}); the capture goes on across devices.
 *
 * <p>Receive and transmit come from one thread at a time, as {@link Device} says; {@link #flush()} and
 * {@link #close()} may be called from any thread (writes are serialised by a lock). The writer is owned
 * by the capture from creation on. Writing a frame copies it into the writer's buffer; nothing is
 * allocated per frame.
 */
public final class PcapCapture extends ObservingDevice implements AutoCloseable {
    private final PcapWriter writer;
    private final Object lock = new Object();
    private volatile IOException failure;
    private volatile boolean closed;
    private long framesWritten;

    /**
     * Creates a capture around {@code device} (null: start detached) writing to {@code writer}, which
     * the capture then owns (and closes in {@link #close()}).
     *
     * @throws NullPointerException when {@code writer} is null
     */
    public PcapCapture(Device device, PcapWriter writer) {
        super(device);
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    @Override
    void observe(boolean transmitted, long nowMicros, byte[] buf, int off, int len) {
        if (failure != null || closed) {
            return;
        }
        synchronized (lock) {
            if (failure != null || closed) {
                return;
            }
            try {
                writer.write(nowMicros * 1000, buf, off, len);
                framesWritten++;
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    /** Returns true while frames are being written: not closed and no write has failed. */
    public boolean capturing() {
        return failure == null && !closed;
    }

    /**
     * Returns the error that stopped capturing (the first one; later frames are not written), or null
     * while none happened.
     */
    public IOException failure() {
        return failure;
    }

    /** Returns how many frames have been handed to the writer. */
    public long framesWritten() {
        synchronized (lock) {
            return framesWritten;
        }
    }

    /**
     * Pushes the frames written so far to the file. An error stops capturing and is kept in
     * {@link #failure()}; nothing is thrown. Does nothing once capturing stopped.
     */
    public void flush() {
        synchronized (lock) {
            if (failure != null || closed) {
                return;
            }
            try {
                writer.flush();
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    /**
     * Stops capturing and closes the writer (and its stream). The wrapped device stays attached and is
     * not closed: traffic goes on, uncaptured. An error is kept in {@link #failure()} (unless an earlier
     * one is there); nothing is thrown. Calling it again does nothing.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                writer.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }
}
