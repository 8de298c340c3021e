package dev.atelier.sketch.student;

import dev.atelier.ml.data.DataSplits;
import dev.atelier.ml.data.FashionMnist;
import dev.atelier.ml.data.FashionMnistData;
import dev.atelier.ml.data.ImageDataset;
import dev.atelier.ml.features.PublicFeatureNetwork;
import dev.atelier.ml.train.TrainSettings;
import dev.atelier.sketch.eval.L1Distance;
import dev.atelier.sketch.eval.Ssim;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.style.Styles;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Produces the numbers in {@code docs/student.md}: trains the public feature network (cached) and
 * one designer's teacher on real Fashion-MNIST with the demo's per-designer step budget (local
 * training, no federation), distils students with several loss settings, and prints costs, latency
 * and student-vs-teacher agreement on held-out test garments.
 *
 * <p>Usage: {@code StudentMeasurements [fashion-mnist-dir] [style] [distill-steps] [latency]}; defaults
 * {@code /usr/share/datasets/fashion-mnist}, {@code hatch}, 120; a fourth argument {@code latency}
 * measures only costs and latency (on an untrained teacher and student: the compute is the same),
 * {@code long} only the three-times-longer runs (adversarial weight, learning rate, cosine decay).
 */
public final class StudentMeasurements {
    private static final long SEED = 42;

    private StudentMeasurements() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        Styles style = Styles.byName(args.length > 1 ? args[1] : "hatch");
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 120;
        boolean latencyOnly = args.length > 3 && args[3].equals("latency");
        boolean longOnly = args.length > 3 && args[3].equals("long");
        FashionMnistData data = FashionMnist.load(dir);
        DataSplits splits = data.splits();
        var net = PublicFeatureNetwork.getOrTrain(
                splits.publicTrain(),
                splits.test(),
                new TrainSettings(600, 64, 2e-3f, 0f, SEED, true),
                PublicFeatureNetwork.defaultCacheDir());
        System.out.printf(Locale.ROOT, "public feature network: test accuracy %.4f%n", net.accuracy());
        List<float[]> garments = images(splits.privateTrain(), 0, 200);
        List<float[]> validation = images(splits.privateTrain(), 200, 200);
        List<float[]> heldOut = images(splits.test(), 0, 200);
        List<float[]> sketches = garments.stream().map(style::render).toList();
        SketchGan gan = SketchGan.create(net.params(), SketchGanConfig.defaults(), SEED);
        if (latencyOnly) {
            try (gan) {
                gan.setStyleCard(gan.computeStyleCard(sketches));
                costs(gan, heldOut);
            }
            return;
        }
        try (SketchTrainer trainer = SketchTrainer.builder()
                .setModel(gan)
                .setData(SketchPairs.paired(garments, sketches))
                .optSettings(TrainerSettings.defaults(SEED))
                .build()) {
            long t0 = System.nanoTime();
            trainer.warmup(40, null);
            trainer.trainSteps(121, null);
            System.out.printf(
                    Locale.ROOT,
                    "teacher (%s, 200 pairs, 40 warm-up + 121 GAN steps): %.1f s%n",
                    style.styleName(),
                    (System.nanoTime() - t0) / 1e9);
            costs(gan, heldOut);
            List<float[]> references = heldOut.stream().map(style::render).toList();
            List<float[]> valReferences = validation.stream().map(style::render).toList();
            float[][] teacherSketches = gan.generate(heldOut.toArray(float[][]::new));
            System.out.printf(
                    Locale.ROOT,
                    "teacher vs references (test): L1 %.4f SSIM %.4f%n",
                    L1Distance.mean(List.of(teacherSketches), references),
                    Ssim.mean(List.of(teacherSketches), references));
            DistillWeights d = DistillWeights.defaults();
            DistillSettings base = DistillSettings.defaults(SEED);
            List<float[]> publicGarments = images(splits.publicTrain(), 0, 1000);
            curve(gan, garments, validation, base, steps);
            if (longOnly) {
                int n = 3 * steps;
                List<Config> longer = List.of(
                        new Config("3x steps, adversarial 0", base.withWeights(d.withAdversarial(0)), n, false),
                        new Config("3x steps, adversarial 0.1", base.withWeights(d.withAdversarial(0.1f)), n, false),
                        new Config("3x steps, lr 5e-3", base.withLearningRate(5e-3f), n, false),
                        new Config("3x steps, cosine 1e-2 to 1e-4", base.withCosineDecay(n, 1e-4f), n, false),
                        new Config("cosine 1e-2 to 1e-4", base.withCosineDecay(steps, 1e-4f), steps, false));
                for (Config c : longer) {
                    ablate(gan, garments, List.of(), validation, valReferences, c);
                }
                return;
            }
            List<Config> configs = List.of(
                    new Config("defaults", base, steps, false),
                    new Config("no feature term", base.withWeights(d.withFeature(0)), steps, false),
                    new Config("no adversarial term", base.withWeights(d.withAdversarial(0)), steps, false),
                    new Config("adversarial 0.1", base.withWeights(d.withAdversarial(0.1f)), steps, false),
                    new Config("adversarial 1", base.withWeights(d.withAdversarial(1)), steps, false),
                    new Config(
                            "no feature term, no adversarial term",
                            base.withWeights(d.withFeature(0).withAdversarial(0)),
                            steps,
                            false),
                    new Config("MSE instead of L1", base.withWeights(d.withL1(0).withMse(10)), steps, false),
                    new Config("lr 2e-3", base.withLearningRate(2e-3f), steps, false),
                    new Config("lr 2e-2", base.withLearningRate(2e-2f), steps, false),
                    new Config("3x steps", base, 3 * steps, false),
                    new Config("batch 32", base.withBatchSize(32), steps, false),
                    new Config("+1000 public garments", base, steps, true));
            System.out.println("ablations on validation garments (private split, unseen by teacher and student):");
            for (Config c : configs) {
                ablate(gan, garments, c.publicGarments() ? publicGarments : List.of(), validation, valReferences, c);
            }
            System.out.println("on test garments:");
            for (Config c : configs.subList(0, 4)) {
                ablate(gan, garments, List.of(), heldOut, references, c);
            }
        }
    }

    private static void costs(SketchGan gan, List<float[]> garments) {
        try (SketchStudent student = SketchStudent.create(gan, StudentConfig.defaults(), SEED)) {
            ModelCost t = ModelCosts.teacher(gan);
            ModelCost s = ModelCosts.student(student);
            System.out.println("teacher " + t.toMap());
            System.out.println("student " + s.toMap());
            System.out.printf(
                    Locale.ROOT,
                    "ratios: params %.3f, decoder params %.3f, macs %.3f, decoder macs %.3f%n",
                    (double) s.params() / t.params(),
                    (double) s.decoderParams() / t.decoderParams(),
                    (double) s.macs() / t.macs(),
                    (double) s.decoderMacs() / t.decoderMacs());
            for (LayerCost l : MacCounter.layers(gan.generator(), "gen")) {
                System.out.println("  " + l);
            }
            for (LayerCost l : MacCounter.layers(student.decoder(), "student")) {
                System.out.println("  " + l);
            }
            for (int batch : new int[] {1, 64}) {
                for (LatencyBench.Scope scope : LatencyBench.Scope.values()) {
                    for (int r = 0; r < 3; r++) {
                        Latency lat = LatencyBench.measure(
                                student, garments.subList(0, batch), scope, 10, batch == 1 ? 50 : 20);
                        System.out.printf(
                                Locale.ROOT,
                                "latency batch %d %s run %d: teacher %.3f ms (best %.3f), student %.3f ms "
                                        + "(best %.3f) per sketch, speed-up %.2f%n",
                                batch,
                                scope,
                                r,
                                lat.teacherMs(),
                                lat.teacherBestMs(),
                                lat.studentMs(),
                                lat.studentBestMs(),
                                lat.speedup());
                    }
                }
            }
        }
    }

    private record Config(String label, DistillSettings settings, int steps, boolean publicGarments) {}

    private static void curve(
            SketchGan gan, List<float[]> garments, List<float[]> heldOut, DistillSettings settings, int steps) {
        try (SketchStudent student = SketchStudent.create(gan, StudentConfig.defaults(), SEED);
                StudentDistiller distiller = StudentDistiller.builder()
                        .setStudent(student)
                        .setGarments(garments)
                        .optSettings(settings)
                        .build()) {
            List<String> points = new ArrayList<>();
            points.add(point(0, StudentQuality.measure(student, heldOut)));
            int chunk = Math.max(1, steps / 4);
            for (int done = 0; done < steps; done += chunk) {
                distiller.distill(Math.min(chunk, steps - done), null);
                points.add(point(Math.min(done + chunk, steps), StudentQuality.measure(student, heldOut)));
            }
            System.out.println("curve (defaults): " + String.join(" ", points));
        }
    }

    /** One configuration, distilled from three student seeds: mean ± sd of agreement and of quality vs references. */
    private static void ablate(
            SketchGan gan,
            List<float[]> garments,
            List<float[]> extra,
            List<float[]> heldOut,
            List<float[]> references,
            Config c) {
        double[][] v = new double[4][3];
        long t0 = System.nanoTime();
        for (int seed = 1; seed <= 3; seed++) {
            try (SketchStudent student = SketchStudent.create(gan, StudentConfig.defaults(), seed);
                    StudentDistiller distiller = StudentDistiller.builder()
                            .setStudent(student)
                            .setGarments(garments)
                            .optExtraGarments(extra)
                            .optSettings(c.settings().withSeed(seed))
                            .build()) {
                distiller.distill(c.steps(), null);
                StudentQuality q = StudentQuality.measure(student, heldOut);
                List<float[]> mine = List.of(student.generate(heldOut.toArray(float[][]::new)));
                v[0][seed - 1] = q.l1();
                v[1][seed - 1] = q.ssim();
                v[2][seed - 1] = L1Distance.mean(mine, references);
                v[3][seed - 1] = Ssim.mean(mine, references);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s |   (%d steps, %.1f s)%n",
                c.label(),
                ms(v[0]),
                ms(v[1]),
                ms(v[2]),
                ms(v[3]),
                c.steps(),
                (System.nanoTime() - t0) / 1e9);
    }

    private static String ms(double[] x) {
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(y -> (y - mean) * (y - mean)).sum() / (x.length - 1);
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean, Math.sqrt(var));
    }

    private static String point(int step, StudentQuality q) {
        return String.format(Locale.ROOT, "[step %d: L1 %.4f SSIM %.4f]", step, q.l1(), q.ssim());
    }

    private static List<float[]> images(ImageDataset d, int from, int n) {
        List<float[]> out = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) {
            out.add(d.image(i));
        }
        return out;
    }
}
