package smol.socket;

import smol.wire.IpEndpoint;

/**
 * What {@link UdpSocket#recvFrom} returns for one datagram: where it came from, how many payload
 * bytes were copied ({@code length}) and how many it carried ({@code datagramLength}). A value.
 */
public record UdpReceived(IpEndpoint source, int length, int datagramLength) {

    /** Returns true when the caller's array was too small and the datagram lost its tail. */
    public boolean truncated() {
        return length < datagramLength;
    }
}
