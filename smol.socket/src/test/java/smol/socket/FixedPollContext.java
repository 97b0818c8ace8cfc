package smol.socket;

import smol.socket.driver.InitialSequence;
import smol.socket.driver.IpSender;
import smol.socket.driver.PollContext;

/**
 * The {@link PollContext} of a test poll: the time, sender and ISN generator are plain fields, set by
 * the test (or the helper that drives the sockets) before each call.
 */
final class FixedPollContext implements PollContext {
    long nowMicros;
    IpSender sender;
    InitialSequence initialSequence;

    FixedPollContext(long nowMicros, IpSender sender, InitialSequence initialSequence) {
        this.nowMicros = nowMicros;
        this.sender = sender;
        this.initialSequence = initialSequence;
    }

    @Override
    public long nowMicros() {
        return nowMicros;
    }

    @Override
    public IpSender sender() {
        return sender;
    }

    @Override
    public InitialSequence initialSequence() {
        return initialSequence;
    }
}
