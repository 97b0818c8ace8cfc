package smol.examples;

import java.lang.management.ManagementFactory;

/**
 * Reads how many bytes the current thread has allocated so far, through the JDK's
 * {@code com.sun.management.ThreadMXBean}: the difference of two readings on one thread is what that
 * thread allocated between them. Reading allocates nothing once the meter exists.
 */
final class AllocationMeter {
    private final com.sun.management.ThreadMXBean threads;

    private AllocationMeter(com.sun.management.ThreadMXBean threads) {
        this.threads = threads;
    }

    /** Returns a meter, or null when this JVM does not count allocations per thread. */
    static AllocationMeter create() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                    && threads.isThreadAllocatedMemorySupported()) {
                threads.setThreadAllocatedMemoryEnabled(true);
                return new AllocationMeter(threads);
            }
        } catch (LinkageError | UnsupportedOperationException e) {
            // a JVM without the com.sun.management extension: no measurement, said in the output
        }
        return null;
    }

    /** Returns the bytes the current thread has allocated since it started. */
    long allocatedBytes() {
        return threads.getCurrentThreadAllocatedBytes();
    }
}
