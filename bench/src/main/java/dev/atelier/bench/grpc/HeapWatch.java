package dev.atelier.bench.grpc;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples this JVM's live heap: every {@code periodMillis} it forces a full collection and
 * records the heap still in use, so the peak is what the program really holds (young-collection
 * figures would include old-generation garbage not yet reclaimed). Perturbs timing by design;
 * use it only where memory is what is measured. Thread-safe.
 */
final class HeapWatch implements AutoCloseable {
    private final AtomicLong peakLive = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    HeapWatch(long periodMillis) {
        sampler = new Thread(
                () -> {
                    while (running) {
                        peakLive.accumulateAndGet(liveNow(), Math::max);
                        samples.incrementAndGet();
                        try {
                            Thread.sleep(periodMillis);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Forces a full collection and returns the heap in use, in bytes. */
    static long liveNow() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    long peakLive() {
        return peakLive.get();
    }

    long samples() {
        return samples.get();
    }

    @Override
    public void close() {
        running = false;
    }
}
