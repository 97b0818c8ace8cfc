package smol.iface;

import smol.phy.Device;
import smol.phy.DeviceCapabilities;

/**
 * A test device in front of another that reports a smaller MTU, as the device a hot swap puts in
 * place of the first: frames pass both ways, but a frame longer than the MTU allows is dropped (and
 * counted) as such a device would, and reported taken.
 */
final class SmallerMtu extends DeviceInFront {
    private final DeviceCapabilities capabilities;
    long oversize;

    SmallerMtu(Device inner, int mtu) {
        super(inner);
        DeviceCapabilities caps = inner.capabilities();
        this.capabilities = new DeviceCapabilities(caps.medium(), mtu, caps.checksums());
    }

    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        if (len > capabilities.maxFrameLength()) {
            oversize++;
            return true;
        }
        return inner.transmit(buf, off, len, nowMicros);
    }
}
