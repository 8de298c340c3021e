package dev.atelier.sketch.train;

import dev.atelier.core.params.ParamSet;
import java.util.List;

/**
 * Records only a designer's critic trains on, never a generator target: what the privacy audit
 * plants as canaries ({@code dev.atelier.sketch.privacy}). Each is drawn into the critic's batches
 * as often as one of her pairs; under DP-SGD each is a record of its own (plan the accountant for
 * her pairs plus {@link #size()}).
 *
 * @param sketches  extra real sketches (her canvas, [0,1]): each drawn adds its Gram stack as a real row
 * @param gradients per-record critic gradients over shared critic tensors (gradient canaries): each
 *                  drawn is added to the critic's gradient as one record's share
 */
public record CriticOnlyRecords(List<float[]> sketches, List<ParamSet> gradients) {
    /** None (every ordinary training). */
    public static final CriticOnlyRecords NONE = new CriticOnlyRecords(List.of(), List.of());

    public CriticOnlyRecords {
        sketches = List.copyOf(sketches);
        gradients = List.copyOf(gradients);
    }

    public int size() {
        return sketches.size() + gradients.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }
}
