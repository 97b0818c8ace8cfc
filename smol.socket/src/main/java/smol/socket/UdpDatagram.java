package smol.socket;

import smol.wire.IpEndpoint;
import smol.wire.Ipv4Address;

/**
 * Where {@link UdpSocket#recv} puts a received datagram: its payload, in a buffer of the caller's, with
 * its sender's endpoint, the local address it was sent to, and its full length. Reused from datagram
 * to datagram, so that receiving allocates nothing; each {@code recv} overwrites it whole. Not
 * thread-safe.
 */
public final class UdpDatagram {
    private final byte[] buffer;
    private int length;
    private int datagramLength;
    private int sourceAddress;
    private int sourcePort;
    private int localAddress;

    /** A holder whose payload buffer takes {@code capacity} bytes; a longer datagram is truncated. */
    public UdpDatagram(int capacity) {
        this(new byte[capacity]);
    }

    /**
     * A holder that receives payloads into {@code buffer} (from index 0); a longer datagram is truncated.
     *
     * @throws IllegalArgumentException when the buffer is null
     */
    public UdpDatagram(byte[] buffer) {
        if (buffer == null) {
            throw new IllegalArgumentException("a datagram holder needs a buffer");
        }
        this.buffer = buffer;
    }

    void set(int length, int datagramLength, int sourceAddress, int sourcePort, int localAddress) {
        this.length = length;
        this.datagramLength = datagramLength;
        this.sourceAddress = sourceAddress;
        this.sourcePort = sourcePort;
        this.localAddress = localAddress;
    }

    /** Returns the buffer the payload is received into, from index 0. */
    public byte[] buffer() {
        return buffer;
    }

    /** Returns the payload bytes in {@link #buffer()}: the datagram's length, or the buffer's when truncated. */
    public int length() {
        return length;
    }

    /** Returns the datagram's full payload length, which may exceed {@link #length()}. */
    public int datagramLength() {
        return datagramLength;
    }

    /** Returns true when the payload did not fit the buffer and lost its tail. */
    public boolean truncated() {
        return length < datagramLength;
    }

    /** Returns the sender's IPv4 address, as an int. */
    public int sourceAddress() {
        return sourceAddress;
    }

    /** Returns the sender's port. */
    public int sourcePort() {
        return sourcePort;
    }

    /** Returns the sender's endpoint (allocates: for code off the hot path). */
    public IpEndpoint source() {
        return new IpEndpoint(Ipv4Address.of(sourceAddress), sourcePort);
    }

    /** Returns the local address the datagram was sent to (one of ours, or a broadcast), as an int. */
    public int localAddress() {
        return localAddress;
    }

    /** Returns e.g. {@code 12 bytes from 10.0.0.1:53}. */
    @Override
    public String toString() {
        return length + (truncated() ? " of " + datagramLength : "") + " bytes from "
                + Ipv4Address.toString(sourceAddress) + ":" + sourcePort;
    }
}
