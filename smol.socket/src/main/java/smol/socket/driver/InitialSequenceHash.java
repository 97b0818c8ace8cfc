package smol.socket.driver;

/**
 * The RFC 6528 §3 initial sequence number: {@code ISN = M + F(localip, localport, remoteip,
 * remoteport, secretkey)}, M a clock ticking every 4 microseconds (from the time passed in), F
 * SipHash-2-4 under a 128-bit key. Deterministic for a given key and time; immutable and
 * thread-safe.
 */
public final class InitialSequenceHash implements InitialSequence {
    private final long key0;
    private final long key1;

    /** Creates the generator with the secret key {@code (key0, key1)}. */
    public InitialSequenceHash(long key0, long key1) {
        this.key0 = key0;
        this.key1 = key1;
    }

    @Override
    public int next(int localAddress, int localPort, int remoteAddress, int remotePort, long nowMicros) {
        long word0 = ((long) localAddress << 32) | (remoteAddress & 0xffffffffL);
        long word1 = ((long) (localPort & 0xffff) << 16) | (remotePort & 0xffff);
        long hash = sipHash24(key0, key1, word0, word1);
        // RFC 6528 §3: M is a timer incremented every 4 microseconds
        return (int) (nowMicros >>> 2) + (int) (hash ^ (hash >>> 32));
    }

    /** SipHash-2-4 of the 16-byte message {@code word0 word1} (each little-endian, as in the reference). */
    static long sipHash24(long k0, long k1, long word0, long word1) {
        long[] v = {
            k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL,
            k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L
        };
        compress(v, word0);
        compress(v, word1);
        compress(v, 16L << 56); // final block: the message length in the top byte
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) {
            round(v);
        }
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(long[] v, long m) {
        v[3] ^= m;
        round(v);
        round(v);
        v[0] ^= m;
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
