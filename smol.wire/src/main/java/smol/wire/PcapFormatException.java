package smol.wire;

import java.io.IOException;

/**
 * Thrown when a {@link PcapReader} is opened on bytes that are neither a pcap nor a pcapng file. The
 * message is one line, such as {@code not a pcap or pcapng file (starts with 0x7f454c46)}.
 *
 * <p>Problems found later, inside a file that did start right, are not thrown: the reader ends and
 * reports them through {@link PcapReader#problem()}.
 */
public final class PcapFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a one-line {@code message}. */
    public PcapFormatException(String message) {
        super(message);
    }
}
