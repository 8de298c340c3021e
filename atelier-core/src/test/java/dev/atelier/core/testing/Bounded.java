package dev.atelier.core.testing;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one fuzzing input's work with a deadline, for decoders that must never hang: a result in
 * time is returned, a hang or an exception other than the one the work itself handles is a test
 * failure naming what ran. Work runs on daemon threads, so an input that hangs cannot keep the test
 * JVM alive or block the next input. Thread-safe.
 */
public final class Bounded {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "bounded-fuzz");
        t.setDaemon(true);
        return t;
    });

    private Bounded() {}

    /**
     * @param what     what the work does, for the failure message ("decode", "config parse")
     * @param expected the exception the work is documented to throw (and catches itself)
     */
    public static <T> T call(String what, String expected, Duration limit, Callable<T> work) {
        Future<T> f = POOL.submit(work);
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return fail(what + " did not finish within " + limit.toSeconds() + " s");
        } catch (ExecutionException e) {
            return fail(what + " threw " + e.getCause() + " instead of " + expected, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted");
        }
    }
}
