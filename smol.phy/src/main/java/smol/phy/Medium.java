package smol.phy;

/** What a device's frames are: today only Ethernet II frames (without the frame check sequence). */
public enum Medium {
    /** Ethernet II frames: 14-byte header, no FCS. */
    ETHERNET
}
