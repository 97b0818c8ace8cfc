package smol.wire;

/**
 * An IP address and a port: one end of a UDP or TCP conversation. A value. Port 0 means "any".
 */
public record IpEndpoint(IpAddress address, int port) {

    /**
     * Creates the endpoint; {@code port} is 0..65535.
     *
     * @throws IllegalArgumentException when the port is out of range or the address null
     */
    public IpEndpoint {
        if (address == null) {
            throw new IllegalArgumentException("endpoint needs an address");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
    }

    /**
     * Parses {@code 192.168.69.1:6969}.
     *
     * @throws IllegalArgumentException naming the text when it is not such an endpoint
     */
    public static IpEndpoint parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not an endpoint (want 192.168.69.1:6969): " + text);
        }
        String port = text.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("not an endpoint (want 192.168.69.1:6969): " + text);
        }
        try {
            return new IpEndpoint(IpAddress.parse(text.substring(0, colon)), Integer.parseInt(port));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an endpoint (want 192.168.69.1:6969): " + text, e);
        }
    }

    /** Returns {@code address:port}. */
    @Override
    public String toString() {
        return address + ":" + port;
    }
}
