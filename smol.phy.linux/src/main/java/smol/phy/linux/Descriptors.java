package smol.phy.linux;

/** Small helpers over file descriptors for opening and closing devices (not for the data path). */
public final class Descriptors {
    private Descriptors() {}

    /**
     * Closes {@code fd} when it is open (not negative); a failure to close is not reported, since there is
     * nothing a caller could do about it and the descriptor is gone either way on Linux.
     */
    public static void closeQuietly(int fd) {
        if (fd >= 0) {
            Libc.close(fd);
        }
    }
}
