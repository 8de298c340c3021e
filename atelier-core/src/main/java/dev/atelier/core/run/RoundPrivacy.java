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
 * @param snr          DP: signal-to-noise ratio {@code ||sum|| / ||noise||} of the noisy sum,
 *                     estimated from the noisy sum and the known noise variance only (post-
 *                     processing, so publishing it costs no privacy; the exact value would need
 *                     the clean sum); empty when the round was not aggregated
 * @param clipNorm     DP: the L2 clip norm {@code C} this round used; empty without DP
 * @param nextClipNorm DP with adaptive clipping: the clip norm the next round uses (moved from the
 *                     privatised unclipped count; unchanged when the round gave no count); empty
 *                     with a fixed clip norm. Null (absent in older lines) reads as empty.
 */
public record RoundPrivacy(
        String mode,
        int contributors,
        int dropped,
        Optional<String> aborted,
        Optional<Double> epsilon,
        Optional<Double> delta,
        Optional<Double> sigma,
        Optional<Double> snr,
        Optional<Double> clipNorm,
        Optional<Double> nextClipNorm) {
    /** Without clip norms (records written before adaptive clipping). */
    public RoundPrivacy(
            String mode,
            int contributors,
            int dropped,
            Optional<String> aborted,
            Optional<Double> epsilon,
            Optional<Double> delta,
            Optional<Double> sigma,
            Optional<Double> snr) {
        this(mode, contributors, dropped, aborted, epsilon, delta, sigma, snr, Optional.empty(), Optional.empty());
    }

    public RoundPrivacy {
        clipNorm = clipNorm == null ? Optional.empty() : clipNorm;
        nextClipNorm = nextClipNorm == null ? Optional.empty() : nextClipNorm;
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

    /** One line for consoles and reports, e.g. {@code secagg+dp: epsilon 1.23 (delta 1e-05), sigma 0.90, SNR 0.031, 9 contributors, 2 dropped}. */
    public String summary() {
        StringBuilder b = new StringBuilder(mode).append(':');
        epsilon.ifPresent(e -> b.append(
                String.format(java.util.Locale.ROOT, " epsilon %.3f (delta %.0e)", e, delta.orElse(Double.NaN))));
        sigma.ifPresent(z -> b.append(String.format(java.util.Locale.ROOT, ", sigma %.3f", z)));
        snr.ifPresent(x -> b.append(String.format(java.util.Locale.ROOT, ", SNR %.3g", x)));
        nextClipNorm.ifPresent(c ->
                b.append(String.format(java.util.Locale.ROOT, ", clip %.4g -> %.4g", clipNorm.orElse(Double.NaN), c)));
        b.append(", ").append(contributors).append(" contributors");
        if (dropped > 0) {
            b.append(", ").append(dropped).append(" dropped after sharing keys");
        }
        aborted.ifPresent(a -> b.append(", ABORTED: ").append(a));
        return b.toString();
    }
}
