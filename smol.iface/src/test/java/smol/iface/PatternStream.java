package smol.iface;

import smol.socket.TcpSocket;

/**
 * The bulk data of the transfer tests: byte {@code i} of a stream is {@link #at(int, long)}, a pattern
 * that repeats neither every 256 bytes nor every 64 KiB, so a byte delivered twice, lost or out of
 * place shows as a mismatch. {@link Writer} and {@link Reader} are the applications at both ends.
 */
final class PatternStream {
    private PatternStream() {}

    /** Byte {@code index} of the stream of {@code salt}. */
    static byte at(int salt, long index) {
        return (byte) (index + (index >>> 8) * 3 + (index >>> 16) * 7 + salt * 101);
    }

    /** Queues {@code total} bytes of the pattern on a socket as room frees up; optionally closes after the last one. */
    static final class Writer implements TwoStacks.Application {
        private final TcpSocket socket;
        private final int salt;
        private final long total;
        private final boolean closeWhenDone;
        private final byte[] chunk = new byte[4096];
        long written;
        boolean closed;

        Writer(TcpSocket socket, int salt, long total, boolean closeWhenDone) {
            this.socket = socket;
            this.salt = salt;
            this.total = total;
            this.closeWhenDone = closeWhenDone;
        }

        @Override
        public boolean step() {
            long before = written;
            boolean wasClosed = closed;
            while (written < total && socket.canSend()) {
                int n = (int) Math.min(chunk.length, total - written);
                for (int i = 0; i < n; i++) {
                    chunk[i] = at(salt, written + i);
                }
                int queued = socket.send(chunk, 0, n);
                written += queued;
                if (queued < n) {
                    break; // the ring is full
                }
            }
            if (closeWhenDone && written == total && !closed && socket.maySend()) {
                socket.close();
                closed = true;
            }
            return written != before || closed != wasClosed;
        }

        boolean done() {
            return written == total;
        }
    }

    /** Reads everything that arrives, checking each byte against the pattern; optionally closes at the end of the stream. */
    static final class Reader implements TwoStacks.Application {
        private final TcpSocket socket;
        private final int salt;
        private final boolean closeAtEnd;
        private final byte[] chunk = new byte[4096];
        long received;
        long firstMismatch = -1;
        boolean endOfStream;
        boolean closed;

        Reader(TcpSocket socket, int salt, boolean closeAtEnd) {
            this.socket = socket;
            this.salt = salt;
            this.closeAtEnd = closeAtEnd;
        }

        @Override
        public boolean step() {
            long before = received;
            boolean wasClosed = closed;
            boolean wasEnded = endOfStream;
            while (!endOfStream) {
                int n = socket.recv(chunk, 0, chunk.length);
                if (n < 0) {
                    endOfStream = true;
                } else if (n == 0) {
                    break;
                } else {
                    for (int i = 0; i < n; i++) {
                        if (firstMismatch < 0 && chunk[i] != at(salt, received + i)) {
                            firstMismatch = received + i;
                        }
                    }
                    received += n;
                }
            }
            if (closeAtEnd && endOfStream && !closed) {
                socket.close();
                closed = true;
            }
            return received != before || closed != wasClosed || endOfStream != wasEnded;
        }
    }
}
