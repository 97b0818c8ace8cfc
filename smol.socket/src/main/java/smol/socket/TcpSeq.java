package smol.socket;

/**
 * Sequence number arithmetic modulo 2^32 (RFC 9293 §3.4): sequence numbers are ints whose order is
 * that of their signed difference, valid while the two are less than 2^31 apart.
 */
public final class TcpSeq {
    private TcpSeq() {}

    /** Returns {@code seq + n} modulo 2^32. */
    public static int add(int seq, int n) {
        return seq + n;
    }

    /** Returns {@code a − b} as a signed distance (positive when {@code a} is after {@code b}). */
    public static int diff(int a, int b) {
        return a - b;
    }

    /** Returns true when {@code a} comes before {@code b}. */
    public static boolean lessThan(int a, int b) {
        return a - b < 0;
    }

    /** Returns true when {@code a} comes before {@code b} or equals it. */
    public static boolean lessOrEqual(int a, int b) {
        return a - b <= 0;
    }

    /** Returns true when {@code a} comes after {@code b}. */
    public static boolean greaterThan(int a, int b) {
        return a - b > 0;
    }

    /** Returns true when {@code a} comes after {@code b} or equals it. */
    public static boolean greaterOrEqual(int a, int b) {
        return a - b >= 0;
    }

    /** Returns the later of {@code a} and {@code b}. */
    public static int max(int a, int b) {
        return lessThan(a, b) ? b : a;
    }

    /** Returns the earlier of {@code a} and {@code b}. */
    public static int min(int a, int b) {
        return lessThan(a, b) ? a : b;
    }

    /** Returns true when {@code start ≤ seq < end} in sequence space. */
    public static boolean inRange(int seq, int start, int end) {
        return lessOrEqual(start, seq) && lessThan(seq, end);
    }
}
