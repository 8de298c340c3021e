package dev.atelier.sketch.privacy;

import dev.atelier.core.aggregate.AggregationMath;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.sketch.eval.SketchEvaluation;
import dev.atelier.sketch.eval.SketchMetrics;
import dev.atelier.sketch.fed.FederationListener;
import dev.atelier.sketch.fed.FederationOutcome;
import dev.atelier.sketch.fed.Regime;
import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.fed.SketchFederation;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.train.CriticOnlyRecords;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code atelier audit}: how well the coordinator can tell a designer's training sketches from
 * unseen sketches of the same style, under each protection. Two FedGAI runs over the same
 * designers, seeds and schedule — one plain, one with per-sketch DP-SGD ({@link CriticDpSgd}) —
 * with every critic that leaves a node recorded on the wire ({@link SketchFederation.WireAudit}).
 * Each run gives two coordinator views ({@link Protection}): every designer's own update per round
 * (no secure aggregation), or only the round's example-weighted mean (what SecAgg+ reveals: the
 * exact sum, so this view is if anything stronger than the real one, which adds quantisation
 * error). {@link MembershipAttack} scores each designer's members and non-members; the report
 * gives the AUC with DeLong's 95% interval per designer and averaged, epsilon, the DP-SGD
 * signal-to-noise ratio and the sketch quality of both runs (style accuracy, FSD) when an
 * evaluation is given.
 *
 * <p>The positive control is the {@link Protection#NONE} row of the {@link #PRIMARY} attack: unless
 * its mean AUC is significantly above the label-permutation null ({@link PermutationNull}) the
 * attack is too weak for the other rows to prove anything ({@link AuditReport#controlPassed()}).
 * Designers with {@link Canaries} also train on their in-canaries; every row is then scored a
 * second time on the canaries ({@link Target#CANARIES}, with {@link OneRunAudit}'s epsilon lower
 * bound), and the control is judged on those.
 */
public final class PrivacyAudit {
    private PrivacyAudit() {}

    /**
     * The attacks ({@link MembershipAttack}); {@link #PRIMARY} is the audit's primary one, fixed
     * before the measurement. The calibrated ones subtract, per candidate, the same statistic
     * against the other designers' updates of the same round (which did not train on her sketches:
     * the coordinator's free "out" models), removing how much any update moves that sketch; they
     * need every designer's own update, so they have no aggregate (SecAgg) rows.
     */
    public enum Attack {
        /** Cosine of each candidate's centred critic gradient with each round's update. */
        GRADIENT_ALIGNMENT("gradient_alignment", true),
        /** Each candidate's ridge weight when each round's update is regressed on all candidates' gradients. */
        GRADIENT_REGRESSION("gradient_regression", true),
        /** {@link #GRADIENT_REGRESSION} with each round's weights z-scored before summing (every round counts alike). */
        REGRESSION_STANDARDISED("regression_standardised", true),
        /**
         * Each round's update regressed on the candidates' gradients at the round's midpoint critic,
         * Adam-preconditioned per weight, weights z-scored per round ({@link MembershipAttack#preconditioned}).
         */
        REGRESSION_ADAM("regression_adam", true),
        /** The rise of the candidate's critic score over each round. */
        SCORE_TRAJECTORY("score_trajectory", true),
        /** Gradient alignment minus its mean against the other designers' updates. */
        ALIGNMENT_CALIBRATED("alignment_calibrated", true),
        /** Score trajectory minus its mean under the other designers' updates. */
        TRAJECTORY_CALIBRATED("trajectory_calibrated", true),
        /**
         * Diagnostic, not an attack: the designer's own final critic (her BatchNorm, inference
         * mode) scoring the candidates — whether her critic memorised her sketches at all.
         */
        OWN_CRITIC("own_critic", false),
        /**
         * Gradient canaries only ({@link GradientCanaries#scores}): the cosine of each round's
         * descent with the canary's direction, summed over rounds. Fixed before any audit ran it.
         */
        UPDATE_PROJECTION("update_projection", true);

        private final String key;
        private final boolean coordinatorView;

        Attack(String key, boolean coordinatorView) {
            this.key = key;
            this.coordinatorView = coordinatorView;
        }

        public String key() {
            return key;
        }

        /** False for the {@link #OWN_CRITIC} diagnostic, which uses what only the node has. */
        public boolean coordinatorView() {
            return coordinatorView;
        }
    }

    /**
     * The primary attack, on which the positive control is judged. Chosen on a constructed leak
     * before any audit measurement with it ({@code MembershipAttackTest}: an update made from the
     * members' own gradient gave regression AUC 0.910, p 0.0005, against alignment's 0.648, p
     * 0.076); gradient alignment was the primary until 2026-12-01.
     */
    public static final Attack PRIMARY = Attack.GRADIENT_REGRESSION;

    /** Which candidates a row scores. */
    public enum Target {
        /** Her real training sketches against held-out sketches of her style (what the issue asks). */
        SKETCHES("sketches"),
        /** Her in-canaries against her out-canaries ({@link Canaries}): the positive control. */
        CANARIES("canaries"),
        /**
         * Her in- against her out-gradient canaries ({@link GradientCanaries}), scored by
         * {@link Attack#UPDATE_PROJECTION} only: the positive control when there are any.
         */
        GRADIENT_CANARIES("gradient_canaries");

        private final String key;

        Target(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** What the coordinator sees. */
    public enum Protection {
        /** Every designer's critic after each round, in the clear. */
        NONE("none", false, false),
        /** Only the round's aggregate critic. */
        SECAGG("secagg", true, false),
        /** Every designer's critic, trained with per-sketch DP-SGD. */
        DP_SGD("dp_sgd", false, true),
        /** The aggregate of DP-SGD critics. */
        SECAGG_DP_SGD("secagg+dp_sgd", true, true);

        private final String key;
        private final boolean aggregate;
        private final boolean dp;

        Protection(String key, boolean aggregate, boolean dp) {
            this.key = key;
            this.aggregate = aggregate;
            this.dp = dp;
        }

        public String key() {
            return key;
        }

        public boolean dp() {
            return dp;
        }

        /** True when the coordinator sees only the round's aggregate. */
        public boolean aggregate() {
            return aggregate;
        }
    }

    /**
     * One audited designer.
     *
     * @param members    her training pairs (what the critic may memorise)
     * @param nonMembers sketches of the same style and garment mix she did not train on
     * @param style      her style index ({@link dev.atelier.sketch.style.Styles} ordinal), for quality scoring
     */
    public record Designer(
            String name,
            int style,
            SketchPairs members,
            List<float[]> nonMembers,
            Canaries canaries,
            GradientCanaries gradientCanaries) {
        public Designer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(members, "members");
            Objects.requireNonNull(canaries, "canaries");
            Objects.requireNonNull(gradientCanaries, "gradientCanaries");
            nonMembers = List.copyOf(nonMembers);
            if (members.sketches().size() < 2 || nonMembers.size() < 2) {
                throw new IllegalArgumentException("designer " + name + ": the audit needs >= 2 members and >= 2"
                        + " non-members, got " + members.sketches().size() + " and " + nonMembers.size());
            }
        }

        /** Without canaries. */
        public Designer(String name, int style, SketchPairs members, List<float[]> nonMembers) {
            this(name, style, members, nonMembers, Canaries.NONE);
        }

        /** Without gradient canaries. */
        public Designer(String name, int style, SketchPairs members, List<float[]> nonMembers, Canaries canaries) {
            this(name, style, members, nonMembers, canaries, GradientCanaries.NONE);
        }

        public Designer withCanaries(Canaries c) {
            return new Designer(name, style, members, nonMembers, c, gradientCanaries);
        }

        public Designer withGradientCanaries(GradientCanaries g) {
            return new Designer(name, style, members, nonMembers, canaries, g);
        }

        /**
         * What her node trains on: her members plus her in-canaries (paired: each with one of her
         * member garments in turn, so the generator's inputs stay garments), or her members alone
         * when the canaries are {@link Canaries#criticOnly() critic-only}.
         */
        public SketchPairs trainingPairs() {
            if (canaries.in().isEmpty() || canaries.criticOnly()) {
                return members;
            }
            List<float[]> s = new ArrayList<>(members.sketches());
            s.addAll(canaries.in());
            List<float[]> g = new ArrayList<>(members.garments());
            if (members.paired()) {
                for (int i = 0; i < canaries.in().size(); i++) {
                    g.add(members.garments().get(i % members.garments().size()));
                }
            }
            return new SketchPairs(g, s, members.paired());
        }

        /** What only her critic trains on: her in-canaries when critic-only, and her in-gradient canaries. */
        public CriticOnlyRecords criticOnlyRecords() {
            return new CriticOnlyRecords(canaries.criticOnly() ? canaries.in() : List.of(), gradientCanaries.in());
        }

        /**
         * Alternate pairs of one designer's data: even indices train (members), odd ones are held
         * out (non-members), so both halves have the same garment mix.
         */
        public static Designer alternate(String name, int style, List<float[]> garments, List<float[]> sketches) {
            return split(name, style, garments, sketches, true);
        }

        /**
         * One designer's data split alike into members and non-members. Paired: as
         * {@link #alternate}. Unpaired (a folder of sketches and a separate folder of garments, as
         * FedGAI trains unpaired designers): every third pair from index 0 gives her member
         * sketches, from 1 her non-members, and the garments from 2 are her garment folder — not the
         * garments of any candidate, so her fakes resemble neither half.
         */
        public static Designer split(
                String name, int style, List<float[]> garments, List<float[]> sketches, boolean paired) {
            int period = paired ? 2 : 3;
            List<float[]> g = new ArrayList<>();
            List<float[]> s = new ArrayList<>();
            List<float[]> out = new ArrayList<>();
            for (int i = 0; i < sketches.size(); i++) {
                switch (i % period) {
                    case 0 -> {
                        s.add(sketches.get(i));
                        if (paired) {
                            g.add(garments.get(i));
                        }
                    }
                    case 1 -> out.add(sketches.get(i));
                    default -> g.add(garments.get(i));
                }
            }
            if (!paired) {
                // as many garments as sketches (the trainer samples the two sets independently)
                g = new ArrayList<>(g.subList(0, Math.min(g.size(), s.size())));
            }
            return new Designer(name, style, new SketchPairs(g, s, paired), out);
        }
    }

    /**
     * @param schedule         warm-up, rounds, local steps of both runs
     * @param trainer          designers' trainer settings (seeds replaced per designer)
     * @param dp               the DP-SGD run's settings (planned steps replaced by the schedule's)
     * @param gradientCanaries {@link GradientCanaries} per designer (0 = none; else >= 4), of the
     *                         DP-SGD clip norm, drawn over the initial shared critic
     */
    public record Settings(
            Schedule schedule,
            TrainerSettings trainer,
            DpSgdSettings dp,
            SketchGanConfig model,
            long seed,
            int gradientCanaries) {
        public Settings {
            Objects.requireNonNull(schedule, "schedule");
            Objects.requireNonNull(trainer, "trainer");
            Objects.requireNonNull(dp, "dp");
            Objects.requireNonNull(model, "model");
            if (gradientCanaries != 0 && gradientCanaries < 4) {
                throw new IllegalArgumentException(
                        "gradient canaries per designer must be 0 (none) or >= 4, got " + gradientCanaries);
            }
        }

        /** Without gradient canaries. */
        public Settings(
                Schedule schedule, TrainerSettings trainer, DpSgdSettings dp, SketchGanConfig model, long seed) {
            this(schedule, trainer, dp, model, seed, 0);
        }
    }

    /**
     * Scores generated sketches for the quality columns.
     *
     * @param evaluation the demo's evaluation (style head, FSD)
     * @param garments   held-out garments every generator draws
     * @param references per style index: reference renderings of {@code garments}
     */
    public record QualityProbe(
            SketchEvaluation evaluation, List<float[]> garments, Map<Integer, List<float[]>> references) {}

    /** Runs both federations and the attack; {@code quality} may be null (no quality columns). */
    public static AuditReport run(
            ParamSet encoder,
            List<Designer> designers,
            Settings settings,
            QualityProbe quality,
            FederationListener listener)
            throws IOException, InterruptedException {
        if (designers.isEmpty()) {
            throw new IllegalArgumentException("the audit needs at least one designer");
        }
        ParamSet initial; // the global critic before round 1: every designer's and the attack's start
        try (SketchGan fresh = SketchGan.create(encoder, settings.model(), settings.seed())) {
            initial = fresh.sharedDiscriminatorParams();
        }
        if (settings.gradientCanaries() > 0) {
            designers = withGradientCanaries(initial, designers, settings);
        }
        List<AuditReport.Row> rows = new ArrayList<>();
        Map<String, Double> epsilon = new LinkedHashMap<>();
        double snr = Double.NaN;
        double sigma = Double.NaN;
        for (boolean dp : new boolean[] {false, true}) {
            Map<String, List<ParamSet>> sent = new LinkedHashMap<>();
            designers.forEach(d -> sent.put(d.name(), new ArrayList<>()));
            SketchFederation.Builder b = SketchFederation.builder()
                    .setEncoder(encoder)
                    .optRegime(Regime.FEDERATED)
                    .optSchedule(settings.schedule())
                    .optModelConfig(settings.model())
                    .optTrainerSettings(settings.trainer())
                    .optSeed(settings.seed())
                    .optListener(listener)
                    .optWireAudit((name, params) -> {
                        if (!params.isEmpty()) {
                            sent.get(name).add(params); // a TRAIN reply: the critic as it left her node
                        }
                    });
            designers.forEach(d -> b.addDesigner(d.name(), d.trainingPairs(), d.criticOnlyRecords()));
            if (dp) {
                b.optCriticDp(settings.dp());
            }
            try (FederationOutcome outcome = b.build().run();
                    MembershipAttack attack = new MembershipAttack(encoder, settings.model(), settings.seed())) {
                List<ParamSet> globals = globals(initial, sent, designers);
                AuditReport.Quality q = quality == null ? null : quality(outcome, designers, quality);
                rows.addAll(AuditScoring.rows(attack, designers, sent, globals, outcome, dp, q, settings.seed()));
                if (dp) {
                    for (var e : outcome.trainers().entrySet()) {
                        CriticDpSgd c = e.getValue().criticPrivacy().orElseThrow();
                        epsilon.put(e.getKey(), c.spent().epsilon());
                        snr = Double.isNaN(snr) ? c.meanSnr() : Math.min(snr, c.meanSnr());
                        sigma = c.noiseMultiplier();
                    }
                }
            }
        }
        return new AuditReport(rows, epsilon, settings.dp().dp().delta(), sigma, snr, settings);
    }

    /** Every designer with her own gradient canaries, drawn over the initial shared critic. */
    private static List<Designer> withGradientCanaries(ParamSet initial, List<Designer> designers, Settings settings) {
        List<Designer> out = new ArrayList<>();
        for (Designer d : designers) {
            // the directions and coins of designer i: a stream of their own, fixed by the seed
            long s = settings.seed() * 1_000_003L + out.size() + 0x6CA7_A21E5L;
            out.add(d.withGradientCanaries(GradientCanaries.draw(
                    initial, settings.gradientCanaries(), settings.dp().dp().clipNorm(), s)));
        }
        return out;
    }

    /** Global critic before round 1, 2, ..., and after the last: example-weighted FedAvg of the updates. */
    private static List<ParamSet> globals(
            ParamSet initial, Map<String, List<ParamSet>> sent, List<Designer> designers) {
        int rounds = sent.values().iterator().next().size();
        for (var e : sent.entrySet()) {
            if (e.getValue().size() != rounds) {
                throw new IllegalStateException(
                        "designer " + e.getKey() + " sent " + e.getValue().size() + " critics, others " + rounds);
            }
        }
        List<ParamSet> out = new ArrayList<>();
        out.add(initial);
        double total =
                designers.stream().mapToDouble(d -> d.trainingPairs().size()).sum();
        for (int r = 0; r < rounds; r++) {
            ParamSet.Builder b = ParamSet.builder();
            for (var name : initial.asMap().keySet()) {
                Tensor first = sent.get(designers.get(0).name()).get(r).get(name);
                double[] acc = new double[Math.toIntExact(first.numElements())];
                for (Designer d : designers) {
                    Tensor t = sent.get(d.name()).get(r).get(name);
                    AggregationMath.addScaled(
                            acc, t.data(), t.dtype(), d.trainingPairs().size() / total);
                }
                b.put(name, AggregationMath.encode(first.dtype(), first.shape(), AggregationMath.scaledCopy(acc, 1)));
            }
            out.add(b.build());
        }
        return out;
    }

    private static AuditReport.Quality quality(
            FederationOutcome outcome, List<Designer> designers, QualityProbe probe) {
        List<SketchEvaluation.Case> cases = new ArrayList<>();
        Set<Integer> styles = new LinkedHashSet<>();
        designers.forEach(d -> styles.add(d.style()));
        for (Designer d : designers) {
            SketchTrainer t = outcome.trainers().get(d.name());
            List<float[]> generated =
                    java.util.Arrays.asList(t.generate(probe.garments().toArray(new float[0][])));
            Set<Integer> peers = new LinkedHashSet<>(styles);
            peers.remove(d.style());
            cases.add(new SketchEvaluation.Case(
                    d.style(), peers, generated, probe.references().get(d.style())));
        }
        List<SketchMetrics> m = probe.evaluation().evaluateAll(cases);
        return new AuditReport.Quality(
                m.stream().mapToDouble(SketchMetrics::styleAcc).average().orElseThrow(),
                m.stream().mapToDouble(SketchMetrics::fsd).average().orElseThrow());
    }
}
