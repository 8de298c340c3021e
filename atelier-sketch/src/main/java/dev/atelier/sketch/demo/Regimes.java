package dev.atelier.sketch.demo;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.transport.WireLedger;
import dev.atelier.core.util.Progress;
import dev.atelier.core.util.Seeds;
import dev.atelier.sketch.fed.FederationListener;
import dev.atelier.sketch.fed.FederationOutcome;
import dev.atelier.sketch.fed.Regime;
import dev.atelier.sketch.fed.RoundSummary;
import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.fed.SketchFederation;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.student.DistillMetrics;
import dev.atelier.sketch.student.DistillSettings;
import dev.atelier.sketch.student.Latency;
import dev.atelier.sketch.student.LatencyBench;
import dev.atelier.sketch.student.ModelCost;
import dev.atelier.sketch.student.ModelCosts;
import dev.atelier.sketch.student.SketchStudent;
import dev.atelier.sketch.student.StudentConfig;
import dev.atelier.sketch.student.StudentDistiller;
import dev.atelier.sketch.student.TeacherInit;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The demo's regimes: each one is a {@link SketchFederation} run over the same designers, seeds,
 * data and schedule, so differences come from the regime alone. Every designer opts in to share
 * a style card in the federated regime (for {@code --blend} and {@code atelier generate --blend}).
 */
final class Regimes {
    private final DemoSettings s;
    private final DemoLayout layout;
    private final ParamSet publicNet;
    private final List<DesignerData> designers;
    private final float[][] heldOutGarments;

    Regimes(DemoSettings s, ParamSet publicNet, List<DesignerData> designers, HeldOut heldOut) {
        this.s = s;
        this.layout = s.layout();
        this.publicNet = publicNet;
        this.designers = designers;
        this.heldOutGarments = heldOut.garments().toArray(new float[0][]);
    }

    /** Runs one regime with a progress bar; the outcome's trainers stay open (the caller closes them). */
    FederationOutcome train(Regime regime) throws IOException, InterruptedException {
        Schedule schedule = s.schedule();
        String label = switch (regime) {
            case LOCAL_ONLY -> "local only";
            case FEDERATED -> "federated (FedGAI)";
            case CENTRALIZED -> "centralized D (privacy-violating upper bound)";
        };
        Progress progress = Progress.start(label, (long) designers.size() * schedule.stepsPerDesigner());
        SketchFederation.Builder b = builder(regime, progress);
        if (regime == Regime.FEDERATED) {
            b.optShareStyleCards(names()).optRunDirectory(new RunDirectory(layout.federationRun()));
        }
        FederationOutcome out = b.build().run();
        long sent = out.ledger().total(WireLedger.Direction.FROM_NODE, WireLedger.PayloadKind.PARAMETERS);
        progress.finish(
                regime == Regime.FEDERATED
                        ? String.format(Locale.ROOT, "%d parameter bytes sent by designers", sent)
                        : null);
        return out;
    }

    /** The designers' names, in order. */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        designers.forEach(d -> names.add(d.name()));
        return names;
    }

    /** A federation of the demo's designers, seeds and schedule in {@code regime}, stepping {@code progress}. */
    SketchFederation.Builder builder(Regime regime, Progress progress) {
        SketchFederation.Builder b = SketchFederation.builder()
                .setEncoder(publicNet)
                .optRegime(regime)
                .optSchedule(s.schedule())
                .optProximalMu(s.federation().proximalMu())
                .optCriticMix(s.federation().criticMix())
                .optModelConfig(SketchGanConfig.defaults())
                .optTrainerSettings(s.trainerSettings())
                .optSeed(s.seed())
                .optListener(new FederationListener() {
                    @Override
                    public void onStep(String designer, long done, long total, StepMetrics m) {
                        progress.step();
                    }
                });
        for (DesignerData d : designers) {
            b.addDesigner(d.name(), SketchPairs.paired(d.garments(), d.sketches()));
        }
        return b;
    }

    /**
     * Each designer's held-out sketches of a trained regime; a federated one draws with the style
     * blend {@code --blend} (after the models were saved with the designer's own card).
     */
    Map<String, List<float[]>> sketches(FederationOutcome out) {
        Map<String, List<float[]>> sketches = new LinkedHashMap<>();
        double blend = s.federation().blend();
        for (DesignerData d : designers) {
            SketchGan gan = out.trainers().get(d.name()).model();
            if (out.regime() == Regime.FEDERATED && blend < 1) {
                gan.setStyleCard(out.blendedCard(d.name(), blend));
            }
            sketches.put(d.name(), List.of(gan.generate(heldOutGarments)));
        }
        return sketches;
    }

    /**
     * Generates the held-out sketches of a trained regime and saves each designer's model
     * ({@code models/<designer>/<regime>.safetensors}) for {@code atelier generate}. The final
     * global (or central) critic is loaded first so the saved model is the one the regime ends with;
     * the federated sketches use the style blend {@code --blend}.
     */
    RegimeOutputs outputs(FederationOutcome out) throws IOException {
        DemoRegime regime = DemoRegime.of(out.regime());
        for (DesignerData d : designers) {
            if (out.regime() == Regime.FEDERATED && out.federationCard() != null) {
                layout.modelDir(d.name(), regime).saveFederationCard(out.federationCard(), designers.size());
            }
            SketchGan gan = out.trainers().get(d.name()).model();
            if (!out.sharedCritic().isEmpty()) {
                gan.loadDiscriminator(out.sharedCritic());
            }
            Path file = layout.model(d.name(), regime);
            gan.save(
                    file,
                    Map.of(
                            "designer",
                            d.name(),
                            "regime",
                            regime.key(),
                            "style",
                            d.style().styleName()));
        }
        return new RegimeOutputs(regime, sketches(out), curve(out.rounds()));
    }

    /** Cost and quality of the distilled edge students (one per designer, from the federated teacher). */
    record StudentResult(
            RegimeOutputs outputs,
            DemoReport.Cost cost,
            Map<String, String> teacherConfig,
            Map<String, String> studentConfig) {}

    StudentResult student(FederationOutcome fed) throws IOException {
        int distillSteps = s.budget().distillSteps();
        Progress p = Progress.start("edge students", (long) designers.size() * distillSteps);
        Map<String, List<float[]>> sketches = new LinkedHashMap<>();
        ModelCost teacherCost = null;
        ModelCost studentCost = null;
        Latency latency = null;
        List<List<DistillMetrics>> curves = new ArrayList<>();
        for (int i = 0; i < designers.size(); i++) {
            DesignerData d = designers.get(i);
            SketchTrainer teacher = fed.trainers().get(d.name());
            long seed = Seeds.derive(s.seed(), "student", d.name());
            // the teacher's widths, started from the teacher's weights, and a decaying rate: at the demo's
            // 120 steps this student's FSD is 5-13% above the teacher's (docs/student.md, sessions 7, 14, 15)
            try (SketchStudent student = SketchStudent.create(teacher.model(), StudentConfig.teacherWidths(), seed);
                    StudentDistiller distiller = StudentDistiller.builder()
                            .setStudent(student)
                            .setGarments(d.garments())
                            .optSettings(DistillSettings.shortRun(distillSteps, seed))
                            .build()) {
                TeacherInit.apply(student);
                List<DistillMetrics> curve = new ArrayList<>();
                distiller.distill(distillSteps, m -> {
                    p.step();
                    curve.add(m);
                });
                curves.add(curve);
                student.fitToneCurve(d.garments());
                sketches.put(d.name(), List.of(student.generate(heldOutGarments)));
                student.save(layout.model(d.name(), DemoRegime.STUDENT), Map.of("designer", d.name()));
                if (i == 0) {
                    teacherCost = ModelCosts.teacher(teacher.model());
                    studentCost = ModelCosts.student(student);
                    latency = LatencyBench.measure(
                            student,
                            heldOutGarments[0],
                            s.evaluation().latencyWarmup(),
                            s.evaluation().latencyRuns());
                }
            }
        }
        p.finish(String.format(
                Locale.ROOT,
                "teacher %.2f ms, student %.2f ms per sketch at batch 1",
                latency.teacherMs(),
                latency.studentMs()));
        List<Map<String, Double>> curve = new ArrayList<>();
        for (int step = 0; step < distillSteps; step += Math.max(1, distillSteps / 20)) {
            final int k = step;
            curve.add(DistillMetrics.mean(curves.stream().map(c -> c.get(k)).toList())
                    .toMap());
        }
        return new StudentResult(
                new RegimeOutputs(DemoRegime.STUDENT, sketches, curve),
                new DemoReport.Cost(teacherCost, studentCost, latency),
                SketchGanConfig.defaults().toMap(),
                StudentConfig.teacherWidths().toMap());
    }

    /** Per round, the mean over designers of their mean local-step metrics. */
    private static List<Map<String, Double>> curve(List<RoundSummary> rounds) {
        List<Map<String, Double>> c = new ArrayList<>();
        for (RoundSummary r : rounds) {
            c.add(StepMetrics.mean(List.copyOf(r.perDesigner().values())).toMap());
        }
        return c;
    }
}
