package dev.atelier.sketch.train;

import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.ml.train.TrainSettings;
import dev.atelier.sketch.demo.DemoPreset;
import dev.atelier.sketch.demo.DesignerData;
import dev.atelier.sketch.demo.Designers;
import dev.atelier.sketch.demo.Png;
import dev.atelier.sketch.eval.EvaluatorCache;
import dev.atelier.sketch.eval.EvaluatorSettings;
import dev.atelier.sketch.eval.L1Distance;
import dev.atelier.sketch.eval.SketchEvaluation;
import dev.atelier.sketch.eval.SketchEvaluator;
import dev.atelier.sketch.eval.SketchMetrics;
import dev.atelier.sketch.eval.Ssim;
import dev.atelier.sketch.fed.FederationOutcome;
import dev.atelier.sketch.fed.Regime;
import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.fed.SketchFederation;
import dev.atelier.sketch.local.LocalEvaluation;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.student.DistillSettings;
import dev.atelier.sketch.student.DistillWeights;
import dev.atelier.sketch.student.EncoderDistiller;
import dev.atelier.sketch.student.SketchStudent;
import dev.atelier.sketch.student.StudentConfig;
import dev.atelier.sketch.student.StudentDistiller;
import dev.atelier.sketch.style.DesignerProfile;
import dev.atelier.sketch.style.SketchFormat;
import dev.atelier.sketch.style.TrainingIndices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The style-quality and federation experiments of docs/demo.md ("Ablation"): trains some or all
 * built-in designers under one regime with the given settings and scores their sketches of a
 * <em>validation</em> split (private-split garments no designer trains on, 10 per category), never
 * the demo's test garments. Prints one line per designer and the mean, machine-greppable.
 *
 * <p>Usage (see docs/demo.md for the classpath line):
 * <pre>
 *   java -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -cp CP \
 *     dev.atelier.sketch.train.StyleExperiment styles=hatch,stipple warmup=30 rounds=11 local=11 \
 *     batch=8 glr=1e-3 dlr=4e-4 adv=0.1 gram=1000 l1=10 density=10 sem=1 content=0.1 decorr=0.1 ink=0 regime=local_only seed=7
 * </pre>
 * {@code balance} is a {@link GramBalance} key; {@code gramstats=1} only prints every designer's
 * {@link GramStats} (and her edge maps' Gram loss) and exits; {@code inkstats=1} prints her
 * sketches' {@link InkStats}; {@code stepcost=STEPS} prints the first designer's CPU ms per step
 * with the given settings and with {@code ink=0}, and exits.
 * {@code distill=STEPS} (with {@code slr sl1 sadv sfeat sgram sdecay}, and the student's architecture
 * {@code swidth} (width divisor), {@code sdown} (pooled-skip divisor), {@code scheck=A,B} (also score the
 * student after A and B steps), {@code ssub=1} (sub-pixel head), {@code stone=0} (the student draws through its teacher's tone curve instead of fitting its own), {@code sinit=1} (start from the teacher's weights, {@link
 * dev.atelier.sketch.student.TeacherInit}), {@code sown=1} (own encoder,
 * 200 encoder-distillation steps first)) also distils an edge student
 * from every teacher and scores it; {@code students=V1/V2/...} distils several variants from the same
 * teachers, each {@code default} or {@code key:value+key:value} over those keys.
 * {@code styles=all} (default) trains the eight designers; {@code regime} is {@code local_only},
 * {@code federated} or {@code centralized}; {@code mix} is the critic mix, {@code shrink=κ} the critic mix per designer
 * {@code κ / (κ + her pairs)} ({@link dev.atelier.sketch.fed.SketchKeys#CRITIC_SHRINKAGE}), {@code mu} FedProx,
 * {@code strategy} the coordinator's strategy over the critic (e.g. {@code fedadam:eta=0.01}),
 * {@code personal} the last rounds trained without sharing, {@code equal=1} weighs every critic
 * equally in the mean, {@code own=disc.head.**} keeps those critic layers personal, {@code proj=1} gives
 * every critic her personal designer projection ({@link SketchGanConfig#criticProjection()}), {@code sharebn=1}
 * federates the critic's BatchNorm layers too, {@code posmap=P} gives the generator a learned position map of P
 * channels ({@link SketchGanConfig#positionChannels()}; 0 = none), {@code crispl1=F} the L1 factor for a designer
 * whose ink is all dark ({@link TrainerSettings#crispInkL1()}; 1 = none), {@code adapt=K} runs K critic-only steps on her sketches
 * after loading each round's global critic;
 * {@code dataseed}/{@code initseed} override {@code seed} for her data (training garments, validation split)
 * and for the initial weights and batch order; {@code ema} is the generator's weight average
 * ({@link TrainerSettings#genEma()}), {@code tone=0} generates without her tone curve
 * ({@link dev.atelier.sketch.model.ToneCurve}, fitted by the federation run); {@code holdout=1} trains on 9 of 10 of her pairs and prints a
 * {@code HELDOUT} line scored on the 10th against her own sketches;
 * {@code pairs=stipple:24} keeps 24 of that designer's pairs
 * ({@link #fewerPairs}), and {@code unsketched=1} keeps the other pairs' garments as hers without
 * their sketches ({@link SketchPairs#unsketched()}), {@code extra=N} adds N public-split garments of her
 * garment mix as further unsketched garments; {@code valper=N} scores on N validation garments per category (default 10),
 * {@code fsdboot=B} prints each designer's FSD over B bootstrap resamples of those garments;
 * unknown keys are an error. Same cached public feature network and evaluator as the demo.
 */
public final class StyleExperiment {
    private static final int VALIDATION_PER_CATEGORY = 10;

    private StyleExperiment() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        long seed = Long.parseLong(a.getOrDefault("seed", "7"));
        // seed= sets both; dataseed= (her training garments and the validation split) and initseed=
        // (the generator's and critic's initial weights and her batch order) override one each.
        long dataSeed = Long.parseLong(a.getOrDefault("dataseed", "" + seed));
        long initSeed = Long.parseLong(a.getOrDefault("initseed", "" + seed));
        Schedule schedule = new Schedule(
                Integer.parseInt(a.getOrDefault(
                        "warmup", "" + DemoPreset.STANDARD.schedule().warmupSteps())),
                Integer.parseInt(a.getOrDefault(
                        "rounds", "" + DemoPreset.STANDARD.schedule().rounds())),
                Integer.parseInt(a.getOrDefault(
                        "local", "" + DemoPreset.STANDARD.schedule().localSteps())));
        LossWeights d = LossWeights.defaults();
        LossWeights w = new LossWeights(
                f(a, "adv", d.adversarial()),
                f(a, "gram", d.gram()),
                f(a, "sem", d.semantic()),
                f(a, "content", d.content()),
                f(a, "l1", d.l1()),
                f(a, "decorr", d.decorr()),
                f(a, "ink", d.ink()),
                f(a, "density", d.density()));
        TrainerSettings ts0 = TrainerSettings.defaults(initSeed);
        TrainerSettings ts = ts0.withBatchSize(Integer.parseInt(a.getOrDefault(
                        "batch", "" + DemoPreset.STANDARD.training().batchSize())))
                .withLearningRates(f(a, "glr", ts0.genLr()), f(a, "dlr", ts0.discLr()))
                .withWeights(w)
                .withGramBalance(GramBalance.parse(
                        a.getOrDefault("balance", ts0.gramBalance().key())))
                .withGenEma(f(a, "ema", ts0.genEma()))
                .withCrispInkL1(f(a, "crispl1", ts0.crispInkL1()));
        SketchGanConfig config = SketchGanConfig.defaults()
                .withDecoderDivisor(Integer.parseInt(a.getOrDefault("divisor", "2")))
                .withCriticProjection(a.getOrDefault("proj", "0").equals("1"))
                .withPositionChannels(Integer.parseInt(
                        a.getOrDefault("posmap", "" + SketchGanConfig.defaults().positionChannels())));
        Regime regime = Regime.valueOf(a.getOrDefault("regime", "local_only").toUpperCase(Locale.ROOT));
        String styles = a.getOrDefault("styles", "all");

        DataSplits splits = FashionMnist.load((Path) null).splits();
        var budget = DemoPreset.STANDARD.budget();
        Path cache = PublicFeatureNetwork.defaultCacheDir();
        ImageDataset test = splits.test();
        // The demo's exact calls, so the cache entries are shared with `atelier demo --seed 7`.
        var net = PublicFeatureNetwork.getOrTrain(
                splits.publicTrain(),
                subset(test, 2000),
                new TrainSettings(budget.publicNetSteps(), 64, 2e-3f, 0f, 7, true),
                cache);
        var evalNet = EvaluatorCache.getOrTrain(
                splits.publicTrain(), test, EvaluatorSettings.defaults().withSteps(budget.evaluatorSteps()), cache);

        List<DesignerProfile> profiles = Designers.profiles(null).stream()
                .filter(p -> styles.equals("all") || List.of(styles.split(",")).contains(p.style()))
                .toList();
        List<DesignerData> designers = Designers.build(profiles, splits.privateTrain(), dataSeed);
        // unsketched=1 (with pairs=): the garments of the pairs she no longer has stay hers, unsketched
        Map<String, List<float[]>> unsketched = new LinkedHashMap<>();
        if (a.containsKey("pairs")) {
            List<DesignerData> full = designers;
            designers = fewerPairs(designers, a.get("pairs"), dataSeed);
            if (a.getOrDefault("unsketched", "0").equals("1")) {
                for (int i = 0; i < full.size(); i++) {
                    Set<float[]> kept = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                    kept.addAll(designers.get(i).garments());
                    List<float[]> dropped = full.get(i).garments().stream()
                            .filter(g -> !kept.contains(g))
                            .toList();
                    if (!dropped.isEmpty()) {
                        unsketched.put(full.get(i).name(), dropped);
                    }
                }
            }
            // extra=N: N more garments of her garment mix from the public split (photos she never sketched)
            int extra = Integer.parseInt(a.getOrDefault("extra", "0"));
            if (extra > 0) {
                for (int i = 0; i < designers.size(); i++) {
                    DesignerData dd = designers.get(i);
                    if (dd == full.get(i)) {
                        continue; // not cut by pairs=
                    }
                    DesignerProfile p = dd.profile();
                    int[] idx = dev.atelier.sketch.style.TrainingIndices.pick(
                            splits.publicTrain().labels(),
                            new DesignerProfile(p.name(), p.style(), p.garmentMix(), extra),
                            dev.atelier.core.util.Seeds.derive(dataSeed, "unsketched", dd.name()));
                    List<float[]> more = new ArrayList<>(unsketched.getOrDefault(dd.name(), List.of()));
                    for (int row : idx) {
                        more.add(splits.publicTrain().image(row));
                    }
                    unsketched.put(dd.name(), more);
                }
            }
        } else if (a.containsKey("unsketched") || a.containsKey("extra")) {
            throw new IllegalArgumentException("unsketched=1 and extra=N need pairs=STYLE:N (whose garments)");
        }
        List<float[]> validation = validation(
                splits.privateTrain(),
                Designers.profiles(null),
                dataSeed,
                Integer.parseInt(a.getOrDefault("valper", "" + VALIDATION_PER_CATEGORY)));
        if (a.containsKey("gramstats")) {
            printGramStats(net.params(), config, designers);
            return;
        }
        if (a.containsKey("inkstats")) {
            designers.forEach(
                    dd -> System.out.printf(Locale.ROOT, "INK %-16s %s%n", dd.name(), InkStats.of(dd.sketches())));
            return;
        }
        if (a.containsKey("stepcost")) {
            printStepCost(net.params(), config, designers.get(0), ts, Integer.parseInt(a.get("stepcost")));
            return;
        }

        long t0 = System.nanoTime();
        SketchFederation.Builder b = SketchFederation.builder()
                .setEncoder(net.params())
                .optRegime(regime)
                .optSchedule(schedule)
                .optProximalMu(Double.parseDouble(a.getOrDefault("mu", "0")))
                .optCriticMix(Double.parseDouble(a.getOrDefault("mix", "1")))
                .optCriticShrinkage(Double.parseDouble(a.getOrDefault("shrink", "0")))
                .optServerStrategy(
                        a.containsKey("strategy")
                                ? dev.atelier.core.strategy.StrategyRegistry.parse(a.get("strategy"))
                                : null)
                .optPersonalRounds(Integer.parseInt(a.getOrDefault("personal", "0")))
                .optEqualCriticWeights(a.getOrDefault("equal", "0").equals("1"))
                .optPersonalCritic(a.containsKey("own") ? List.of(a.get("own").split(",")) : List.of())
                .optShareBatchNorm(a.getOrDefault("sharebn", "0").equals("1"))
                .optCriticAdaptSteps(Integer.parseInt(a.getOrDefault("adapt", "0")))
                .optModelConfig(config)
                .optTrainerSettings(ts)
                .optSeed(initSeed);
        // holdout=1: every designer trains on 9 of 10 of her pairs and is also scored on the 10th
        // (LocalHoldOut, the rule of `sketch train`), against her own sketches, as a user would be.
        boolean holdout = a.getOrDefault("holdout", "0").equals("1");
        Map<String, dev.atelier.sketch.fed.LocalHoldOut> heldOut = new LinkedHashMap<>();
        for (DesignerData dd : designers) {
            SketchPairs pairs = SketchPairs.paired(dd.garments(), dd.sketches())
                    .withUnsketched(unsketched.getOrDefault(dd.name(), List.of()));
            if (holdout) {
                var split = dev.atelier.sketch.fed.LocalHoldOut.split(pairs);
                heldOut.put(dd.name(), split.heldOut());
                pairs = split.train();
            }
            b.addDesigner(dd.name(), pairs);
        }
        float[][] val = validation.toArray(new float[0][]);
        List<SketchEvaluation.Case> cases = new ArrayList<>();
        List<SketchEvaluation.Case> untoned = new ArrayList<>();
        List<List<float[]>> edges = new ArrayList<>();
        try (FederationOutcome out = b.build().run()) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            for (DesignerData dd : designers) {
                var trainer = out.trainers().get(dd.name());
                System.out.println("FACTORS " + dd.name() + " " + java.util.Arrays.toString(trainer.gramFactors())
                        + " ink " + trainer.inkWeight() + " deficit " + trainer.inkDeficit());
                var gan = trainer.model();
                var tone = gan.toneCurve();
                if (a.getOrDefault("tone", "1").equals("0")) {
                    gan.setToneCurve(null); // the generator's own tones (before session 14)
                }
                if (holdout) {
                    printHeldOut(dd.name(), gan, heldOut.get(dd.name()));
                    if (gan.toneCurve() != null) {
                        gan.setToneCurve(null);
                        printHeldOut(dd.name() + "/untoned", gan, heldOut.get(dd.name()));
                        gan.setToneCurve(tone);
                    }
                }
                if (!out.sharedCritic().isEmpty()) {
                    gan.loadDiscriminator(out.sharedCritic());
                }
                List<float[]> refs = validation.stream().map(dd.style()::render).toList();
                List<float[]> generated = List.of(gan.generate(val));
                if (gan.toneCurve() != null) {
                    gan.setToneCurve(null);
                    untoned.add(new SketchEvaluation.Case(
                            dd.style().ordinal(), Set.of(), List.of(gan.generate(val)), refs));
                    gan.setToneCurve(tone);
                }
                cases.add(new SketchEvaluation.Case(dd.style().ordinal(), Set.of(), generated, refs));
                if (a.containsKey("png")) {
                    Png.write(grid(refs, generated), 3, Path.of(a.get("png"), dd.name() + ".png"));
                }
                edges.add(validation.stream()
                        .map(g -> LocalEvaluation.edgeMap(SketchFormat.padGarment(g)))
                        .toList());
            }
            List<SketchMetrics> scored;
            try (SketchEvaluator ev = evalNet.open()) {
                scored = new SketchEvaluation(ev).evaluateAll(cases);
                if (!untoned.isEmpty()) {
                    // the same models without their tone curves, for the side-by-side comparison
                    List<SketchMetrics> raw = new SketchEvaluation(ev).evaluateAll(untoned);
                    double acc = 0;
                    double fsd = 0;
                    for (int i = 0; i < raw.size(); i++) {
                        System.out.printf(
                                Locale.ROOT,
                                "UNTONED %-16s acc=%.3f fsd=%6.2f l1=%.4f ssim=%.4f%n",
                                designers.get(i).name(),
                                raw.get(i).styleAcc(),
                                raw.get(i).fsd(),
                                raw.get(i).l1(),
                                raw.get(i).ssim());
                        acc += raw.get(i).styleAcc() / raw.size();
                        fsd += raw.get(i).fsd() / raw.size();
                    }
                    System.out.printf(Locale.ROOT, "UNTONED-MEAN acc=%.3f fsd=%6.2f%n", acc, fsd);
                }
                for (int i = 0; i < designers.size(); i++) {
                    var generated = ev.embed(cases.get(i).generated());
                    printConfusion(designers.get(i).name(), generated);
                    if (a.containsKey("fsdboot")) {
                        printFsdBootstrap(
                                designers.get(i).name(),
                                generated.embeddings(),
                                ev.embed(cases.get(i).references()).embeddings(),
                                Integer.parseInt(a.get("fsdboot")),
                                seed);
                    }
                }
            }
            // students=V1/V2/...: each variant is "default" or k:v+k:v over the student keys
            String variants = a.getOrDefault("students", a.containsKey("distill") ? "default" : "");
            for (String variant : variants.isEmpty() ? new String[0] : variants.split("/")) {
                Map<String, String> va = new LinkedHashMap<>(a);
                if (!variant.equals("default")) {
                    for (String kv : variant.split("\\+")) {
                        String[] p = kv.split(":", 2);
                        va.put(p[0], p[1]);
                    }
                }
                va.putIfAbsent("distill", "60");
                // scheck=120,240: score the same student after each of these step counts (the last is distill)
                List<Integer> checks = checkpoints(va);
                long d0 = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime();
                List<List<SketchEvaluation.Case>> studentCases = new ArrayList<>();
                for (int i = 0; i < designers.size(); i++) {
                    studentCases.add(
                            distil(va, out.trainers().get(designers.get(i).name()), cases.get(i), val, seed, checks));
                }
                double distillSeconds = (System.nanoTime() - d0) / 1e9;
                double distillCpu = (THREADS.getCurrentThreadCpuTime() - c0) / 1e9;
                for (int k = 0; k < checks.size(); k++) {
                    String label = checks.size() == 1 ? variant : variant + "@" + checks.get(k);
                    List<SketchEvaluation.Case> atK = new ArrayList<>();
                    for (List<SketchEvaluation.Case> perDesigner : studentCases) {
                        atK.add(perDesigner.get(k));
                    }
                    printStudents(label, designers, scored, evalNet, atK, distillSeconds, distillCpu);
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "# %s regime=%s schedule=%s %s %s (%.0f s)%n",
                    String.join(" ", args),
                    regime.key(),
                    schedule,
                    ts.weights(),
                    "lr=" + ts.genLr() + "/" + ts.discLr(),
                    seconds);
            double[] sum = new double[6];
            for (int i = 0; i < designers.size(); i++) {
                SketchMetrics m = scored.get(i);
                SketchEvaluation.Case c = cases.get(i);
                double el1 = L1Distance.mean(edges.get(i), c.references());
                double essim = Ssim.mean(edges.get(i), c.references());
                double[] v = {m.styleAcc(), m.fsd(), m.l1(), m.ssim(), el1, essim};
                for (int k = 0; k < v.length; k++) {
                    sum[k] += v[k];
                }
                System.out.printf(
                        Locale.ROOT,
                        "RESULT %-16s %-9s acc=%.3f fsd=%6.2f l1=%.4f ssim=%.4f | edges l1=%.4f ssim=%.4f%n",
                        designers.get(i).name(),
                        designers.get(i).style().styleName(),
                        v[0],
                        v[1],
                        v[2],
                        v[3],
                        v[4],
                        v[5]);
            }
            int n = designers.size();
            System.out.printf(
                    Locale.ROOT,
                    "MEAN acc=%.3f fsd=%6.2f l1=%.4f ssim=%.4f | edges l1=%.4f ssim=%.4f%n",
                    sum[0] / n,
                    sum[1] / n,
                    sum[2] / n,
                    sum[3] / n,
                    sum[4] / n,
                    sum[5] / n);
        }
    }

    /**
     * Her own held-out pairs: L1 and SSIM of her model and of the edge map against her sketches, and
     * the share of her mid-grey her model leaves out on them ({@link InkStats#greyDeficit}).
     */
    private static void printHeldOut(
            String name, dev.atelier.sketch.model.SketchGan gan, dev.atelier.sketch.fed.LocalHoldOut h) {
        List<float[]> generated = List.of(gan.generate(h.garments().toArray(new float[0][])));
        List<float[]> edges = h.garments().stream()
                .map(g -> LocalEvaluation.edgeMap(SketchFormat.padGarment(g)))
                .toList();
        System.out.printf(
                Locale.ROOT,
                "HELDOUT %-16s n=%d l1=%.4f ssim=%.4f | edges l1=%.4f ssim=%.4f | grey deficit %.3f (her grey %.4f)%n",
                name,
                h.size(),
                L1Distance.mean(generated, h.sketches()),
                Ssim.mean(generated, h.sketches()),
                L1Distance.mean(edges, h.sketches()),
                Ssim.mean(edges, h.sketches()),
                InkStats.of(h.sketches()).greyDeficit(InkStats.of(generated)),
                InkStats.of(h.sketches()).greyPixels());
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** {@code scheck=a,b,..} (ascending, each <= distill) plus {@code distill} itself. */
    private static List<Integer> checkpoints(Map<String, String> a) {
        int steps = Integer.parseInt(a.get("distill"));
        java.util.TreeSet<Integer> c = new java.util.TreeSet<>();
        if (a.containsKey("scheck")) {
            for (String x : a.get("scheck").split(",")) {
                int v = Integer.parseInt(x.trim());
                if (v < 1 || v > steps) {
                    throw new IllegalArgumentException("scheck " + v + " must be in [1, distill=" + steps + "]");
                }
                c.add(v);
            }
        }
        c.add(steps);
        return new ArrayList<>(c);
    }

    private static void printStudents(
            String variant,
            List<DesignerData> designers,
            List<SketchMetrics> scored,
            EvaluatorCache.Trained evalNet,
            List<SketchEvaluation.Case> studentCases,
            double distillSeconds,
            double distillCpu) {
        List<SketchMetrics> studentScored;
        try (SketchEvaluator ev = evalNet.open()) {
            studentScored = new SketchEvaluation(ev).evaluateAll(studentCases);
        }
        double ratio = 0;
        for (int i = 0; i < studentScored.size(); i++) {
            SketchMetrics m = studentScored.get(i);
            SketchMetrics t = scored.get(i);
            ratio += m.fsd() / t.fsd() / studentScored.size();
            System.out.printf(
                    Locale.ROOT,
                    "STUDENT[%s] %-16s acc=%.3f fsd=%6.2f l1=%.4f ssim=%.4f | teacher acc=%.3f fsd=%6.2f"
                            + " ratio=%.3f%n",
                    variant,
                    designers.get(i).name(),
                    m.styleAcc(),
                    m.fsd(),
                    m.l1(),
                    m.ssim(),
                    t.styleAcc(),
                    t.fsd(),
                    m.fsd() / t.fsd());
        }
        System.out.printf(
                Locale.ROOT,
                "STUDENT-MEAN[%s] acc=%.3f fsd=%6.2f mean-ratio=%.3f | teacher acc=%.3f fsd=%6.2f"
                        + " (distillation, all checkpoints: %.0f s wall, %.0f s CPU)%n",
                variant,
                studentScored.stream()
                        .mapToDouble(SketchMetrics::styleAcc)
                        .average()
                        .orElse(0),
                studentScored.stream().mapToDouble(SketchMetrics::fsd).average().orElse(0),
                ratio,
                scored.stream().mapToDouble(SketchMetrics::styleAcc).average().orElse(0),
                scored.stream().mapToDouble(SketchMetrics::fsd).average().orElse(0),
                distillSeconds,
                distillCpu);
    }

    /**
     * Distils an edge student from a trained teacher on the designer's training garments with
     * {@code distill=STEPS slr= sl1= sadv= sfeat= sgram=} (defaults: {@link DistillSettings#defaults}),
     * and returns the case of its validation sketches.
     */
    private static List<SketchEvaluation.Case> distil(
            Map<String, String> a,
            SketchTrainer teacher,
            SketchEvaluation.Case teacherCase,
            float[][] val,
            long seed,
            List<Integer> checks) {
        DistillSettings d0 = DistillSettings.defaults(seed);
        DistillWeights dw = d0.weights();
        DistillWeights w = new DistillWeights(
                f(a, "sfeat", dw.feature()),
                f(a, "sl1", dw.l1()),
                dw.mse(),
                f(a, "sadv", dw.adversarial()),
                f(a, "sgram", dw.gram()));
        DistillSettings ds = d0.withLearningRate(f(a, "slr", d0.lr())).withWeights(w);
        int steps = Integer.parseInt(a.get("distill"));
        if (a.containsKey("sdecay")) {
            ds = ds.withCosineDecay(steps, Float.parseFloat(a.get("sdecay")));
        }
        StudentConfig sc = StudentConfig.defaults()
                .withWidthDivisor(Integer.parseInt(a.getOrDefault("swidth", "4")))
                .withDownDivisor(Integer.parseInt(a.getOrDefault("sdown", "4")))
                .withSubPixel(a.getOrDefault("ssub", "0").equals("1"));
        boolean own = a.getOrDefault("sown", "0").equals("1");
        try (SketchStudent student = own
                        ? SketchStudent.createWithEncoder(teacher.model(), sc, seed)
                        : SketchStudent.create(teacher.model(), sc, seed);
                StudentDistiller distiller = StudentDistiller.builder()
                        .setStudent(student)
                        .setGarments(teacher.data().garments())
                        .optSettings(ds)
                        .build()) {
            if (a.getOrDefault("sinit", "0").equals("1")) {
                System.out.println("TEACHER-INIT " + dev.atelier.sketch.student.TeacherInit.apply(student));
            }
            if (own) {
                new EncoderDistiller(student, teacher.data().garments(), 16, 3e-3f, seed).distill(200, null);
            }
            List<SketchEvaluation.Case> out = new ArrayList<>();
            int done = 0;
            for (int c : checks) {
                distiller.distill(c - done, null);
                done = c;
                if (!a.getOrDefault("stone", "1").equals("0")) {
                    student.fitToneCurve(teacher.data().garments()); // stone:0 = the teacher's curve
                }
                out.add(new SketchEvaluation.Case(
                        teacherCase.style(), Set.of(), List.of(student.generate(val)), teacherCase.references()));
            }
            return out;
        }
    }

    /**
     * Per designer and encoder scale: her sketches' Gram energy and spread ({@link GramStats}) and
     * the Gram loss of her garments' inverted-Sobel edge maps against her sketches (a stand-in for
     * the generic outline an untrained generator draws).
     */
    private static void printGramStats(
            dev.atelier.core.params.ParamSet encoder, SketchGanConfig config, List<DesignerData> designers) {
        for (DesignerData dd : designers) {
            try (var gan = dev.atelier.sketch.model.SketchGan.create(encoder, config, 1)) {
                GramStats st = GramStats.of(gan, dd.sketches());
                List<float[]> edges = dd.garments().stream()
                        .map(g -> LocalEvaluation.edgeMap(SketchFormat.padGarment(g)))
                        .toList();
                double[] gap = new double[st.scales()];
                int n = Math.min(64, dd.sketches().size());
                int[] idx = java.util.stream.IntStream.range(0, n).toArray();
                try (var m = gan.manager().newSubManager()) {
                    var gy = dev.atelier.sketch.model.GramMatrix.ofAll(
                            gan.encode(dev.atelier.ml.nn.Images.batch(m, dd.sketches(), idx)));
                    var ge = dev.atelier.sketch.model.GramMatrix.ofAll(
                            gan.encode(dev.atelier.ml.nn.Images.batch(m, edges, idx)));
                    for (int s = 0; s < gap.length; s++) {
                        gap[s] = ge.get(s).sub(gy.get(s)).square().mean().getFloat();
                    }
                }
                double[] e = st.energy();
                double[] v = st.spread();
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "GRAM %-16s", dd.name()));
                for (int s = 0; s < e.length; s++) {
                    line.append(String.format(Locale.ROOT, " | s%d e=%.3g v=%.3g gap=%.3g", s, e[s], v[s], gap[s]));
                }
                System.out.println(line);
            }
        }
    }

    /**
     * CPU ms per step (this thread; one torch thread) of her trainer with the given settings and
     * with the ink term off, alternated over {@code steps}-step blocks (warm-up and GAN steps), so
     * a change in the machine's load hits both alike.
     */
    private static void printStepCost(
            dev.atelier.core.params.ParamSet encoder,
            SketchGanConfig config,
            DesignerData dd,
            TrainerSettings ts,
            int steps) {
        TrainerSettings off = ts.withWeights(ts.weights().withInk(0));
        SketchPairs data = SketchPairs.paired(dd.garments(), dd.sketches());
        StepProfile[] profiles = {new StepProfile(), new StepProfile()};
        double[][] warm = new double[2][5];
        double[][] gan = new double[2][5];
        try (SketchTrainer a = trainer(encoder, config, data, off, profiles[0]);
                SketchTrainer b = trainer(encoder, config, data, ts, profiles[1])) {
            SketchTrainer[] t = {a, b};
            for (SketchTrainer x : t) {
                x.warmup(3, null);
                x.trainSteps(3, null);
            }
            for (int r = 0; r < 5; r++) {
                for (int k = 0; k < 2; k++) {
                    profiles[k].reset();
                    t[k].warmup(steps, null);
                    warm[k][r] = profiles[k].totalMillisAllParts() / steps;
                    profiles[k].reset();
                    t[k].trainSteps(steps, null);
                    gan[k][r] = profiles[k].totalMillisAllParts() / steps;
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            System.out.printf(
                    Locale.ROOT,
                    "STEPCOST %s ink=%.1f batch=%d warmup %.1f ms, GAN %.1f ms (CPU, median of 5 x %d steps)%n",
                    dd.name(),
                    (k == 0 ? off : ts).weights().ink(),
                    ts.batchSize(),
                    median(warm[k]),
                    median(gan[k]),
                    steps);
        }
    }

    private static SketchTrainer trainer(
            dev.atelier.core.params.ParamSet encoder,
            SketchGanConfig config,
            SketchPairs data,
            TrainerSettings ts,
            StepProfile profile) {
        return SketchTrainer.builder()
                .setModel(dev.atelier.sketch.model.SketchGan.create(encoder, config, ts.seed()))
                .setData(data)
                .optSettings(ts)
                .optProfile(profile)
                .build();
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /**
     * What the evaluator reads her generated sketches as: the count of each most probable style
     * (and {@code none}), so a designer below 0.8 shows which style her sketches drift to.
     */
    private static void printConfusion(String designer, dev.atelier.sketch.eval.Embedded e) {
        List<String> names = new ArrayList<>(dev.atelier.sketch.style.Styles.names());
        names.add("none");
        int[] counts = new int[names.size()];
        for (float[] p : e.styleProbs()) {
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            counts[best]++;
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "CONFUSION %-16s", designer));
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                line.append(' ').append(names.get(c)).append('=').append(counts[c]);
            }
        }
        System.out.println(line);
    }

    /**
     * {@code pairs=STYLE:N,...}: the designer drawing STYLE keeps N of her pairs, a seeded sample
     * of her full set (so the validation split, which excludes every full set, is unchanged): the
     * few-data regime where a shared critic should help most.
     */
    static List<DesignerData> fewerPairs(List<DesignerData> designers, String spec, long seed) {
        Map<String, Integer> keep = new LinkedHashMap<>();
        for (String item : spec.split(",")) {
            String[] p = item.split(":", 2);
            int n = p.length == 2 ? Integer.parseInt(p[1].trim()) : -1;
            if (n < 2 || designers.stream().noneMatch(dd -> dd.profile().style().equals(p[0].trim()))) {
                throw new IllegalArgumentException(
                        "pairs: expected STYLE:N with a style of the run and N >= 2, got '" + item + "'");
            }
            keep.put(p[0].trim(), n);
        }
        List<DesignerData> out = new ArrayList<>();
        for (DesignerData dd : designers) {
            Integer n = keep.get(dd.profile().style());
            if (n == null) {
                out.add(dd);
                continue;
            }
            if (n > dd.garments().size()) {
                throw new IllegalArgumentException(
                        "pairs: " + dd.name() + " has only " + dd.garments().size() + " pairs, asked to keep " + n);
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < dd.garments().size(); i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(
                    order, new java.util.Random(dev.atelier.core.util.Seeds.derive(seed, "fewer-pairs", dd.name())));
            List<Integer> kept = order.subList(0, n).stream().sorted().toList();
            DesignerProfile p = dd.profile();
            out.add(new DesignerData(
                    new DesignerProfile(p.name(), p.style(), p.garmentMix(), n),
                    kept.stream().map(dd.garments()::get).toList(),
                    kept.stream().mapToInt(i -> dd.labels()[i]).toArray(),
                    kept.stream().map(dd.sketches()::get).toList()));
        }
        return out;
    }

    /**
     * How much of a designer's FSD is the sampling of the validation garments: FSD over {@code b}
     * resamples (with replacement) of the garments, each generated sketch kept with its reference;
     * prints the resamples' sd and 95% range (the model is fixed, so this is measurement noise only).
     */
    private static void printFsdBootstrap(String designer, float[][] gen, float[][] ref, int b, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        double[] f = new double[b];
        for (int k = 0; k < b; k++) {
            float[][] g = new float[gen.length][];
            float[][] r = new float[gen.length][];
            for (int i = 0; i < gen.length; i++) {
                int j = rnd.nextInt(gen.length);
                g[i] = gen[j];
                r[i] = ref[j];
            }
            f[k] = dev.atelier.sketch.eval.FrechetDistance.between(g, r);
        }
        double mean = java.util.Arrays.stream(f).average().orElse(0);
        double sd = Math.sqrt(
                java.util.Arrays.stream(f).map(x -> (x - mean) * (x - mean)).sum() / (b - 1));
        java.util.Arrays.sort(f);
        System.out.printf(
                Locale.ROOT,
                "FSDBOOT %-16s fsd=%.2f boot mean=%.2f sd=%.2f 95%%=[%.2f, %.2f] (%d garments, %d resamples)%n",
                designer,
                dev.atelier.sketch.eval.FrechetDistance.between(gen, ref),
                mean,
                sd,
                f[(int) (0.025 * b)],
                f[(int) (0.975 * b) - 1],
                gen.length,
                b);
    }

    /** Private-split garments that no built-in designer draws, the first {@code perCategory} per category. */
    static List<float[]> validation(ImageDataset priv, List<DesignerProfile> all, long seed, int perCategory) {
        Set<Integer> used = new HashSet<>();
        for (DesignerProfile p : all) {
            for (int i : TrainingIndices.pick(priv.labels(), p, seed)) {
                used.add(i);
            }
        }
        List<float[]> out = new ArrayList<>();
        int[] taken = new int[10];
        for (int i = priv.size() - 1; i >= 0 && out.size() < 10 * perCategory; i--) {
            int c = priv.label(i);
            if (!used.contains(i) && taken[c] < perCategory) {
                taken[c]++;
                out.add(priv.image(i));
            }
        }
        return out;
    }

    /** A 4×4 grid of 32×32 tiles: rows alternate 4 references and the 4 generated sketches of the same garments. */
    private static float[] grid(List<float[]> refs, List<float[]> generated) {
        int side = 32 * 4;
        float[] out = new float[side * side];
        for (int t = 0; t < 16; t++) {
            int row = t / 4;
            int col = t % 4;
            int k = (row / 2) * 4 * 10 + col * 10; // spread over categories (validation is 10 per category)
            float[] img = (row % 2 == 0 ? refs : generated).get(k % refs.size());
            for (int y = 0; y < 32; y++) {
                System.arraycopy(img, y * 32, out, (row * 32 + y) * side + col * 32, 32);
            }
        }
        return out;
    }

    private static ImageDataset subset(ImageDataset d, int n) {
        int[] idx = new int[Math.min(n, d.size())];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return d.subset(idx);
    }

    private static float f(Map<String, String> a, String key, float def) {
        return a.containsKey(key) ? Float.parseFloat(a.get(key)) : def;
    }

    private static final Set<String> KEYS = Set.of(
            "seed",
            "dataseed",
            "initseed",
            "warmup",
            "rounds",
            "local",
            "adv",
            "gram",
            "sem",
            "content",
            "l1",
            "decorr",
            "ink",
            "density",
            "ema",
            "tone",
            "holdout",
            "batch",
            "glr",
            "dlr",
            "divisor",
            "regime",
            "styles",
            "mu",
            "mix",
            "shrink",
            "strategy",
            "personal",
            "equal",
            "own",
            "proj",
            "posmap",
            "crispl1",
            "sharebn",
            "adapt",
            "pairs",
            "unsketched",
            "extra",
            "valper",
            "fsdboot",
            "png",
            "gramstats",
            "inkstats",
            "stepcost",
            "balance",
            "distill",
            "slr",
            "sl1",
            "sadv",
            "sfeat",
            "sgram",
            "sdecay",
            "swidth",
            "ssub",
            "sown",
            "sdown",
            "scheck",
            "sinit",
            "stone",
            "students");

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq < 1 || !KEYS.contains(s.substring(0, eq))) {
                throw new IllegalArgumentException("expected key=value with a key of " + KEYS + ", got '" + s + "'");
            }
            m.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return m;
    }
}
