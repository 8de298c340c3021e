package dev.atelier.studio.store;

import java.time.Instant;

/**
 * One version of her model ({@code models/v<N>/}).
 *
 * @param version N, from 1
 * @param created when it was queued
 * @param source where it came from: {@code folder f<N>}, {@code built-in NAME} or {@code imported}
 * @param folder the upload it was trained on, or 0 (imported)
 * @param status see {@link Status}
 * @param steps steps done so far
 * @param totalSteps steps planned
 * @param lastL1 the last step's pixel L1 (NaN before the first step)
 * @param message last error or note, "" when none
 */
public record Version(
        int version,
        Instant created,
        String source,
        int folder,
        Status status,
        int steps,
        int totalSteps,
        double lastL1,
        String message) {
    public enum Status {
        QUEUED,
        TRAINING,
        DONE,
        FAILED,
        CANCELLED
    }

    /** Whether the version has a model that can sketch. */
    public boolean usable() {
        return status == Status.DONE;
    }
}
