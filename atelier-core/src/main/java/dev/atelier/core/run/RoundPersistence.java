package dev.atelier.core.run;

import dev.atelier.core.params.ParamSet;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Saves a finished round (its metrics line, then its checkpoint when due) and survives a disk
 * hiccup: each write is retried with doubling back-off, and each failed attempt is reported through
 * {@link RunListener#onPersistFailed}. A write that fails every attempt stops the run with one line
 * naming the file, the cause and the round a restart resumes from; the previous checkpoint is
 * untouched because every checkpoint write is atomic ({@code Safetensors.write}).
 *
 * <p>The metrics line is appended once per round; a retried append can only follow an append that
 * failed before writing (a full disk refuses the open or the first block), and the resume drops
 * metrics lines after its checkpoint anyway. Not thread-safe: used by the run's own thread.
 */
final class RoundPersistence {
    /** Attempts per write: the first and three retries, 0.5 + 1 + 2 s apart. */
    static final int ATTEMPTS = 4;

    private final RunDirectory directory;
    private final RunListener listener;
    private final Duration firstBackoff;
    private int lastCheckpoint;

    RoundPersistence(RunDirectory directory, RunListener listener, Duration firstBackoff, int lastCheckpoint) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
        this.lastCheckpoint = lastCheckpoint;
    }

    /** Appends {@code r}'s metrics line and, when {@code checkpoint}, writes the round's checkpoint. */
    void save(String runId, RoundRecord r, boolean checkpoint, ParamSet global, ParamSet serverState)
            throws IOException, InterruptedException {
        retry(r.round(), directory.metricsFile().toString(), () -> directory.appendMetrics(r));
        if (checkpoint) {
            retry(
                    r.round(),
                    directory.checkpoint(r.round()).toString(),
                    () -> directory.writeCheckpoint(runId, r.round(), global, serverState));
            lastCheckpoint = r.round();
        }
    }

    private interface Write {
        void run() throws IOException;
    }

    private void retry(int round, String file, Write write) throws IOException, InterruptedException {
        long backoff = firstBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (IOException e) {
                listener.onPersistFailed(round, file, attempt, ATTEMPTS, e);
                if (attempt == ATTEMPTS) {
                    throw new IOException(
                            "cannot write " + file + " for round " + round + " after " + ATTEMPTS + " attempts ("
                                    + e + "); the run stops here. Fix the disk, then restart: it resumes after "
                                    + (lastCheckpoint > 0 ? "round " + lastCheckpoint : "no round (from the start)"),
                            e);
                }
                Thread.sleep(backoff);
                backoff *= 2;
            }
        }
    }
}
