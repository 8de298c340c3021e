package dev.atelier.sketch.demo;

import dev.atelier.core.params.ParamSet;
import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.ml.train.TrainSettings;
import dev.atelier.sketch.eval.EvaluatorCache;
import dev.atelier.sketch.eval.EvaluatorSettings;
import dev.atelier.sketch.eval.SketchEvaluation;
import dev.atelier.sketch.eval.SketchEvaluator;
import dev.atelier.sketch.fed.FederationListener;
import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.privacy.AuditReport;
import dev.atelier.sketch.privacy.Canaries;
import dev.atelier.sketch.privacy.DpSgdSettings;
import dev.atelier.sketch.privacy.MemorisationCurve;
import dev.atelier.sketch.privacy.PrivacyAudit;
import dev.atelier.sketch.style.DesignerProfile;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The leakage audit on the demo's designers ({@code atelier audit}, and {@code atelier demo
 * --privacy secagg+dp}): the first {@code designers} profiles, each with {@code 2·members} garments
 * of her mix from the private split drawn in her style, alternately members (trained on) and
 * non-members; {@link PrivacyAudit} over them with the demo's public feature network, and quality
 * scored on the demo's held-out garments.
 *
 * @param designers how many of the profiles to audit (from the first)
 * @param members   training pairs per designer (as many non-members are held out)
 * @param schedule  warm-up, rounds, local steps (many critic steps per member: memorisation)
 * @param batchSize GAN batch size, also DP-SGD's expected batch {@code qN}
 * @param criticLr  the critic's Adam learning rate
 * @param dp        the DP-SGD run (clip norm, target epsilon, delta)
 * @param paired    paired designers (the demo's: each sketch with its garment), or unpaired ones
 *                  (a sketch folder and a separate garment folder, {@link PrivacyAudit.Designer#split})
 * @param model     the sketch GAN of both runs (the demo's {@link SketchGanConfig#defaults()}; a
 *                  leaky control turns the critic's spectral normalisation off)
 * @param canaries  canary sketches per designer ({@link Canaries}, each in her training set by a
 *                  fair coin; 0 = none): the positive control and the one-run epsilon bound
 * @param canaryKind how they are made ({@link Canaries.Kind#OVERLAY}: from extra sketches of her
 *                  style, drawn with the audited ones)
 * @param gradientCanaries {@link dev.atelier.sketch.privacy.GradientCanaries} per designer (0 = none): the worst-case-record
 *                  positive control
 */
public record DemoAudit(
        int designers,
        int members,
        Schedule schedule,
        int batchSize,
        float criticLr,
        DpSgdSettings dp,
        boolean paired,
        SketchGanConfig model,
        int canaries,
        Canaries.Kind canaryKind,
        int gradientCanaries) {
    /** Default clip norm of one pair's critic gradient (raw norms are about 1–10 early in training). */
    public static final double DEFAULT_CLIP_NORM = 1.0;

    public DemoAudit {
        if (designers < 1 || members < 2 || batchSize < 2) {
            throw new IllegalArgumentException("audit needs >= 1 designer, >= 2 members and batch >= 2, got "
                    + designers + "/" + members + "/" + batchSize);
        }
        if (!(criticLr > 0)) {
            throw new IllegalArgumentException("critic learning rate must be > 0, got " + criticLr);
        }
        java.util.Objects.requireNonNull(model, "model");
        java.util.Objects.requireNonNull(canaryKind, "canaryKind");
        if (canaries != 0 && canaries < 4) {
            throw new IllegalArgumentException("canaries per designer must be 0 (none) or >= 4, got " + canaries);
        }
        if (gradientCanaries != 0 && gradientCanaries < 4) {
            throw new IllegalArgumentException(
                    "gradient canaries per designer must be 0 (none) or >= 4, got " + gradientCanaries);
        }
    }

    /**
     * The audit setting: 4 designers × 60 members, 8 rounds × 25 local steps at batch 8 (each
     * member is in about 27 critic batches), critic learning rate 2e-3, DP-SGD at {@code epsilon},
     * {@code C = 1}, {@code delta = 1e-5}; 16 gradient canaries per designer, the positive control.
     */
    public static DemoAudit defaults(double epsilon) {
        return new DemoAudit(
                4,
                60,
                new Schedule(10, 8, 25),
                8,
                2e-3f,
                DpSgdSettings.forTarget(DEFAULT_CLIP_NORM, epsilon, DpSgdSettings.DEFAULT_DELTA, 200),
                true,
                SketchGanConfig.defaults(),
                0,
                Canaries.Kind.TEXTURE,
                16);
    }

    /**
     * The quick preset's smoke audit ({@code --quick --privacy}): 2 designers × 20 members, 2 rounds
     * × 10 local steps, 16 gradient canaries per designer (with fewer, the fair coins leave fewer
     * than 2 in or out too often: 7% of designers at 8). It checks the pipeline; too small for the
     * real-sketch rows to mean anything.
     */
    public static DemoAudit quick(double epsilon) {
        return new DemoAudit(
                2,
                20,
                new Schedule(2, 2, 10),
                8,
                2e-3f,
                DpSgdSettings.forTarget(DEFAULT_CLIP_NORM, epsilon, DpSgdSettings.DEFAULT_DELTA, 20),
                true,
                SketchGanConfig.defaults(),
                0,
                Canaries.Kind.TEXTURE,
                16);
    }

    public DemoAudit withDesigners(int v) {
        return new DemoAudit(
                v, members, schedule, batchSize, criticLr, dp, paired, model, canaries, canaryKind, gradientCanaries);
    }

    public DemoAudit withMembers(int v) {
        return new DemoAudit(
                designers, v, schedule, batchSize, criticLr, dp, paired, model, canaries, canaryKind, gradientCanaries);
    }

    public DemoAudit withSchedule(Schedule v) {
        return new DemoAudit(
                designers, members, v, batchSize, criticLr, dp, paired, model, canaries, canaryKind, gradientCanaries);
    }

    public DemoAudit withCriticLr(float v) {
        return new DemoAudit(
                designers, members, schedule, batchSize, v, dp, paired, model, canaries, canaryKind, gradientCanaries);
    }

    public DemoAudit withPaired(boolean v) {
        return new DemoAudit(
                designers,
                members,
                schedule,
                batchSize,
                criticLr,
                dp,
                v,
                model,
                canaries,
                canaryKind,
                gradientCanaries);
    }

    public DemoAudit withModel(SketchGanConfig v) {
        return new DemoAudit(
                designers,
                members,
                schedule,
                batchSize,
                criticLr,
                dp,
                paired,
                v,
                canaries,
                canaryKind,
                gradientCanaries);
    }

    public DemoAudit withCanaries(int v) {
        return new DemoAudit(
                designers, members, schedule, batchSize, criticLr, dp, paired, model, v, canaryKind, gradientCanaries);
    }

    public DemoAudit withCanaryKind(Canaries.Kind v) {
        return new DemoAudit(
                designers, members, schedule, batchSize, criticLr, dp, paired, model, canaries, v, gradientCanaries);
    }

    public DemoAudit withGradientCanaries(int v) {
        return new DemoAudit(
                designers, members, schedule, batchSize, criticLr, dp, paired, model, canaries, canaryKind, v);
    }

    public DemoAudit withDp(DpSgdSettings v) {
        return new DemoAudit(
                designers,
                members,
                schedule,
                batchSize,
                criticLr,
                v,
                paired,
                model,
                canaries,
                canaryKind,
                gradientCanaries);
    }

    /**
     * {@code atelier audit}: loads what the demo loads (Fashion-MNIST, the cached public feature
     * network and evaluator with the standard preset's budgets, so the demo's caches are reused,
     * the standard held-out garments) and runs the audit with quality scoring.
     */
    public AuditReport runStandalone(DemoSettings.Inputs inputs, long seed, PrintStream log)
            throws IOException, InterruptedException {
        FashionMnistData data = FashionMnist.load(inputs.dataDir());
        log.println(data.source());
        DataSplits splits = data.splits();
        DemoPreset preset = DemoPreset.STANDARD;
        ParamSet publicNet = publicNet(splits, inputs, seed);
        var evaluatorNet = EvaluatorCache.getOrTrain(
                splits.publicTrain(),
                splits.test(),
                EvaluatorSettings.defaults().withSteps(preset.budget().evaluatorSteps()),
                inputs.cacheDir());
        HeldOut heldOut = HeldOut.select(splits.test(), preset.evaluation().perCategory());
        try (SketchEvaluator evaluator = evaluatorNet.open()) {
            return run(
                    Designers.profiles(inputs.designersFile()),
                    splits.privateTrain(),
                    publicNet,
                    new SketchEvaluation(evaluator),
                    heldOut,
                    seed,
                    log);
        }
    }

    /**
     * {@code atelier audit --memorisation-steps}: each of the audited designers trained alone for
     * {@code steps} critic steps ({@link MemorisationCurve}), a point every {@code every} steps.
     *
     * @return designer name → her curve
     */
    public Map<String, List<MemorisationCurve.Point>> memorisationStandalone(
            DemoSettings.Inputs inputs, long seed, int steps, int every, PrintStream log) throws IOException {
        FashionMnistData data = FashionMnist.load(inputs.dataDir());
        DataSplits splits = data.splits();
        ParamSet publicNet = publicNet(splits, inputs, seed);
        Map<String, List<MemorisationCurve.Point>> out = new LinkedHashMap<>();
        for (PrivacyAudit.Designer d :
                audited(Designers.profiles(inputs.designersFile()), splits.privateTrain(), seed)) {
            log.printf(
                    Locale.ROOT,
                    "memorisation curve: %s, %d %s members, %d steps, a point every %d%n",
                    d.name(),
                    members,
                    paired ? "paired" : "unpaired",
                    steps,
                    every);
            out.put(
                    d.name(),
                    MemorisationCurve.run(
                            publicNet,
                            d,
                            trainerSettings(seed),
                            model,
                            seed,
                            schedule.warmupSteps(),
                            steps,
                            every,
                            p -> log.printf(
                                    Locale.ROOT,
                                    "  %5d steps: own critic %.3f (p %.4f), %s %.3f (p %.4f)%n",
                                    p.steps(),
                                    p.ownCritic().auc(),
                                    p.ownNull().pValue(),
                                    PrivacyAudit.PRIMARY.key(),
                                    p.attack().auc(),
                                    p.attackNull().pValue())));
        }
        return out;
    }

    private static ParamSet publicNet(DataSplits splits, DemoSettings.Inputs inputs, long seed) throws IOException {
        DemoPreset preset = DemoPreset.STANDARD;
        return PublicFeatureNetwork.getOrTrain(
                        splits.publicTrain(),
                        SketchDemo.subset(splits.test(), 2000),
                        new TrainSettings(preset.budget().publicNetSteps(), 64, 2e-3f, 0f, seed, true),
                        inputs.cacheDir())
                .params();
    }

    private TrainerSettings trainerSettings(long seed) {
        return TrainerSettings.defaults(seed)
                .withBatchSize(batchSize)
                .withLearningRates(TrainerSettings.DEFAULT_GEN_LR, criticLr);
    }

    /** The first {@code designers} profiles with their members and non-members. */
    private List<PrivacyAudit.Designer> audited(List<DesignerProfile> profiles, ImageDataset privateTrain, long seed) {
        if (profiles.size() < designers) {
            throw new IllegalArgumentException(
                    "the audit asks for " + designers + " designers, the profiles have " + profiles.size());
        }
        boolean overlay = canaries > 0 && canaryKind == Canaries.Kind.OVERLAY;
        int own = (paired ? 2 : 3) * members;
        List<DesignerProfile> sized = new ArrayList<>();
        for (DesignerProfile p : profiles.subList(0, designers)) {
            sized.add(new DesignerProfile(p.name(), p.style(), p.garmentMix(), own + (overlay ? canaries : 0)));
        }
        List<PrivacyAudit.Designer> audited = new ArrayList<>();
        for (DesignerData d : Designers.build(sized, privateTrain, seed)) {
            PrivacyAudit.Designer a = PrivacyAudit.Designer.split(
                    d.name(),
                    d.style().ordinal(),
                    d.garments().subList(0, own),
                    d.sketches().subList(0, own),
                    paired);
            if (canaries > 0) {
                // the coins and textures of designer i: a stream of their own, fixed by the seed
                long s = seed * 1_000_003L + audited.size() + 0xCA7A_21E5L;
                a = a.withCanaries(
                        overlay
                                ? Canaries.overlaid(d.sketches().subList(own, own + canaries), s)
                                : canaryKind == Canaries.Kind.CRITIC_TEXTURE
                                        ? Canaries.draw(canaries, s).forCriticOnly()
                                        : Canaries.draw(canaries, s));
            }
            audited.add(a);
        }
        return audited;
    }

    /** Runs the audit; {@code evaluation} may be null (no quality columns). */
    public AuditReport run(
            List<DesignerProfile> profiles,
            ImageDataset privateTrain,
            ParamSet publicNet,
            SketchEvaluation evaluation,
            HeldOut heldOut,
            long seed,
            PrintStream log)
            throws IOException, InterruptedException {
        List<PrivacyAudit.Designer> audited = audited(profiles, privateTrain, seed);
        PrivacyAudit.QualityProbe probe = null;
        if (evaluation != null) {
            Map<Integer, List<float[]>> refs = new LinkedHashMap<>();
            audited.forEach(d -> refs.computeIfAbsent(
                    d.style(), s -> heldOut.references(dev.atelier.sketch.style.Styles.values()[s])));
            probe = new PrivacyAudit.QualityProbe(evaluation, heldOut.garments(), refs);
        }
        PrivacyAudit.Settings settings =
                new PrivacyAudit.Settings(schedule, trainerSettings(seed), dp, model, seed, gradientCanaries);
        long total = 2L * designers * schedule.stepsPerDesigner();
        log.printf(
                Locale.ROOT,
                "privacy audit: %d %s designers x %d members (+ %d canaries and %d gradient canaries each, half"
                        + " in), %s, two runs (plain, DP-SGD at %s)%n",
                designers,
                paired ? "paired" : "unpaired",
                members,
                canaries,
                gradientCanaries,
                schedule,
                dp.dp().noiseMultiplier() > 0
                        ? String.format(
                                Locale.ROOT, "noise multiplier %.4g", dp.dp().noiseMultiplier())
                        : String.format(Locale.ROOT, "epsilon %.2f", dp.dp().targetEpsilon()));
        return PrivacyAudit.run(publicNet, audited, settings, probe, new FederationListener() {
            private long done;

            @Override
            public void onStep(String designer, long d, long t, StepMetrics m) {
                if (++done % 200 == 0) {
                    log.printf(Locale.ROOT, "  audit: %d/%d steps%n", done, total);
                }
            }
        });
    }
}
