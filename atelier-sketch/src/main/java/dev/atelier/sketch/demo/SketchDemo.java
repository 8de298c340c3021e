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
import dev.atelier.sketch.privacy.AuditReport;
import dev.atelier.sketch.style.SketchFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
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
    private final DemoSettings s;
    private final DemoLayout layout;
    private final PrintStream log;
    private final Map<String, Double> timing = new LinkedHashMap<>();
    private DemoAudit privacy;
    private Double privateEpsilon;

    public SketchDemo(DemoSettings settings, PrintStream log) {
        this.s = settings;
        this.layout = settings.layout();
        this.log = log;
    }

    /**
     * {@code --privacy secagg+dp}: after the regimes, run the leakage audit ({@link DemoAudit}) and
     * add its section to the report; null (default) skips it.
     */
    public SketchDemo optPrivacyAudit(DemoAudit audit) {
        this.privacy = audit;
        return this;
    }

    /**
     * {@code --privacy secagg+dp}: after the regimes, train the federated regime once more under
     * SecAgg+ with dropouts, per-sketch DP-SGD at {@code epsilon} and secure style cards
     * ({@link PrivateFederation}) and report it next to plain FedGAI; null (default) skips it.
     */
    public SketchDemo optPrivateRegime(Double epsilon) {
        this.privateEpsilon = epsilon;
        return this;
    }

    public DemoReport run() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        FashionMnistData data = phase("data", () -> FashionMnist.load(s.inputs().dataDir()));
        log.println(data.source());
        DataSplits splits = data.splits();
        ImageDataset evalTest = splits.test();
        var publicNet = phase(
                "public_feature_net",
                () -> PublicFeatureNetwork.getOrTrain(
                        splits.publicTrain(),
                        subset(evalTest, 2000),
                        new TrainSettings(s.budget().publicNetSteps(), 64, 2e-3f, 0f, s.seed(), true),
                        s.inputs().cacheDir()));
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
                        EvaluatorSettings.defaults().withSteps(s.budget().evaluatorSteps()),
                        s.inputs().cacheDir()));
        log.printf(
                Locale.ROOT,
                "evaluator: style accuracy %.4f, garment accuracy %.4f%s%n",
                evaluatorNet.accuracy().style(),
                evaluatorNet.accuracy().garment(),
                evaluatorNet.cached() ? " (cached)" : "");

        var profiles = Designers.profiles(s.inputs().designersFile());
        List<DesignerData> designers = Designers.build(profiles, splits.privateTrain(), s.seed());
        HeldOut heldOut = HeldOut.select(evalTest, s.evaluation().perCategory());
        log.printf(
                Locale.ROOT,
                "%d designers (%s), %d held-out garments%n",
                designers.size(),
                String.join(", ", designers.stream().map(DesignerData::name).toList()),
                heldOut.size());

        Regimes regimes = new Regimes(s, publicNet.params(), designers, heldOut);
        if (privateEpsilon != null && designers.size() < 3) {
            throw new IllegalArgumentException(
                    "--privacy needs at least 3 designers (SecAgg+), the profiles have " + designers.size());
        }
        List<RegimeOutputs> outputs = new ArrayList<>();
        Regimes.StudentResult student = null;
        FederationCost federatedCost = null;
        for (Regime regime : List.of(Regime.LOCAL_ONLY, Regime.FEDERATED, Regime.CENTRALIZED)) {
            try (FederationOutcome trained = phase(regime.key(), () -> regimes.train(regime))) {
                outputs.add(regimes.outputs(trained));
                if (regime == Regime.FEDERATED) {
                    federatedCost = FederationCost.of(trained);
                    // The students distil the federated teachers, so they are built before those close.
                    student = phase("student", () -> regimes.student(trained));
                }
            }
        }
        outputs.add(student.outputs());

        Map<String, Map<DemoRegime, SketchMetrics>> metrics;
        AuditReport audit = null;
        PrivateRegimeReport privateRegime = null;
        try (SketchEvaluator evaluator = evaluatorNet.open()) {
            SketchEvaluation evaluation = new SketchEvaluation(evaluator);
            metrics = phase("evaluation", () -> evaluate(evaluation, designers, heldOut, outputs));
            if (privateEpsilon != null) {
                FederationCost plain = federatedCost;
                var scored = metrics;
                privateRegime = phase(
                        "federated_private",
                        () -> PrivateFederation.run(
                                s, regimes, designers, heldOut, evaluation, plain, scored, privateEpsilon));
                log.print(privateRegime.summary());
            }
            if (privacy != null) {
                audit = phase(
                        "privacy_audit",
                        () -> privacy.run(
                                profiles,
                                splits.privateTrain(),
                                publicNet.params(),
                                evaluation,
                                heldOut,
                                s.seed(),
                                log));
                log.print(audit.table());
            }
        }
        timing.put("total_s", seconds(t0));
        DemoReport report = report(designers, heldOut, outputs, metrics, student, publicNet.accuracy(), evaluatorNet);
        ReportWriter.write(report, layout, audit, privateRegime);
        SketchFiles.write(layout, designers, outputs);
        log.printf(Locale.ROOT, "report written to %s (%.0f s)%n", layout.reportHtml(), timing.get("total_s"));
        return report;
    }

    /** designer name → regime → scores, every designer × regime scored in one batch. */
    private Map<String, Map<DemoRegime, SketchMetrics>> evaluate(
            SketchEvaluation evaluation, List<DesignerData> designers, HeldOut heldOut, List<RegimeOutputs> outputs) {
        List<SketchEvaluation.Case> cases = new ArrayList<>();
        record Key(String designer, DemoRegime regime) {}
        List<Key> keys = new ArrayList<>();
        for (DesignerData d : designers) {
            Set<Integer> peers = new LinkedHashSet<>();
            designers.stream()
                    .filter(o -> o != d)
                    .forEach(o -> peers.add(o.style().ordinal()));
            peers.remove(d.style().ordinal());
            List<float[]> refs = heldOut.references(d.style());
            for (RegimeOutputs o : outputs) {
                cases.add(new SketchEvaluation.Case(d.style().ordinal(), peers, o.of(d.name()), refs));
                keys.add(new Key(d.name(), o.regime()));
            }
        }
        List<SketchMetrics> scored = evaluation.evaluateAll(cases);
        Map<String, Map<DemoRegime, SketchMetrics>> out = new LinkedHashMap<>();
        for (int i = 0; i < scored.size(); i++) {
            out.computeIfAbsent(keys.get(i).designer(), k -> new EnumMap<>(DemoRegime.class))
                    .put(keys.get(i).regime(), scored.get(i));
        }
        return out;
    }

    private DemoReport report(
            List<DesignerData> designers,
            HeldOut heldOut,
            List<RegimeOutputs> outputs,
            Map<String, Map<DemoRegime, SketchMetrics>> metrics,
            Regimes.StudentResult student,
            double publicAcc,
            EvaluatorCache.Trained evaluatorNet) {
        List<DemoReport.DesignerResult> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (DesignerData d : designers) {
            List<String> seen = new ArrayList<>();
            boolean[] sc = d.seenCategories();
            for (int c = 0; c < sc.length; c++) {
                if (sc[c]) {
                    seen.add(FashionMnist.CLASS_NAMES.get(c));
                }
            }
            Map<DemoRegime, SketchMetrics> m = metrics.get(d.name());
            rows.add(new DemoReport.DesignerResult(
                    d.name(), d.style().styleName(), d.garments().size(), seen, m, examples(d, heldOut, outputs)));
            double fedFsd = m.get(DemoRegime.FEDERATED).fsd();
            double localFsd = m.get(DemoRegime.LOCAL_ONLY).fsd();
            if (fedFsd > localFsd) {
                notes.add(String.format(
                        Locale.ROOT,
                        "%s: federation did not beat local-only on FSD (%.3f vs %.3f).",
                        d.name(),
                        fedFsd,
                        localFsd));
            }
        }
        Map<DemoRegime, List<Map<String, Double>>> curves = new EnumMap<>(DemoRegime.class);
        outputs.forEach(o -> curves.put(o.regime(), o.curve()));
        return new DemoReport(
                new DemoReport.Config(s, heldOut.size(), student.teacherConfig(), student.studentConfig()),
                rows,
                curves,
                timing,
                student.cost(),
                new DemoReport.Networks(
                        publicAcc,
                        evaluatorNet.accuracy().style(),
                        evaluatorNet.accuracy().garment()),
                notes);
    }

    /** The first {@code gridColumns} held-out garments, spread over categories. */
    private List<DemoReport.Example> examples(DesignerData d, HeldOut heldOut, List<RegimeOutputs> outputs) {
        List<DemoReport.Example> ex = new ArrayList<>();
        List<float[]> refs = heldOut.references(d.style());
        int columns = s.evaluation().gridColumns();
        int step = Math.max(1, heldOut.size() / columns);
        for (int i = 0; i < heldOut.size() && ex.size() < columns; i += step) {
            Map<DemoRegime, float[]> sketches = new EnumMap<>(DemoRegime.class);
            for (RegimeOutputs o : outputs) {
                sketches.put(o.regime(), o.of(d.name()).get(i));
            }
            ex.add(new DemoReport.Example(
                    FashionMnist.CLASS_NAMES.get(heldOut.labels()[i]),
                    SketchFormat.padGarment(heldOut.garments().get(i)),
                    refs.get(i),
                    sketches));
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
