package dev.atelier.studio.store;

import java.time.Instant;

/**
 * One generated sketch and what made it.
 *
 * @param id the file id ({@code sketches/<id>.png})
 * @param created when it was generated
 * @param version the model version that drew it
 * @param inputId the garment's file id ({@code inputs/<id>.png})
 * @param inputName the garment's file name as uploaded (display only, never a path)
 * @param blend own-style weight in [0,1]: 1 = her style only, 0 = the federation's card only
 * @param student drawn by the edge student instead of the teacher
 * @param candidate 0-based index among the candidates of one request
 * @param variation how this candidate differs from candidate 0, e.g. {@code shift +1,0}
 * @param decision null while undecided, else kept or discarded
 */
public record KeptSketch(
        String id,
        Instant created,
        int version,
        String inputId,
        String inputName,
        double blend,
        boolean student,
        int candidate,
        String variation,
        Boolean decision) {}
