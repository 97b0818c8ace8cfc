package smol.examples;

import java.lang.management.ManagementFactory;

/**
 * Reads how many bytes a thread (the current one, or another by id) has allocated so far, through the
 * JDK's {@code com.sun.management.ThreadMXBean}: the difference of two readings of one thread is what
 * that thread allocated between them. Reading the current thread allocates nothing once the meter exists.
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

    /** Returns the bytes thread {@code id} has allocated since it started, or -1 when it is not alive. */
    long allocatedBytes(long id) {
        return threads.getThreadAllocatedBytes(id);
    }
}
