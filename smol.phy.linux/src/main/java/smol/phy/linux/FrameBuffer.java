package smol.phy.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Native memory for one frame at a time, allocated once when a device opens: a frame is read from a
 * descriptor into it with one system call and copied once into the caller's {@code byte[]}, or copied once
 * from the caller's array and written with one system call. Nothing is allocated per frame.
 *
 * <p>Not thread-safe: one buffer per direction per device, used by the device's one caller thread. The
 * memory is freed by the collector once the buffer is unreachable, not by the device's close: a receive
 * still running on another thread while the device closes (a misuse) then fails on the closed descriptor
 * instead of touching freed memory.
 */
public final class FrameBuffer {
    private final Memory memory;
    private final long address;
    private final int capacity;

    /**
     * Allocates {@code capacity} bytes of native memory.
     *
     * @throws IllegalArgumentException when {@code capacity} is not positive
     */
    public FrameBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.memory = new Memory(capacity);
        this.address = Pointer.nativeValue(memory);
        this.capacity = capacity;
    }

    /**
     * Returns the native address of the buffer's first byte, for a system call that fills or reads it
     * (recvmsg's iovec); valid while this buffer is reachable.
     */
    public long address() {
        return address;
    }

    /**
     * Returns the byte at {@code index} as 0..255, for reading a header in place.
     *
     * @throws IndexOutOfBoundsException when {@code index} is outside the buffer
     */
    public int u8(int index) {
        return memory.getByte(index) & 0xff;
    }

    /**
     * Copies {@code len} bytes of the buffer from {@code from} into {@code buf} at {@code off}.
     *
     * @throws IndexOutOfBoundsException when the range exceeds the buffer or the array
     */
    public void copyTo(int from, byte[] buf, int off, int len) {
        memory.read(from, buf, off, len);
    }

    /**
     * Copies {@code len} bytes of {@code buf} at {@code off} into the buffer at 0, without writing them
     * anywhere (tests fill a buffer so).
     *
     * @throws IndexOutOfBoundsException when {@code len} exceeds the buffer or the array
     */
    public void copyFrom(byte[] buf, int off, int len) {
        memory.write(0, buf, off, len);
    }

    /** Returns how many bytes the buffer holds. */
    public int capacity() {
        return capacity;
    }

    /**
     * Reads one frame (one {@code read(2)}) from {@code fd} into the buffer; returns its length, or -1 with
     * {@link Libc#errno()} telling why ({@link Libc#EAGAIN} when a non-blocking descriptor has nothing).
     */
    public int readFrom(int fd) {
        return (int) Libc.read(fd, address, capacity);
    }

    /**
     * Copies the first {@code len} bytes of the buffer into {@code buf} at {@code off}.
     *
     * @throws IndexOutOfBoundsException when {@code len} exceeds the buffer or the array
     */
    public void copyTo(byte[] buf, int off, int len) {
        memory.read(0, buf, off, len);
    }

    /**
     * Copies {@code len} bytes of {@code buf} at {@code off} into the buffer and writes them to {@code fd}
     * as one frame (one {@code write(2)}); returns the bytes written, or -1 with {@link Libc#errno()}
     * telling why.
     *
     * @throws IndexOutOfBoundsException when {@code len} exceeds the buffer or the array
     */
    public int writeTo(int fd, byte[] buf, int off, int len) {
        memory.write(0, buf, off, len);
        return (int) Libc.write(fd, address, len);
    }
}
