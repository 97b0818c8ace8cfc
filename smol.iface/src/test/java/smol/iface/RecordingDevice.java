package smol.iface;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smol.phy.ChecksumCapabilities;
import smol.phy.Device;
import smol.phy.ReceivedChecksum;
import smol.phy.DeviceCapabilities;
import smol.phy.Wakeup;

/**
 * A test device: frames queued with {@link #inject} are received one per {@link #receive}; frames
 * transmitted are recorded in order. {@link #refuseTransmit} makes it refuse frames as a full queue would.
 */
class RecordingDevice implements Device {
    private final DeviceCapabilities capabilities;
    private final ArrayDeque<byte[]> rx = new ArrayDeque<>();
    private final List<byte[]> tx = new ArrayList<>();
    private boolean refuseTransmit;
    private final ArrayDeque<ReceivedChecksum> rxChecksums = new ArrayDeque<>();
    private ReceivedChecksum lastChecksum = ReceivedChecksum.UNKNOWN;
    int receiveCalls;

    RecordingDevice() {
        this(DeviceCapabilities.ethernet(1500, ChecksumCapabilities.ALL));
    }

    RecordingDevice(DeviceCapabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** Queues a frame for the interface to receive. */
    RecordingDevice inject(byte[] frame) {
        return inject(frame, ReceivedChecksum.UNKNOWN);
    }

    /** Queues a frame for the interface to receive, with what the device says of its checksum. */
    RecordingDevice inject(byte[] frame, ReceivedChecksum checksum) {
        rx.add(frame.clone());
        rxChecksums.add(checksum);
        return this;
    }

    @Override
    public ReceivedChecksum receivedChecksum() {
        return lastChecksum;
    }

    /** Returns the frames transmitted so far and forgets them. */
    List<byte[]> takeTransmitted() {
        List<byte[]> out = new ArrayList<>(tx);
        tx.clear();
        return out;
    }

    /** Returns the frames transmitted so far. */
    List<byte[]> transmitted() {
        return tx;
    }

    int waiting() {
        return rx.size();
    }

    void refuseTransmit(boolean refuse) {
        this.refuseTransmit = refuse;
    }

    @Override
    public DeviceCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        receiveCalls++;
        byte[] frame = rx.poll();
        if (frame == null) {
            return 0;
        }
        lastChecksum = rxChecksums.poll();
        if (frame.length > buf.length - off) {
            return receive(buf, off, nowMicros); // dropped by the device, as the contract says
        }
        System.arraycopy(frame, 0, buf, off, frame.length);
        return frame.length;
    }

    @Override
    public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        if (refuseTransmit) {
            return false;
        }
        tx.add(Arrays.copyOfRange(buf, off, off + len));
        return true;
    }

    @Override
    public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) {
        // the deterministic tests never wait
    }
}
