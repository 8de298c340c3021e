package dev.atelier.core.testing;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Threads of one test for work that blocks, such as a round waiting for its deadline:
 * {@code @RegisterExtension final TestThreads rounds = new TestThreads();} then
 * {@code CompletableFuture.supplyAsync(..., rounds)}. Not the common pool: on 2 cores it has one
 * worker, so a round a previous test left blocked delayed the next test's round past its node's
 * liveness (ProtocolEdgeCasesTest failed that way in CI). Interrupted after each test.
 */
public final class TestThreads implements Executor, AfterEachCallback {
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        pool.shutdownNow();
    }
}
