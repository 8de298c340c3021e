package dev.atelier.sketch.fed;

import dev.atelier.sketch.train.StepMetrics;

/** Observes a {@link SketchFederation} run (progress bars, logs); called on the run's thread. */
public interface FederationListener {
    /**
     * After every local step of any designer.
     *
     * @param done  steps finished so far, over all designers
     * @param total steps of the whole run ({@link SketchFederation#totalSteps()})
     */
    default void onStep(String designer, long done, long total, StepMetrics metrics) {}

    /** After every round (not called during warm-up). */
    default void onRound(RoundSummary summary, int totalRounds) {}

    FederationListener NONE = new FederationListener() {};
}
