package smol.phy;

/**
 * A test device that records the last wait it was asked for and returns at once, and reports a chosen
 * {@link #pollAt}; it takes every frame unless told to {@link #refuse}, and receives nothing.
 */
final class WaitRecorder implements Device {
    Wakeup wakeup;
    long timeoutMicros = Long.MIN_VALUE;
    boolean untilWritable;
    long pollAt = Long.MAX_VALUE;
    boolean refuse;

    @Override
    public DeviceCapabilities capabilities() {
        return DeviceCapabilities.ethernet(1500, ChecksumCapabilities.NONE);
    }

    @Override
    public int receive(byte[] buf, int off, long nowMicros) {
        return 0;
    }

    @Override
    public boolean transmit(byte[] buf, int off, int len, long nowMicros) {
        return !refuse;
    }

    @Override
    public long pollAt(long nowMicros) {
        return pollAt;
    }

    @Override
    public void await(Wakeup wakeup, long timeoutMicros, boolean untilWritable) {
        this.wakeup = wakeup;
        this.timeoutMicros = timeoutMicros;
        this.untilWritable = untilWritable;
    }
}
