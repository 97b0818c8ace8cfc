package smol.iface;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The {@link OutputStream} of a {@link TcpConnection}: writes block as {@link TcpConnection#write} until
 * every byte is queued, with its write timeout and its exceptions; {@link #flush()} does nothing (each
 * write already woke the loop); closing it shuts down the connection's output (a FIN after the queued
 * data). Safe from any thread.
 */
final class TcpOutputStream extends OutputStream {
    private final TcpConnection connection;

    TcpOutputStream(TcpConnection connection) {
        this.connection = connection;
    }

    @Override
    public void write(int b) throws IOException {
        connection.writeByte(b); // byte by byte is slow all the same: wrap the stream in a buffered one
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        connection.write(b, off, len);
    }

    /** Does nothing: every write already handed its bytes to the stack and woke the loop. */
    @Override
    public void flush() {
        // nothing is held back here
    }

    /** Shuts down the connection's output ({@link TcpConnection#shutdownOutput}); reading goes on. */
    @Override
    public void close() throws IOException {
        connection.shutdownOutput();
    }

    @Override
    public String toString() {
        return "output of " + connection;
    }
}
