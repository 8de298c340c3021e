package dev.atelier.sketch.demo;

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
import dev.atelier.sketch.eval.SketchMetrics;
import dev.atelier.sketch.fed.FederationOutcome;
import dev.atelier.sketch.fed.Regime;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code atelier demo}: FedGAI end to end — data, cached public feature network and evaluator,
 * designers, three regimes (local only, federated, centralized D), the edge student, evaluation on
 * held-out garments and the report. See docs/demo.md.
 */
public final class SketchDemo {
    /**
     * File under the run's {@code models/} holding the federation's style card: the example-weighted
     * average of the cards designers shared over the transport (the {@code --blend} target).
     */
    public static final String FEDERATION_CARD_FILE = "federation-style-card.safetensors";

    public static final List<String> REGIMES = List.of("local_only", "federated", "centralized", "student");
    private final DemoSettings s;
    private final PrintStream log;
    private final Map<String, Double> timing = new LinkedHashMap<>();

    public SketchDemo(DemoSettings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
    }

    public DemoReport run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        FashionMnistData data = phase("data", () -> FashionMnist.load(s.dataDir()));
        log.println(data.source());
        DataSplits splits = data.splits();
        ImageDataset evalTest = splits.test();
        var publicNet = phase(
                "public_feature_net",
                () -> PublicFeatureNetwork.getOrTrain(
                        splits.publicTrain(),
                        subset(evalTest, 2000),
                        new TrainSettings(s.publicNetSteps(), 64, 2e-3f, 0f, s.seed(), true),
                        s.cacheDir()));
        log.printf(
                Locale.ROOT,
                "public feature network: test accuracy %.4f%s%n",
                publicNet.accuracy(),
                publicNet.cached() ? " (cached)" : "");
        var evaluatorNet = phase(
                "evaluator",
                () -> EvaluatorCache.getOrTrain(
                        splits.publicTrain(),
                        evalTest,
                        EvaluatorSettings.defaults().withSteps(s.evaluatorSteps()),
                        s.cacheDir()));
        log.printf(
                Locale.ROOT,
                "evaluator: style accuracy %.4f, garment accuracy %.4f%s%n",
                evaluatorNet.accuracy().style(),
                evaluatorNet.accuracy().garment(),
                evaluatorNet.cached() ? " (cached)" : "");

        List<DesignerData> designers =
                Designers.build(Designers.profiles(s.designersFile()), splits.privateTrain(), s.seed());
        HeldOut heldOut = HeldOut.select(evalTest, s.perCategory());
        log.printf(
                Locale.ROOT,
                "%d designers (%s), %d held-out garments%n",
                designers.size(),
                String.join(", ", designers.stream().map(DesignerData::name).toList()),
                heldOut.size());

        Regimes regimes = new Regimes(s, publicNet.params(), designers, heldOut);
        Map<String, RegimeOutputs> outputs = new LinkedHashMap<>();
        Regimes.StudentResult student = null;
        for (Regime regime : List.of(Regime.LOCAL_ONLY, Regime.FEDERATED, Regime.CENTRALIZED)) {
            try (FederationOutcome trained = phase(regime.key(), () -> regimes.train(regime))) {
                outputs.put(regime.key(), regimes.outputs(trained));
                if (regime == Regime.FEDERATED) {
                    // The students distil the federated teachers, so they are built before those close.
                    student = phase("student", () -> regimes.student(trained));
                }
            }
        }
        outputs.put("student", student.outputs());

        Map<String, Map<String, Map<String, Double>>> metrics;
        try (SketchEvaluator evaluator = evaluatorNet.open()) {
            metrics = phase("evaluation", () -> evaluate(new SketchEvaluation(evaluator), designers, heldOut, outputs));
        }
        timing.put("total_s", seconds(t0));
        DemoReport report = report(designers, heldOut, outputs, metrics, student, publicNet.accuracy(), evaluatorNet);
        ReportWriter.write(report, s.out());
        SketchFiles.write(s.out(), designers, outputs);
        log.printf(
                Locale.ROOT, "report written to %s (%.0f s)%n", s.out().resolve("report.html"), timing.get("total_s"));
        return report;
    }

    private Map<String, Map<String, Map<String, Double>>> evaluate(
            SketchEvaluation evaluation,
            List<DesignerData> designers,
            HeldOut heldOut,
            Map<String, RegimeOutputs> outputs) {
        List<SketchEvaluation.Case> cases = new ArrayList<>();
        List<String[]> keys = new ArrayList<>();
        for (DesignerData d : designers) {
            Set<Integer> peers = new LinkedHashSet<>();
            designers.stream()
                    .filter(o -> o != d)
                    .forEach(o -> peers.add(o.style().ordinal()));
            peers.remove(d.style().ordinal());
            List<float[]> refs = heldOut.references(d.style());
            for (var e : outputs.entrySet()) {
                cases.add(new SketchEvaluation.Case(
                        d.style().ordinal(), peers, e.getValue().sketches.get(d.name()), refs));
                keys.add(new String[] {d.name(), e.getKey()});
            }
        }
        List<SketchMetrics> scored = evaluation.evaluateAll(cases);
        Map<String, Map<String, Map<String, Double>>> out = new LinkedHashMap<>();
        for (int i = 0; i < scored.size(); i++) {
            out.computeIfAbsent(keys.get(i)[0], k -> new LinkedHashMap<>())
                    .put(keys.get(i)[1], scored.get(i).toMap());
        }
        return out;
    }

    private DemoReport report(
            List<DesignerData> designers,
            HeldOut heldOut,
            Map<String, RegimeOutputs> outputs,
            Map<String, Map<String, Map<String, Double>>> metrics,
            Regimes.StudentResult student,
            double publicAcc,
            EvaluatorCache.Trained evaluatorNet) {
        List<DemoReport.Designer> rows = new ArrayList<>();
        Map<String, List<DemoReport.Example>> grid = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (DesignerData d : designers) {
            List<String> seen = new ArrayList<>();
            boolean[] sc = d.seenCategories();
            for (int c = 0; c < sc.length; c++) {
                if (sc[c]) {
                    seen.add(FashionMnist.CLASS_NAMES.get(c));
                }
            }
            Map<String, Map<String, Double>> m = metrics.get(d.name());
            rows.add(new DemoReport.Designer(
                    d.name(), d.style().styleName(), d.garments().size(), seen, m));
            double fedFsd = m.get("federated").get("fsd");
            double localFsd = m.get("local_only").get("fsd");
            if (fedFsd > localFsd) {
                notes.add(String.format(
                        Locale.ROOT,
                        "%s: federation did not beat local-only on FSD (%.3f vs %.3f).",
                        d.name(),
                        fedFsd,
                        localFsd));
            }
            grid.put(d.name(), examples(d, heldOut, outputs));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("settings", s);
        config.put("held_out_garments", heldOut.size());
        config.put("gan", student.teacherConfig());
        config.put("student", student.studentConfig());
        Map<String, Double> networks = new LinkedHashMap<>();
        networks.put("public_feature_net_accuracy", publicAcc);
        networks.put("evaluator_style_accuracy", evaluatorNet.accuracy().style());
        networks.put("evaluator_garment_accuracy", evaluatorNet.accuracy().garment());
        Map<String, List<Map<String, Double>>> curves = new LinkedHashMap<>();
        outputs.forEach((k, v) -> curves.put(k, v.curve));
        return new DemoReport(
                config,
                rows,
                REGIMES,
                curves,
                timing,
                student.latencyMs(),
                Map.of(
                        "teacher",
                        student.teacherCost().params(),
                        "student",
                        student.studentCost().params(),
                        "encoder",
                        student.encoderParams()),
                Map.of(
                        "teacher",
                        student.teacherCost().macs(),
                        "student",
                        student.studentCost().macs()),
                networks,
                grid,
                notes);
    }

    /** The first {@code gridColumns} held-out garments, spread over categories. */
    private List<DemoReport.Example> examples(DesignerData d, HeldOut heldOut, Map<String, RegimeOutputs> outputs) {
        List<DemoReport.Example> ex = new ArrayList<>();
        List<float[]> refs = heldOut.references(d.style());
        int step = Math.max(1, heldOut.size() / s.gridColumns());
        for (int i = 0; i < heldOut.size() && ex.size() < s.gridColumns(); i += step) {
            Map<String, float[]> images = new LinkedHashMap<>();
            images.put(
                    "input",
                    dev.atelier.sketch.style.SketchFormat.padGarment(
                            heldOut.garments().get(i)));
            images.put("reference", refs.get(i));
            for (var e : outputs.entrySet()) {
                images.put(e.getKey(), e.getValue().sketches.get(d.name()).get(i));
            }
            ex.add(new DemoReport.Example(FashionMnist.CLASS_NAMES.get(heldOut.labels()[i]), images));
        }
        return ex;
    }

    static ImageDataset subset(ImageDataset d, int n) {
        if (d.size() <= n) {
            return d;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return d.subset(idx);
    }

    @FunctionalInterface
    interface Work<T> {
        T get() throws IOException, InterruptedException;
    }

    private <T> T phase(String name, Work<T> work) throws IOException, InterruptedException {
        long t = System.nanoTime();
        T result = work.get();
        timing.put(name + "_s", seconds(t));
        return result;
    }

    private static double seconds(long t0) {
        return Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
    }
}
