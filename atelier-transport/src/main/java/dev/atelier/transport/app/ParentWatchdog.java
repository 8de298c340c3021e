package dev.atelier.transport.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Ends a child process (a node the studio started) when the process that started it is gone, so a
 * killed supervisor never leaves an orphaned node training and dialling the coordinator. Two
 * signals, whichever comes first: end of file on a pipe the parent holds open (the kernel closes it
 * when the parent dies, even by SIGKILL: immediate), and the parent's {@link ProcessHandle} no
 * longer alive (polled; covers a parent whose pipe a grandchild inherited). Then it runs
 * {@code onOrphaned} once, on a daemon thread. {@link #exitWhenOrphaned} makes that a normal
 * {@code System.exit} (the node's shutdown hook finishes or cancels its round) with a hard halt
 * after a bound. Thread-safe; the watch threads are daemons.
 */
public final class ParentWatchdog {
    /** How often the parent's liveness is polled. */
    public static final Duration POLL = Duration.ofMillis(500);
    /** How long the graceful exit may take before the JVM is halted. */
    public static final Duration HALT_AFTER = Duration.ofSeconds(5);

    private final AtomicBoolean fired = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Runnable onOrphaned;

    private ParentWatchdog(Runnable onOrphaned) {
        this.onOrphaned = onOrphaned;
    }

    /**
     * Starts watching.
     *
     * @param pipe        read until end of file (bytes are discarded), or null to watch only the parent
     * @param parentAlive polled every {@code poll}, or null to watch only the pipe
     * @param onOrphaned  run once when either signal comes
     */
    public static ParentWatchdog watch(
            InputStream pipe, BooleanSupplier parentAlive, Duration poll, Runnable onOrphaned) {
        if (pipe == null && parentAlive == null) {
            throw new IllegalArgumentException("nothing to watch: give a pipe, a parent or both");
        }
        ParentWatchdog w = new ParentWatchdog(onOrphaned);
        if (pipe != null) {
            daemon("atelier-parent-pipe", () -> {
                byte[] buf = new byte[256];
                try {
                    while (pipe.read(buf) >= 0) {
                        // the parent writes nothing; any bytes are ignored
                    }
                } catch (IOException e) {
                    // a broken pipe means the same as its end
                }
                w.fire();
            });
        }
        if (parentAlive != null) {
            long millis = Math.max(10, poll.toMillis());
            daemon("atelier-parent-poll", () -> {
                try {
                    while (parentAlive.getAsBoolean()) {
                        Thread.sleep(millis);
                    }
                    w.fire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return w;
    }

    /**
     * For a child's {@code main}: watches {@code System.in} (the parent keeps it open as a pipe) and
     * the parent process as it is now; when either goes, prints one line on {@code err} and calls
     * {@code System.exit(exitCode)}, halting after {@link #HALT_AFTER} if the shutdown hooks take
     * longer.
     */
    public static ParentWatchdog exitWhenOrphaned(PrintStream err, int exitCode) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        return watch(System.in, parent.<BooleanSupplier>map(p -> p::isAlive).orElse(null), POLL, () -> {
            err.println(
                    "the process that started this one is gone; stopping (at most " + HALT_AFTER.toSeconds() + " s)");
            err.flush();
            daemon("atelier-parent-halt", () -> {
                try {
                    Thread.sleep(HALT_AFTER.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Runtime.getRuntime().halt(exitCode);
            });
            System.exit(exitCode);
        });
    }

    /** Whether the parent went, waiting at most {@code timeout}. */
    public boolean awaitOrphaned(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fire() {
        if (fired.compareAndSet(false, true)) {
            try {
                onOrphaned.run();
            } finally {
                done.countDown();
            }
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
