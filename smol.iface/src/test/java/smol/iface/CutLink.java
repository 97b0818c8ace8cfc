package smol.iface;

import smol.phy.Device;

/**
 * A test device in front of another that can cut the link beyond it, as when the peer vanishes (its
 * host powered off, its cable pulled): while cut, every frame transmitted is taken and lost, and every
 * frame that was on its way in is lost too, so the interface hears nothing.
 */
final class CutLink extends DeviceInFront {
    private boolean cut;
    long framesLost;

    CutLink(Device inner) {
        super(inner);
    }

    /** Cuts the link ({@code true}) or mends it. */
    void cut(boolean cut) {
        this.cut = cut;
    }

    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        if (!cut) {
            return inner.receive(buf, off, nowMicros);
        }
        while (inner.receive(buf, off, nowMicros) > 0) {
            framesLost++; // nothing reaches us from beyond the cut
        }
        return 0;
    }

    @Override
    public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        if (cut) {
            framesLost++;
            return true; // the device took it; the wire lost it
        }
        return inner.transmit(buf, off, len, nowMicros);
    }
}
