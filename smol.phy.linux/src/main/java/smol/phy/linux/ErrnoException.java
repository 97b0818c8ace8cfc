package smol.phy.linux;

import java.io.IOException;

/**
 * A system call failed: which call, on what, and the {@code errno} it left, with the C library's text for
 * it. The message says what a person can do about it where the caller knows (the devices add that).
 */
public final class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * Creates the exception.
     *
     * @param message what failed and, where known, what to do about it
     * @param errno the {@code errno} the call left
     */
    public ErrnoException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** Makes the exception for the call that just failed on this thread: {@code what: EBUSY (text)}. */
    public static ErrnoException last(String what) {
        int errno = Libc.errno();
        return new ErrnoException(what + ": " + Libc.describe(errno), errno);
    }

    /** Returns the {@code errno} the call left, e.g. {@link Libc#EBUSY}. */
    public int errno() {
        return errno;
    }
}
