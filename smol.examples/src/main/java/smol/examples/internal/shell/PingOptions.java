package smol.examples.internal.shell;

import java.math.BigDecimal;
import java.time.Duration;
import smol.socket.IcmpSocket;
import smol.wire.Ipv4Address;

/**
 * What {@code smol:ping} was asked, checked: every value in range, or an {@link IllegalArgumentException}
 * whose message says which option is wrong and why (Gogo prints it as the command's error).
 *
 * @param target the address to ping
 * @param count how many requests to send, at least 1
 * @param size the data bytes of each request, 0..{@value IcmpSocket#MAX_DATA}
 * @param interval the time between two requests, positive
 * @param timeout how long to wait, after the last request, for the replies still missing; positive
 * @param ttl the TTL of the requests, 1..255
 * @param interfaceName the interface to send from, or null to let the routes choose
 */
record PingOptions(Ipv4Address target, int count, int size, Duration interval, Duration timeout, int ttl,
        String interfaceName) {

    /** The defaults, as the options' help texts give them. */
    static final String COUNT = "4", SIZE = "56", INTERVAL = "1", TIMEOUT = "2", TTL = "64";

    /**
     * Checks the options as the shell passed them (text); {@code interfaceName} empty for none.
     *
     * @throws IllegalArgumentException saying what is wrong, starting with {@code ping:}
     */
    static PingOptions parse(String count, String size, String interval, String timeout, String ttl,
            String interfaceName, String... address) {
        if (address == null || address.length == 0) {
            throw new IllegalArgumentException("ping: which address? usage: smol:ping [-c count] [-s size]"
                    + " [-i interval] [-W timeout] [-t ttl] [-I interface] ADDRESS");
        }
        for (String a : address) {
            if (a.startsWith("-")) {
                throw new IllegalArgumentException("ping: unknown option " + a
                        + " (options: -c count, -s size, -i interval, -W timeout, -t ttl, -I interface)");
            }
        }
        if (address.length > 1) {
            throw new IllegalArgumentException("ping: one address at a time, not " + String.join(" ", address));
        }
        Ipv4Address target;
        try {
            target = Ipv4Address.parse(address[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ping: " + address[0] + " is not an IPv4 address such as 192.168.69.2"
                    + " (smol resolves no names)");
        }
        if (target.isUnspecified() || target.isBroadcast() || target.isMulticast()) {
            throw new IllegalArgumentException("ping: " + target + " is not a unicast address");
        }
        return new PingOptions(target,
                whole("-c", "count", count, 1, Integer.MAX_VALUE),
                whole("-s", "size", size, 0, IcmpSocket.MAX_DATA),
                seconds("-i", "interval", interval),
                seconds("-W", "timeout", timeout),
                whole("-t", "ttl", ttl, 1, 255),
                interfaceName == null || interfaceName.isEmpty() ? null : interfaceName);
    }

    private static int whole(String option, String what, String text, int min, int max) {
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ping: " + option + " " + what + " must be a whole number, not " + text);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("ping: " + option + " " + what + " must be "
                    + (max == Integer.MAX_VALUE ? "at least " + min : "in " + min + ".." + max) + ", not " + text);
        }
        return value;
    }

    private static Duration seconds(String option, String what, String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ping: " + option + " " + what + " must be a number of seconds"
                    + " such as 0.5, not " + text);
        }
        // a millisecond at least, a day at most: beyond are typing mistakes, not pings
        if (value.compareTo(new BigDecimal("0.001")) < 0 || value.compareTo(BigDecimal.valueOf(86_400)) > 0) {
            throw new IllegalArgumentException("ping: " + option + " " + what + " must be 0.001 to 86400 seconds, not "
                    + text);
        }
        return Duration.ofNanos(value.movePointRight(9).longValue());
    }
}
