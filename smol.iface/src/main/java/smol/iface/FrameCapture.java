package smol.iface;

import java.io.IOException;
import java.util.Objects;
import smol.wire.PcapWriter;

/**
 * A {@link FrameObserver} that writes every frame it is shown, in and out, to a pcap file: the frames as
 * the interface sees them (after a fault injector in front of the device: a frame it lost on the way
 * in is not there, one it lost on the way out is). Each frame's time is the poll's {@code nowMicros},
 * written as {@code nowMicros * 1000} nanoseconds (with the runtime's default clock: time since the
 * runtime was built, so that intervals are exact and dates start in 1970).
 *
 * <p>Capturing never disturbs traffic: the first write error stops the capture, is kept
 * ({@link #failure()}), logged once, and never thrown to the poll; frames keep flowing, uncaptured.
 * {@link InterfaceRuntime#capture(java.nio.file.Path)} makes one and adds it to its interface;
 * {@link Interface#addObserver} does the same without a runtime.
 *
 * <p>The writer belongs to the capture from creation on. {@link #onFrame} comes from the polling
 * thread; every other method may be called from any thread (writes are serialised by a lock of the
 * capture's own, uncontended on the packet path). Writing a frame copies it into the writer's buffer:
 * nothing is allocated per frame. Bytes reach the file when that buffer fills, on {@link #flush()}
 * and on {@link #close()}.
 */
public final class FrameCapture implements FrameObserver, AutoCloseable {
    private final PcapWriter writer;
    private final Object lock = new Object();
    private volatile IOException failure;
    private volatile boolean closed;
    private volatile long framesWritten;

    /**
     * Creates a capture writing to {@code writer}, which the capture then owns (and closes in
     * {@link #close()}).
     *
     * @throws NullPointerException when {@code writer} is null
     */
    public FrameCapture(PcapWriter writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Writes the frame, unless the capture has stopped; an error stops it (see the class comment). */
    @Override
    public void onFrame(FrameDirection direction, byte[] buf, int off, int len, long nowMicros) {
        if (failure != null || closed) {
            return;
        }
        IOException failed = null;
        synchronized (lock) {
            if (failure != null || closed) {
                return;
            }
            try {
                writer.write(nowMicros * 1000, buf, off, len);
                framesWritten++; // volatile for readers; only this thread, under the lock, writes it
            } catch (IOException e) {
                failure = failed = e;
            }
        }
        if (failed != null) {
            report("writing a frame", failed);
        }
    }

    /** Returns true while frames are being written: not closed and no write has failed. */
    public boolean capturing() {
        return failure == null && !closed;
    }

    /** Returns the error that stopped the capture (the first one), or null while none happened. */
    public IOException failure() {
        return failure;
    }

    /** Returns how many frames have been handed to the writer so far. */
    public long framesWritten() {
        return framesWritten;
    }

    /**
     * Pushes the frames written so far to the file. An error stops the capture and is kept in
     * {@link #failure()}; nothing is thrown. Does nothing once the capture has stopped.
     */
    public void flush() {
        IOException failed = null;
        synchronized (lock) {
            if (failure != null || closed) {
                return;
            }
            try {
                writer.flush();
            } catch (IOException e) {
                failure = failed = e;
            }
        }
        if (failed != null) {
            report("flushing", failed);
        }
    }

    /**
     * Stops the capture, writes what is buffered and closes the writer (and its stream). An error is kept
     * in {@link #failure()} unless an earlier one is there; nothing is thrown. Calling it again does
     * nothing. A closed capture still registered as an observer ignores the frames it is shown.
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

    /** Returns e.g. {@code capture: 120 frames written, capturing} or {@code …, stopped by java.io.IOException: …}. */
    @Override
    public String toString() {
        IOException f = failure;
        return "capture: " + framesWritten + " frames written, "
                + (f != null ? "stopped by " + f : closed ? "closed" : "capturing");
    }

    private static void report(String what, IOException e) {
        // Once per capture: the failure stops it, so no later frame comes here.
        System.getLogger(FrameCapture.class.getName())
                .log(System.Logger.Level.WARNING, "pcap capture stopped: " + what + " failed", e);
    }
}
