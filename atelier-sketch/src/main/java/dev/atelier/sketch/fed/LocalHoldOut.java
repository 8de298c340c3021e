package dev.atelier.sketch.fed;

import dev.atelier.ml.data.HoldOut;
import dev.atelier.sketch.train.SketchPairs;
import java.util.List;

/**
 * A designer's local held-out pairs for the EVALUATE task, split from its data by the shared
 * {@link HoldOut} rule: every 10th pair (positions 9, 19, …) is held out and never trained on.
 * Only paired data is split — scoring needs each garment's reference sketch — so unpaired data,
 * or fewer than 10 pairs, leaves the designer with no held-out set (then {@link #isEmpty()}).
 *
 * @param garments held-out garments
 * @param sketches their reference sketches, index-aligned
 */
public record LocalHoldOut(List<float[]> garments, List<float[]> sketches) {
    public LocalHoldOut {
        garments = List.copyOf(garments);
        sketches = List.copyOf(sketches);
        if (garments.size() != sketches.size()) {
            throw new IllegalArgumentException(
                    "held-out pairs need as many sketches as garments: " + garments.size() + " vs " + sketches.size());
        }
    }

    /** No held-out data. */
    public static LocalHoldOut none() {
        return new LocalHoldOut(List.of(), List.of());
    }

    public boolean isEmpty() {
        return garments.isEmpty();
    }

    public int size() {
        return garments.size();
    }

    /** The training pairs and the held-out pairs of {@code data}. */
    public record Split(SketchPairs train, LocalHoldOut heldOut) {}

    /** Splits {@code data} by the {@link HoldOut} rule (unpaired or too small: nothing held out). */
    public static Split split(SketchPairs data) {
        if (!data.paired() || data.size() < HoldOut.EVERY) {
            return new Split(data, none());
        }
        SketchPairs train = SketchPairs.paired(
                        HoldOut.select(data.garments(), false), HoldOut.select(data.sketches(), false))
                .withUnsketched(data.unsketched());
        return new Split(
                train, new LocalHoldOut(HoldOut.select(data.garments(), true), HoldOut.select(data.sketches(), true)));
    }
}
