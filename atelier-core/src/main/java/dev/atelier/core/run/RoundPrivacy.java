package dev.atelier.core.run;

import java.util.Objects;
import java.util.Optional;

/**
 * The privacy side of one round, the {@code privacy} object of a {@code metrics.jsonl} line.
 *
 * @param mode         {@code secagg}, {@code central-dp} or {@code secagg+dp}
 * @param contributors nodes whose update is in the aggregate (SecAgg: the masked vectors summed)
 * @param dropped      SecAgg: nodes that shared keys but sent no masked vector (their masks were
 *                     removed from shares); 0 without SecAgg
 * @param aborted      why the SecAgg round was aborted (the model was kept); empty otherwise
 * @param epsilon      DP: epsilon spent by the run so far, this round included; empty without DP
 * @param delta        DP: the delta of {@code epsilon}
 * @param sigma        DP: noise multiplier applied (noise std / clip norm)
 * @param snr          DP: signal-to-noise ratio of the noisy sum ({@code ||sum|| / ||noise||}; an
 *                     estimate from the noisy sum and the known noise variance under SecAgg);
 *                     empty when the round was not aggregated
 */
public record RoundPrivacy(
        String mode,
        int contributors,
        int dropped,
        Optional<String> aborted,
        Optional<Double> epsilon,
        Optional<Double> delta,
        Optional<Double> sigma,
        Optional<Double> snr) {
    public RoundPrivacy {
        Objects.requireNonNull(mode, "mode");
        if (contributors < 0 || dropped < 0) {
            throw new IllegalArgumentException("contributors and dropped must be >= 0");
        }
        Objects.requireNonNull(aborted, "aborted");
        Objects.requireNonNull(epsilon, "epsilon");
        Objects.requireNonNull(delta, "delta");
        Objects.requireNonNull(sigma, "sigma");
        Objects.requireNonNull(snr, "snr");
    }
}
