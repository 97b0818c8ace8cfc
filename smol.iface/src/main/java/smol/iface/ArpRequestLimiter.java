package smol.iface;

import java.util.Arrays;

/**
 * Remembers, per IPv4 address, until when the interface keeps silent after asking for it with an ARP
 * request, so that a socket retrying on every poll cannot flood the link: at most one request per
 * address per {@link #INTERVAL_MICROS} (RFC 1122 §2.3.2.1 asks for at most one per second).
 *
 * <p>Fixed size. When the table is full, a slot whose silence is over is reused first; else the one
 * whose silence ends soonest, so that address may be asked again a little early. Not thread-safe.
 */
final class ArpRequestLimiter {
    /** The least time between two requests for the same address: 1 s. */
    static final long INTERVAL_MICROS = 1_000_000L;

    private final int[] addresses;
    private final long[] silentUntil;

    ArpRequestLimiter(int capacity) {
        addresses = new int[capacity];
        silentUntil = new long[capacity];
        clear();
    }

    /**
     * Returns true, and starts a silence of {@link #INTERVAL_MICROS}, when a request for {@code ip}
     * may go at {@code nowMicros}; false while an earlier request's silence lasts.
     */
    boolean tryAcquire(int ip, long nowMicros) {
        int slot = -1;
        for (int i = 0; i < addresses.length; i++) {
            if (addresses[i] == ip && silentUntil[i] != Long.MIN_VALUE) {
                if (silentUntil[i] > nowMicros) {
                    return false;
                }
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            slot = 0;
            for (int i = 1; i < silentUntil.length && silentUntil[slot] > nowMicros; i++) {
                if (silentUntil[i] < silentUntil[slot]) {
                    slot = i;
                }
            }
        }
        addresses[slot] = ip;
        silentUntil[slot] = nowMicros + INTERVAL_MICROS;
        return true;
    }

    /** Returns until when requests for {@code ip} stay silent, or {@link Long#MIN_VALUE} when they may go now. */
    long silentUntil(int ip, long nowMicros) {
        for (int i = 0; i < addresses.length; i++) {
            if (addresses[i] == ip && silentUntil[i] > nowMicros) {
                return silentUntil[i];
            }
        }
        return Long.MIN_VALUE;
    }

    void clear() {
        Arrays.fill(silentUntil, Long.MIN_VALUE);
    }
}
