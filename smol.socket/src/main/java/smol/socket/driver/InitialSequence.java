package smol.socket.driver;

/**
 * Chooses the initial sequence number (ISN) of a TCP connection. The interface owns it and hands it to
 * its TCP sockets through the {@link PollContext}, so
 * that the core has no hidden randomness: {@link #keyed} is the RFC 6528 generator for real use,
 * {@link #fixed} for tests.
 */
@FunctionalInterface
public interface InitialSequence {

    /**
     * Returns the ISN for the connection between the given endpoints (IPv4 addresses as ints, ports
     * 0..65535) at {@code nowMicros}.
     */
    int next(int localAddress, int localPort, int remoteAddress, int remotePort, long nowMicros);

    /** Returns a generator that always answers {@code isn}; for tests. */
    static InitialSequence fixed(int isn) {
        return (localAddress, localPort, remoteAddress, remotePort, nowMicros) -> isn;
    }

    /**
     * Returns the RFC 6528 generator: a 4-microsecond clock taken from {@code nowMicros} plus a
     * SipHash-2-4 of the 4-tuple under the 128-bit secret key {@code (key0, key1)}. The key must be
     * secret and random for the ISNs to resist off-path guessing; the caller supplies it.
     */
    static InitialSequence keyed(long key0, long key1) {
        return new InitialSequenceHash(key0, key1);
    }
}
