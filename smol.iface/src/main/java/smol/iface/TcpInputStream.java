package smol.iface;

import java.io.IOException;
import java.io.InputStream;

/**
 * The {@link InputStream} of a {@link TcpConnection}: reads block as {@link TcpConnection#read}, with its
 * read timeout and its exceptions; closing it shuts down the connection's input. Safe from any thread.
 */
final class TcpInputStream extends InputStream {
    private final TcpConnection connection;

    TcpInputStream(TcpConnection connection) {
        this.connection = connection;
    }

    @Override
    public int read() throws IOException {
        return connection.readByte(); // byte by byte is slow all the same: wrap the stream in a buffered one
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return connection.read(b, off, len);
    }

    @Override
    public int available() {
        return connection.available();
    }

    /** Shuts down the connection's input ({@link TcpConnection#shutdownInput}); the connection stays open. */
    @Override
    public void close() {
        connection.shutdownInput();
    }

    @Override
    public String toString() {
        return "input of " + connection;
    }
}
