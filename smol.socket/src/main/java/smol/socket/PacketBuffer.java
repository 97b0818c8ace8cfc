package smol.socket;

import java.util.Objects;

/**
 * A fixed-size first-in first-out queue of packets for datagram sockets (UDP, ICMP): a number of
 * metadata slots and one payload byte area, both sized at creation and never grown. Each packet has
 * a payload and three metadata fields for the socket's use: an {@code address} (an IPv4 address as
 * an int), a {@code port} (or an ICMP sequence number) and a 64-bit {@code tag} (a local address, a
 * TTL, a timestamp). No allocation per packet. Not thread-safe.
 *
 * <p>Each payload is stored contiguously, so that a socket can hand it to the interface as one slice
 * of {@link #payloadStorage()} without copying. When a payload does not fit between the last one
 * and the end of the area but fits at its start, it goes to the start and the tail space is left
 * unused until the packets before it leave (as smoltcp's {@code PacketBuffer} pads). The promise
 * that follows: {@link #enqueue} of {@code len} bytes succeeds whenever a slot is free and
 * {@code payloadBytes() + len + max(len, largest stored payload) <= payloadCapacity()}; in
 * particular an empty buffer takes any payload up to its capacity, and zero-length payloads need
 * only a slot.
 */
public final class PacketBuffer {
    private final byte[] payload;
    // Slot metadata as parallel arrays: one object per buffer, none per packet.
    private final int[] address;
    private final int[] port;
    private final long[] tag;
    private final int[] offset;
    private final int[] length;
    // Bytes of the area a slot holds: its payload plus the unused tail skipped before it, if any.
    private final int[] span;
    private int headSlot;
    private int count;
    // The area in use runs from payloadHead for payloadUsed bytes, wrapping at the end.
    private int payloadHead;
    private int payloadUsed;
    private int payloadBytes;

    /**
     * Creates a buffer for up to {@code slots} packets holding together up to {@code payloadCapacity}
     * payload bytes.
     *
     * @throws IllegalArgumentException when slots or payloadCapacity is below 1
     */
    public PacketBuffer(int slots, int payloadCapacity) {
        if (slots < 1) {
            throw new IllegalArgumentException("packet buffer needs at least 1 slot: " + slots);
        }
        if (payloadCapacity < 1) {
            throw new IllegalArgumentException("packet buffer payload capacity must be at least 1: " + payloadCapacity);
        }
        payload = new byte[payloadCapacity];
        address = new int[slots];
        port = new int[slots];
        tag = new long[slots];
        offset = new int[slots];
        length = new int[slots];
        span = new int[slots];
    }

    /** Returns how many packets the buffer can hold. */
    public int slotCapacity() {
        return address.length;
    }

    /** Returns the size of the payload area in bytes: no payload can be larger. */
    public int payloadCapacity() {
        return payload.length;
    }

    /** Returns the packets stored. */
    public int count() {
        return count;
    }

    /** Returns the payload bytes stored (the unused tail space, if any, not counted). */
    public int payloadBytes() {
        return payloadBytes;
    }

    /** Returns true when no packet is stored. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** Returns true when every slot is taken. */
    public boolean isFull() {
        return count == address.length;
    }

    /** Forgets every packet. */
    public void clear() {
        headSlot = 0;
        count = 0;
        payloadHead = 0;
        payloadUsed = 0;
        payloadBytes = 0;
    }

    /**
     * Appends a packet with a copy of {@code len} bytes of {@code src} from {@code off}; returns false,
     * storing nothing, when no slot is free or the payload does not fit.
     *
     * @throws IndexOutOfBoundsException when the range is outside {@code src}
     */
    public boolean enqueue(int address, int port, long tag, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        int at = reserve(address, port, tag, len);
        if (at < 0) {
            return false;
        }
        System.arraycopy(src, off, payload, at, len);
        return true;
    }

    /**
     * Appends a packet of {@code len} payload bytes without writing them: returns the offset in
     * {@link #payloadStorage()} where the caller writes them before the next call on this buffer, or
     * -1, storing nothing, when no slot is free or the payload does not fit.
     *
     * @throws IllegalArgumentException when len is negative
     */
    public int reserve(int address, int port, long tag, int len) {
        if (len < 0) {
            throw new IllegalArgumentException("payload length must not be negative: " + len);
        }
        if (count == this.address.length || len > payload.length - payloadUsed) {
            return -1;
        }
        if (payloadUsed == 0) {
            // Empty: start over at 0 so that the whole area is one contiguous run.
            payloadHead = 0;
        }
        int capacity = payload.length;
        int tail = (payloadHead + payloadUsed) % capacity;
        int skipped = 0;
        if (payloadUsed == 0 || tail > payloadHead) {
            // Free space is [tail, end) and [0, head): use the first run the payload fits in.
            if (len > capacity - tail) {
                if (len > payloadHead) {
                    return -1;
                }
                skipped = capacity - tail;
                tail = 0;
            }
        } else if (len > payloadHead - tail) {
            // Wrapped (or full): the only free run is [tail, head).
            return -1;
        }
        int slot = (headSlot + count) % this.address.length;
        this.address[slot] = address;
        this.port[slot] = port;
        this.tag[slot] = tag;
        this.offset[slot] = tail;
        this.length[slot] = len;
        this.span[slot] = skipped + len;
        payloadUsed += skipped + len;
        payloadBytes += len;
        count++;
        return tail;
    }

    /** Returns the oldest packet's address field; only when {@link #isEmpty()} is false. */
    public int peekAddress() {
        return address[requireHead()];
    }

    /** Returns the oldest packet's port field; only when {@link #isEmpty()} is false. */
    public int peekPort() {
        return port[requireHead()];
    }

    /** Returns the oldest packet's tag field; only when {@link #isEmpty()} is false. */
    public long peekTag() {
        return tag[requireHead()];
    }

    /** Returns the oldest packet's payload length in bytes; only when {@link #isEmpty()} is false. */
    public int peekLength() {
        return length[requireHead()];
    }

    /**
     * Returns the offset of the oldest packet's payload in {@link #payloadStorage()} (its
     * {@link #peekLength()} bytes are contiguous); only when {@link #isEmpty()} is false.
     */
    public int peekOffset() {
        return offset[requireHead()];
    }

    /**
     * Returns the payload area itself, for reading the oldest packet's payload in place (at
     * {@link #peekOffset()}) or writing a {@link #reserve reserved} one. Owned by this buffer: valid
     * until the next call that changes it.
     */
    public byte[] payloadStorage() {
        return payload;
    }

    /**
     * Removes the oldest packet, copying up to {@code len} bytes of its payload into {@code dst} from
     * {@code off}; returns the bytes copied (the rest of a longer payload is discarded; compare with
     * {@link #peekLength()} beforehand to know), or -1 when the buffer is empty.
     *
     * @throws IndexOutOfBoundsException when the range is outside {@code dst}
     */
    public int dequeue(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        if (count == 0) {
            return -1;
        }
        int n = Math.min(len, length[headSlot]);
        System.arraycopy(payload, offset[headSlot], dst, off, n);
        remove();
        return n;
    }

    /**
     * Removes the oldest packet without copying it.
     *
     * @throws IllegalStateException when the buffer is empty
     */
    public void remove() {
        int slot = requireHead();
        payloadHead = (payloadHead + span[slot]) % payload.length;
        payloadUsed -= span[slot];
        payloadBytes -= length[slot];
        headSlot = (slot + 1) % address.length;
        count--;
    }

    private int requireHead() {
        if (count == 0) {
            throw new IllegalStateException("packet buffer is empty");
        }
        return headSlot;
    }
}
