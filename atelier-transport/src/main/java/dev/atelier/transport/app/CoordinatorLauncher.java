package dev.atelier.transport.app;

import dev.atelier.core.run.Run;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Runs a {@link Coordinator} as a process: SIGTERM (or Ctrl-C) stops it gracefully through
 * {@link Coordinator#shutdown} with the config's {@code shutdown_grace_s}, so the run is never left
 * {@code running} in the database, and prints one line saying what happened and how to resume.
 * Used by {@code atelier coordinator} and the multi-process tests. One launch per instance.
 */
public final class CoordinatorLauncher {
    private final CoordinatorConfig cfg;
    private final PrintStream err;

    public CoordinatorLauncher(CoordinatorConfig cfg, PrintStream err) {
        this.cfg = Objects.requireNonNull(cfg, "cfg");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** Runs to the end, or until a signal; the result as {@link Coordinator#run()}. */
    public Run.Result run() throws Exception {
        Coordinator coordinator = new Coordinator(cfg);
        Thread hook = new Thread(
                () -> {
                    err.println("coordinator: stop signal received; no new round starts (waiting up to "
                            + cfg.timing().shutdownGrace().toSeconds() + " s for the round in progress)");
                    try {
                        err.println("coordinator: "
                                + coordinator.shutdown(cfg.timing().shutdownGrace())
                                + "; restart with the same --config to resume after the last checkpointed round");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    err.flush();
                },
                "atelier-coordinator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return coordinator.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
                coordinator.close();
            } catch (IllegalStateException shuttingDown) {
                // the hook runs and closes the coordinator itself once the round is settled
            }
        }
    }
}
