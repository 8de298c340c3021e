package dev.atelier.sketch.privacy;

import dev.atelier.core.params.ParamSet;
import dev.atelier.sketch.fed.FederationOutcome;
import dev.atelier.sketch.privacy.PrivacyAudit.Attack;
import dev.atelier.sketch.privacy.PrivacyAudit.Designer;
import dev.atelier.sketch.privacy.PrivacyAudit.Protection;
import dev.atelier.sketch.privacy.PrivacyAudit.Target;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One audited run's rows: every attack on both coordinator views (each designer's own update, and
 * the round's aggregate) plus the calibrated attacks and the own-critic diagnostic on the per-node
 * view, each with per-designer AUCs, their mean and the permutation null; for her real sketches and,
 * when the designers have them, for her canaries ({@link Canaries}, with the one-run epsilon lower
 * bound). Stateless.
 */
final class AuditScoring {
    private AuditScoring() {}

    /**
     * @param sent    per designer, her critic after each round as it left her node
     * @param globals the global critic before round 1, 2, ... and after the last
     * @param dp      whether this is the DP-SGD run (its rows are the DP protections)
     */
    static List<AuditReport.Row> rows(
            MembershipAttack attack,
            List<Designer> designers,
            Map<String, List<ParamSet>> sent,
            List<ParamSet> globals,
            FederationOutcome outcome,
            boolean dp,
            AuditReport.Quality q,
            long seed) {
        boolean withCanaries = allOrNone(designers, d -> d.canaries().count() > 0, "canaries");
        boolean withGradientCanaries =
                allOrNone(designers, d -> d.gradientCanaries().count() > 0, "gradient canaries");
        List<AuditReport.Row> rows = new ArrayList<>();
        if (withGradientCanaries) {
            rows.addAll(gradientCanaryRows(designers, sent, globals, dp, q, seed));
        }
        for (Target target : withCanaries ? List.of(Target.SKETCHES, Target.CANARIES) : List.of(Target.SKETCHES)) {
            Map<Attack, Map<Protection, Map<String, double[]>>> scores =
                    scores(attack, designers, sent, globals, outcome, dp, target);
            for (var byAttack : scores.entrySet()) {
                for (var byView : byAttack.getValue().entrySet()) {
                    rows.add(row(target, byView.getKey(), byAttack.getKey(), byView.getValue(), designers, q, seed));
                }
            }
        }
        return rows;
    }

    /** Whether every designer has {@code what}; false if none does; an error when only some do. */
    private static boolean allOrNone(
            List<Designer> designers, java.util.function.Predicate<Designer> has, String what) {
        long with = designers.stream().filter(has).count();
        if (with != 0 && with != designers.size()) {
            throw new IllegalArgumentException("either every audited designer has " + what + " or none does, got "
                    + with + " of " + designers.size());
        }
        return with > 0;
    }

    /** Members first, then non-members: her sketches, or her in- then out-canaries. */
    static List<float[]> candidates(Designer d, Target target) {
        List<float[]> c = new ArrayList<>();
        if (target == Target.SKETCHES) {
            c.addAll(d.members().sketches());
            c.addAll(d.nonMembers());
        } else {
            c.addAll(d.canaries().in());
            c.addAll(d.canaries().out());
        }
        return c;
    }

    static int members(Designer d, Target target) {
        return switch (target) {
            case SKETCHES -> d.members().sketches().size();
            case CANARIES -> d.canaries().in().size();
            case GRADIENT_CANARIES -> d.gradientCanaries().in().size();
        };
    }

    /** The update projection of every designer's gradient canaries, on her own updates and on the aggregate. */
    private static List<AuditReport.Row> gradientCanaryRows(
            List<Designer> designers,
            Map<String, List<ParamSet>> sent,
            List<ParamSet> globals,
            boolean dp,
            AuditReport.Quality q,
            long seed) {
        Map<String, double[]> perNode = new LinkedHashMap<>();
        Map<String, double[]> aggregate = new LinkedHashMap<>();
        for (Designer d : designers) {
            List<ParamSet> own = sent.get(d.name());
            List<ParamSet> before = globals.subList(0, own.size());
            perNode.put(d.name(), d.gradientCanaries().scores(before, own));
            aggregate.put(d.name(), d.gradientCanaries().scores(before, globals.subList(1, own.size() + 1)));
        }
        return List.of(
                row(
                        Target.GRADIENT_CANARIES,
                        dp ? Protection.DP_SGD : Protection.NONE,
                        Attack.UPDATE_PROJECTION,
                        perNode,
                        designers,
                        q,
                        seed),
                row(
                        Target.GRADIENT_CANARIES,
                        dp ? Protection.SECAGG_DP_SGD : Protection.SECAGG,
                        Attack.UPDATE_PROJECTION,
                        aggregate,
                        designers,
                        q,
                        seed));
    }

    private static Map<Attack, Map<Protection, Map<String, double[]>>> scores(
            MembershipAttack attack,
            List<Designer> designers,
            Map<String, List<ParamSet>> sent,
            List<ParamSet> globals,
            FederationOutcome outcome,
            boolean dp,
            Target target) {
        Protection perNode = dp ? Protection.DP_SGD : Protection.NONE;
        Protection aggregate = dp ? Protection.SECAGG_DP_SGD : Protection.SECAGG;
        Map<Attack, Map<Protection, Map<String, double[]>>> scores = new EnumMap<>(Attack.class);
        for (Designer d : designers) {
            List<ParamSet> own = sent.get(d.name());
            List<List<ParamSet>> after = new ArrayList<>();
            after.add(own);
            after.add(globals.subList(1, own.size() + 1));
            designers.stream().filter(o -> o != d).forEach(o -> after.add(sent.get(o.name())));
            List<float[]> candidates = candidates(d, target);
            List<ParamSet> before = globals.subList(0, own.size());
            MembershipAttack.GradientScores grads = attack.gradientScores(candidates, before, after);
            double[][] aligned = grads.alignment();
            double[][] rise = attack.trajectoryScores(candidates, before, after);
            put(scores, Attack.GRADIENT_ALIGNMENT, perNode, d, aligned[0]);
            put(scores, Attack.GRADIENT_ALIGNMENT, aggregate, d, aligned[1]);
            put(scores, Attack.GRADIENT_REGRESSION, perNode, d, grads.regression()[0]);
            put(scores, Attack.GRADIENT_REGRESSION, aggregate, d, grads.regression()[1]);
            put(scores, Attack.REGRESSION_STANDARDISED, perNode, d, grads.standardised()[0]);
            put(scores, Attack.REGRESSION_STANDARDISED, aggregate, d, grads.standardised()[1]);
            put(scores, Attack.REGRESSION_ADAM, perNode, d, grads.adam()[0]);
            put(scores, Attack.REGRESSION_ADAM, aggregate, d, grads.adam()[1]);
            put(scores, Attack.SCORE_TRAJECTORY, perNode, d, rise[0]);
            put(scores, Attack.SCORE_TRAJECTORY, aggregate, d, rise[1]);
            if (after.size() > 2) {
                put(scores, Attack.ALIGNMENT_CALIBRATED, perNode, d, calibrated(aligned));
                put(scores, Attack.TRAJECTORY_CALIBRATED, perNode, d, calibrated(rise));
            }
            put(
                    scores,
                    Attack.OWN_CRITIC,
                    perNode,
                    d,
                    MembershipAttack.ownCriticScores(
                            outcome.trainers().get(d.name()).model(), candidates));
        }
        return scores;
    }

    private static void put(
            Map<Attack, Map<Protection, Map<String, double[]>>> scores,
            Attack a,
            Protection p,
            Designer d,
            double[] s) {
        scores.computeIfAbsent(a, k -> new EnumMap<>(Protection.class))
                .computeIfAbsent(p, k -> new LinkedHashMap<>())
                .put(d.name(), s);
    }

    /** View 0's scores minus, per candidate, the mean of views 2.. (the other designers' updates). */
    private static double[] calibrated(double[][] views) {
        double[] out = views[0].clone();
        for (int i = 0; i < out.length; i++) {
            double others = 0;
            for (int v = 2; v < views.length; v++) {
                others += views[v][i];
            }
            out[i] -= others / (views.length - 2);
        }
        return out;
    }

    /**
     * One row: per-designer AUC with DeLong's interval, their mean, the permutation null of the
     * mean and, for canaries, the one-run epsilon lower bound.
     */
    private static AuditReport.Row row(
            Target target,
            Protection p,
            Attack a,
            Map<String, double[]> byDesigner,
            List<Designer> designers,
            AuditReport.Quality q,
            long seed) {
        Map<String, AucInterval> per = new LinkedHashMap<>();
        List<double[]> all = new ArrayList<>();
        List<Integer> members = new ArrayList<>();
        for (Designer d : designers) {
            double[] s = byDesigner.get(d.name());
            int m = members(d, target);
            per.put(d.name(), auc(s, m));
            all.add(s);
            members.add(m);
        }
        PermutationNull test = PermutationNull.of(all, members, PermutationNull.DEFAULT_PERMUTATIONS, seed);
        OneRunAudit.Bound bound = target == Target.SKETCHES ? null : OneRunAudit.of(all, members);
        return new AuditReport.Row(target, p, a, per, AucInterval.mean(List.copyOf(per.values())), test, q, bound);
    }

    private static AucInterval auc(double[] scores, int members) {
        return AucInterval.of(
                Arrays.copyOfRange(scores, 0, members), Arrays.copyOfRange(scores, members, scores.length));
    }
}
