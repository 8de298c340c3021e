package dev.atelier.sketch.privacy;

import dev.atelier.core.params.ParamSet;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.TrainerSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Can the critic memorise one designer's sketches at all, and how fast? Trains her alone (no
 * federation, no DP) and every {@code every} critic steps measures, members against non-members:
 * her own critic's score (with her BatchNorm, inference mode: the upper bound for any attack on
 * it) and the primary attack ({@link PrivacyAudit#PRIMARY}, ridge regression on the candidates'
 * gradients) on the updates the coordinator would receive if each segment were a round, summed
 * so far. Each point has its permutation null. Owns nothing after {@link #run} returns.
 */
public final class MemorisationCurve {
    private MemorisationCurve() {}

    /** After {@code steps} critic steps: both statistics with their permutation nulls. */
    public record Point(
            long steps,
            AucInterval ownCritic,
            PermutationNull ownNull,
            AucInterval attack,
            PermutationNull attackNull) {}

    /**
     * @param every steps between points ({@code >= 1}); {@code steps} rounded down to a multiple
     * @param onPoint called with every point as it is measured (progress), may be null
     */
    public static List<Point> run(
            ParamSet encoder,
            PrivacyAudit.Designer designer,
            TrainerSettings trainer,
            SketchGanConfig model,
            long seed,
            int warmup,
            int steps,
            int every,
            Consumer<Point> onPoint) {
        Objects.requireNonNull(designer, "designer");
        if (every < 1 || steps < every || warmup < 0) {
            throw new IllegalArgumentException(
                    "memorisation curve needs 1 <= every <= steps and warmup >= 0, got every " + every + ", steps "
                            + steps + ", warmup " + warmup);
        }
        List<float[]> candidates = new ArrayList<>(designer.members().sketches());
        candidates.addAll(designer.nonMembers());
        int m = designer.members().sketches().size();
        List<Point> out = new ArrayList<>();
        try (SketchTrainer t = SketchTrainer.builder()
                        .setModel(SketchGan.create(encoder, model, seed))
                        .setData(designer.members())
                        .optSettings(trainer.withSeed(seed))
                        .build();
                MembershipAttack attack = new MembershipAttack(encoder, model, seed)) {
            t.warmup(warmup, null);
            ParamSet before = t.model().sharedDiscriminatorParams();
            double[] attackScores = new double[candidates.size()];
            for (int done = every; done <= steps; done += every) {
                t.trainSteps(every, null, 0f, null);
                ParamSet after = t.model().sharedDiscriminatorParams();
                double[] r = attack.gradientScores(candidates, List.of(before), List.of(List.of(after)))
                        .regression()[0];
                for (int i = 0; i < r.length; i++) {
                    attackScores[i] += r[i];
                }
                before = after;
                double[] own = MembershipAttack.ownCriticScores(t.model(), candidates);
                Point p = new Point(
                        done,
                        auc(own, m),
                        PermutationNull.of(List.of(own), List.of(m), PermutationNull.DEFAULT_PERMUTATIONS, seed),
                        auc(attackScores, m),
                        PermutationNull.of(
                                List.of(attackScores.clone()), List.of(m), PermutationNull.DEFAULT_PERMUTATIONS, seed));
                out.add(p);
                if (onPoint != null) {
                    onPoint.accept(p);
                }
            }
        }
        return out;
    }

    private static AucInterval auc(double[] s, int m) {
        return AucInterval.of(Arrays.copyOfRange(s, 0, m), Arrays.copyOfRange(s, m, s.length));
    }
}
