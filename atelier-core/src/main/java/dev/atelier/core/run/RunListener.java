package dev.atelier.core.run;

/** Observes a run's progress (progress bars, logs, metrics, tests). Called on the run's thread. */
public interface RunListener {
    default void onRoundStart(int round, int totalRounds) {}

    /**
     * An attempt of {@code round} found too few nodes within the round deadline; the round is not
     * played and will be attempted again (it does not count, is not checkpointed, and the run does
     * not advance).
     *
     * @param attempt   1 for the first failed attempt of this round, then 2, 3...
     * @param available nodes that were available at the deadline
     * @param required  the sampling's minimum
     */
    default void onRoundWaiting(int round, int attempt, int available, int required) {}

    /** @param etaSeconds estimated seconds until the run finishes */
    default void onRoundEnd(RoundRecord record, int totalRounds, double etaSeconds) {}

    /**
     * Writing a finished round's metrics line or checkpoint failed (a disk fault on this machine,
     * never a node's); it is retried until {@code attempts} have failed, then the run stops.
     *
     * @param file    the file that could not be written
     * @param attempt 1 for the first failure, up to {@code attempts}
     */
    default void onPersistFailed(int round, String file, int attempt, int attempts, java.io.IOException cause) {}

    RunListener NONE = new RunListener() {};
}
