package smol.iface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smol.wire.EthernetAddress;
import smol.wire.Ipv4Address;

/**
 * The interface's neighbour table: IPv4 address → MAC address, learned from ARP (RFC 826), of fixed
 * capacity. Each entry lives {@link #lifetimeMicros()} from when it was last filled; an expired entry
 * is a miss and its slot is free again.
 *
 * <p>Eviction: when the table is full and a new address must go in, an expired entry's slot is taken
 * first; when none has expired, the entry that expires soonest (the one learned or refreshed longest
 * ago) is replaced. Lookups are linear scans over the capacity, which is meant to be small (tens of
 * neighbours on a link).
 *
 * <p>Nothing here allocates after construction (but {@link #entries}). Not thread-safe: it belongs to
 * its interface's poll. Times are microseconds on the caller's clock. Applications never see it: they
 * read copies of its entries through {@link Interface#arpTable()}.
 */
final class ArpCache {
    /** How long an entry lives after it was last filled: 60 s, as smoltcp's neighbour cache. */
    public static final long DEFAULT_LIFETIME_MICROS = 60_000_000L;
    /** What {@link #lookup} returns for an address with no live entry (a MAC is never negative). */
    public static final long NO_ENTRY = -1L;

    private final int[] addresses;
    private final long[] macs;
    /** When each slot's entry expires; {@link Long#MIN_VALUE} for a slot never used or cleared. */
    private final long[] expiresAt;
    private final long lifetimeMicros;

    /**
     * Creates an empty cache of {@code capacity} entries, each living {@code lifetimeMicros}.
     *
     * @throws IllegalArgumentException when capacity is below 1 or the lifetime below 1 µs
     */
    public ArpCache(int capacity, long lifetimeMicros) {
        if (capacity < 1) {
            throw new IllegalArgumentException("ARP cache capacity must be at least 1: " + capacity);
        }
        if (lifetimeMicros < 1) {
            throw new IllegalArgumentException("ARP entry lifetime must be at least 1 µs: " + lifetimeMicros);
        }
        addresses = new int[capacity];
        macs = new long[capacity];
        expiresAt = new long[capacity];
        this.lifetimeMicros = lifetimeMicros;
        clear();
    }

    /** Returns the fixed number of entries. */
    public int capacity() {
        return addresses.length;
    }

    /** Returns how long an entry lives after it was filled, in microseconds. */
    public long lifetimeMicros() {
        return lifetimeMicros;
    }

    /** Returns the MAC (low 48 bits) of {@code ip} when a live entry holds it at {@code nowMicros}, else {@link #NO_ENTRY}. */
    public long lookup(int ip, long nowMicros) {
        int i = find(ip, nowMicros);
        return i < 0 ? NO_ENTRY : macs[i];
    }

    /**
     * RFC 826 merge step: when a live entry for {@code ip} exists, sets its MAC to {@code mac},
     * restarts its lifetime and returns true; else changes nothing and returns false.
     */
    public boolean update(int ip, long mac, long nowMicros) {
        int i = find(ip, nowMicros);
        if (i < 0) {
            return false;
        }
        macs[i] = mac;
        expiresAt[i] = nowMicros + lifetimeMicros;
        return true;
    }

    /**
     * Confirms a neighbour is reachable (RFC 1122 §2.3.2.1): when a live entry maps {@code ip} to
     * exactly {@code mac}, restarts its lifetime and returns true; else changes nothing (a MAC is never
     * changed this way) and returns false.
     */
    public boolean confirm(int ip, long mac, long nowMicros) {
        int i = find(ip, nowMicros);
        if (i < 0 || macs[i] != mac) {
            return false;
        }
        expiresAt[i] = nowMicros + lifetimeMicros;
        return true;
    }

    /**
     * Stores {@code ip} → {@code mac} for {@link #lifetimeMicros()} from {@code nowMicros}, replacing a
     * live entry for the same address, else taking a free or expired slot, else evicting the entry
     * that expires soonest.
     */
    public void fill(int ip, long mac, long nowMicros) {
        int slot = find(ip, nowMicros);
        if (slot < 0) {
            slot = 0;
            for (int i = 1; i < expiresAt.length && expiresAt[slot] > nowMicros; i++) {
                if (expiresAt[i] < expiresAt[slot]) {
                    slot = i;
                }
            }
        }
        addresses[slot] = ip;
        macs[slot] = mac;
        expiresAt[slot] = nowMicros + lifetimeMicros;
    }

    /** Removes the entry for {@code ip}, if any; returns true when there was a live one. */
    public boolean remove(int ip, long nowMicros) {
        int i = find(ip, nowMicros);
        if (i < 0) {
            return false;
        }
        expiresAt[i] = Long.MIN_VALUE;
        return true;
    }

    /** Removes every entry. */
    public void clear() {
        Arrays.fill(expiresAt, Long.MIN_VALUE);
    }

    /** Returns the number of live entries at {@code nowMicros}. */
    public int size(long nowMicros) {
        int n = 0;
        for (long e : expiresAt) {
            if (e > nowMicros) {
                n++;
            }
        }
        return n;
    }

    private int find(int ip, long nowMicros) {
        for (int i = 0; i < addresses.length; i++) {
            if (addresses[i] == ip && expiresAt[i] > nowMicros) {
                return i;
            }
        }
        return -1;
    }

    /** Returns copies of the live entries at {@code nowMicros}, in slot order. Allocates: for the shell. */
    List<ArpEntry> entries(long nowMicros) {
        List<ArpEntry> live = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            if (expiresAt[i] > nowMicros) {
                live.add(new ArpEntry(Ipv4Address.of(addresses[i]), EthernetAddress.of(macs[i]), expiresAt[i]));
            }
        }
        return List.copyOf(live);
    }

    /**
     * Returns the live entries at {@code nowMicros}, one per line as {@code 10.0.0.2 02-00-00-00-00-02
     * expires=60000000}. Allocates: for the shell and for tests.
     */
    public String toString(long nowMicros) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < addresses.length; i++) {
            if (expiresAt[i] > nowMicros) {
                sb.append(Ipv4Address.toString(addresses[i])).append(' ').append(EthernetAddress.toString(macs[i]))
                        .append(" expires=").append(expiresAt[i]).append('\n');
            }
        }
        return sb.toString();
    }
}
