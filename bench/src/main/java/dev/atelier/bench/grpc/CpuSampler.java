package dev.atelier.bench.grpc;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Records this process's CPU time every 50 ms, to tell how many cores were busy during a time
 * window measured elsewhere (e.g. one transfer). Thread-safe.
 */
final class CpuSampler implements AutoCloseable {
    private record Sample(long wallNanos, long cpuNanos) {}

    private final List<Sample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    CpuSampler() {
        thread = new Thread(
                () -> {
                    while (running) {
                        synchronized (samples) {
                            samples.add(new Sample(System.nanoTime(), cpu()));
                        }
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "cpu-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Average busy cores between two {@link System#nanoTime()} instants (nearest samples inside). */
    double coresBusy(long fromNanos, long toNanos) {
        Sample a = null;
        Sample b = null;
        synchronized (samples) {
            for (Sample s : samples) {
                if (a == null && s.wallNanos >= fromNanos) {
                    a = s;
                }
                if (s.wallNanos <= toNanos) {
                    b = s;
                }
            }
        }
        if (a == null || b == null || b.wallNanos <= a.wallNanos) {
            return Double.NaN;
        }
        return (b.cpuNanos - a.cpuNanos) / (double) (b.wallNanos - a.wallNanos);
    }

    @Override
    public void close() {
        running = false;
    }
}
