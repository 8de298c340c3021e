package dev.atelier.core.run;

/** Observes a run's progress (progress bars, logs, tests). Called on the run's thread. */
public interface RunListener {
    default void onRoundStart(int round, int totalRounds) {}

    /** @param etaSeconds estimated seconds until the run finishes */
    default void onRoundEnd(RoundRecord record, int totalRounds, double etaSeconds) {}

    RunListener NONE = new RunListener() {};
}
