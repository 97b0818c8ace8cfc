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
        byte[] one = new byte[1]; // a stream read byte by byte is slow anyway; wrap it in a buffered reader
        int n = connection.read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
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
