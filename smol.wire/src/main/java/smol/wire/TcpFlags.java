package smol.wire;

/**
 * The TCP control bits (RFC 9293 §3.1, RFC 3168 for ECE and CWR) as bit masks of the flags byte, as
 * {@link TcpPacket#flags()} and {@link TcpRepr#flags()} hold them.
 */
public final class TcpFlags {
    private TcpFlags() {}

    /** No more data from sender. */
    public static final int FIN = 0x01;
    /** Synchronize sequence numbers. */
    public static final int SYN = 0x02;
    /** Reset the connection. */
    public static final int RST = 0x04;
    /** Push function. */
    public static final int PSH = 0x08;
    /** The acknowledgement field is significant. */
    public static final int ACK = 0x10;
    /** The urgent pointer field is significant. */
    public static final int URG = 0x20;
    /** ECN-Echo (RFC 3168). */
    public static final int ECE = 0x40;
    /** Congestion Window Reduced (RFC 3168). */
    public static final int CWR = 0x80;

    // The order people read a handshake in: syn first, then fin, then the rest by bit.
    private static final int[] ORDER = {SYN, FIN, RST, PSH, ACK, URG, ECE, CWR};
    private static final String[] WORDS = {"syn", "fin", "rst", "psh", "ack", "urg", "ece", "cwr"};

    /**
     * Returns the flags set in {@code flags} as lowercase words separated by single spaces, in the
     * order {@code syn fin rst psh ack urg ece cwr} (e.g. {@code "syn ack"}); empty when none is set.
     * Allocates: for printing, not for the packet path.
     */
    public static String words(int flags) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ORDER.length; i++) {
            if ((flags & ORDER[i]) != 0) {
                if (text.length() > 0) {
                    text.append(' ');
                }
                text.append(WORDS[i]);
            }
        }
        return text.toString();
    }
}
