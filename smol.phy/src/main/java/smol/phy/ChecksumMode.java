package smol.phy;

/**
 * What the stack must do about one protocol's checksum on a device: the part the device does not do
 * itself. As smoltcp's {@code Checksum}: a loopback that cannot corrupt frames needs {@link #NONE},
 * a real link needs {@link #BOTH}.
 */
public enum ChecksumMode {
    /** The stack verifies on receive and fills on transmit. */
    BOTH,
    /** The stack verifies on receive only (the device fills on transmit). */
    RX,
    /** The stack fills on transmit only (the device verifies on receive). */
    TX,
    /** The stack does neither: the device guarantees both. */
    NONE;

    /** Returns true when the stack must verify received checksums. */
    public boolean verifyOnReceive() {
        return this == BOTH || this == RX;
    }

    /** Returns true when the stack must fill checksums on transmit. */
    public boolean fillOnTransmit() {
        return this == BOTH || this == TX;
    }
}
