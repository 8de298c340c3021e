package dev.atelier.sketch.demo;

import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.run.Run;
import dev.atelier.core.run.RunConfig;
import dev.atelier.core.run.RunDirectory;
import dev.atelier.core.run.RunListener;
import dev.atelier.core.strategy.FedAvg;
import dev.atelier.core.strategy.FedProx;
import dev.atelier.core.strategy.Sampling;
import dev.atelier.core.strategy.Strategy;
import dev.atelier.core.strategy.TrainKeys;
import dev.atelier.core.transport.InProcessTransport;
import dev.atelier.core.util.Progress;
import dev.atelier.core.workload.Node;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import dev.atelier.sketch.model.StyleCard;
import dev.atelier.sketch.student.Latency;
import dev.atelier.sketch.student.LatencyBench;
import dev.atelier.sketch.student.ModelCost;
import dev.atelier.sketch.student.ModelCosts;
import dev.atelier.sketch.student.SketchStudent;
import dev.atelier.sketch.student.StudentConfig;
import dev.atelier.sketch.student.StudentDistiller;
import dev.atelier.sketch.student.DistillSettings;
import dev.atelier.sketch.train.SketchPairs;
import dev.atelier.sketch.train.SketchTrainer;
import dev.atelier.sketch.train.StepMetrics;
import dev.atelier.sketch.train.TrainerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's training regimes over the same designers, seeds and data. Every designer's model is
 * created from the same per-designer seed in every regime, so differences come from the regime.
 */
final class Regimes {
    private final DemoSettings s;
    private final ParamSet publicNet;
    private final List<DesignerData> designers;
    private final HeldOut heldOut;
    private final PrintStream log;
    private final float[][] heldOutGarments;

    Regimes(DemoSettings s, ParamSet publicNet, List<DesignerData> designers, HeldOut heldOut, PrintStream log) {
        this.s = s;
        this.publicNet = publicNet;
        this.designers = designers;
        this.heldOut = heldOut;
        this.log = log;
        this.heldOutGarments = heldOut.garments().toArray(new float[0][]);
    }

    long seedOf(int designer) {
        return s.seed() * 1000 + designer;
    }

    SketchTrainer newTrainer(int i) {
        DesignerData d = designers.get(i);
        SketchGan gan = SketchGan.create(publicNet, SketchGanConfig.defaults(), seedOf(i));
        return SketchTrainer.builder().setModel(gan).setData(SketchPairs.paired(d.garments(), d.sketches()))
                .optSettings(TrainerSettings.defaults(seedOf(i))).build();
    }

    private Progress progress(String label) {
        return Progress.start(label, (long) designers.size() * (s.warmupSteps() + (long) s.rounds() * s.localSteps()));
    }

    /** Each designer alone: warm-up, then the same number of GAN steps as the federation, no sharing. */
    RegimeOutputs localOnly() throws IOException {
        Progress p = progress("local only");
        List<List<StepMetrics>> perRound = rounds();
        RegimeOutputs out = new RegimeOutputs(new ArrayList<>());
        for (int i = 0; i < designers.size(); i++) {
            try (SketchTrainer t = newTrainer(i)) {
                t.warmup(s.warmupSteps(), m -> p.step());
                for (int r = 0; r < s.rounds(); r++) {
                    perRound.get(r).add(t.trainSteps(s.localSteps(), m -> p.step()));
                }
                finish(out, "local_only", i, t.model());
            }
        }
        p.finish(null);
        out.curve.addAll(means(perRound));
        return out;
    }

    /**
     * Centralized D (privacy-violating upper bound): one critic trained on every designer's real
     * sketches. Each round the critic — all of it, BatchNorm included — passes from designer to
     * designer, so it trains on the pooled sketches in turn; generators stay per designer.
     */
    RegimeOutputs centralized() throws IOException {
        Progress p = progress("centralized D");
        List<SketchTrainer> trainers = new ArrayList<>();
        List<List<StepMetrics>> perRound = rounds();
        try {
            for (int i = 0; i < designers.size(); i++) {
                SketchTrainer t = newTrainer(i);
                trainers.add(t);
                t.warmup(s.warmupSteps(), m -> p.step());
            }
            ParamSet critic = trainers.get(0).model().discriminatorParams();
            for (int r = 0; r < s.rounds(); r++) {
                for (SketchTrainer t : trainers) {
                    perRound.get(r).add(t.trainSteps(s.localSteps(), critic, 0f, m -> p.step()));
                    critic = t.model().discriminatorParams();
                }
            }
            p.finish(null);
            RegimeOutputs out = new RegimeOutputs(means(perRound));
            for (int i = 0; i < trainers.size(); i++) {
                trainers.get(i).model().loadDiscriminator(critic);
                finish(out, "centralized", i, trainers.get(i).model());
            }
            return out;
        } finally {
            trainers.forEach(SketchTrainer::close);
        }
    }

    /** The federated regime's trainers stay open for the student; close them when done. */
    record Federated(RegimeOutputs outputs, List<SketchTrainer> trainers) implements AutoCloseable {
        @Override
        public void close() {
            trainers.forEach(SketchTrainer::close);
        }
    }

    /**
     * FedGAI: the core {@link Run} over the in-process transport; each designer is a node whose
     * outbound filter lets only the critic's non-BatchNorm parameters leave
     * ({@link SketchGan#SHARED_DISC}). Example-weighted FedAvg (FedProx when mu > 0).
     */
    Federated federated() throws IOException, InterruptedException {
        Progress p = progress("federated (FedGAI)");
        List<SketchTrainer> trainers = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        boolean ok = false;
        try {
            for (int i = 0; i < designers.size(); i++) {
                SketchTrainer t = newTrainer(i);
                trainers.add(t);
                t.warmup(s.warmupSteps(), m -> p.step());
                nodes.add(new Node(designers.get(i).name(), new DesignerWorkload(designers.get(i).name(), t, p::step),
                        dev.atelier.core.filter.PayloadFilter.identity(), SketchGan.SHARED_DISC));
            }
            Config train = Config.of(Map.of(TrainKeys.LOCAL_STEPS, s.localSteps()));
            Sampling all = new Sampling(1.0, designers.size(), designers.size(), 0.0);
            Strategy strategy = s.proximalMu() > 0 ? new FedProx(all, train, s.proximalMu()) : new FedAvg(all, train);
            ParamSet initial = trainers.get(0).model().sharedDiscriminatorParams();
            List<Map<String, Double>> curve = new ArrayList<>();
            try (InProcessTransport transport = new InProcessTransport(nodes)) {
                Run.builder().setConfig(RunConfig.of("federation", s.rounds(), s.seed()).withDetails(Map.of("workload", "sketch",
                                "designers", designers.size(), "shared", SketchGan.SHARED_DISC.rules())))
                        .setStrategy(strategy).setTransport(transport).setInitial(initial)
                        .optDirectory(new RunDirectory(s.out().resolve("federation")))
                        .optListener(new RunListener() {
                            @Override
                            public void onRoundEnd(dev.atelier.core.run.RoundRecord r, int total, double eta) {
                                curve.add(r.fit());
                                r.failures().forEach(f -> log.println("  " + f.nodeId() + " " + f.kind() + ": " + f.reason()));
                            }
                        }).build().execute();
                ParamSet finalGlobal = new dev.atelier.core.run.RunDirectory(s.out().resolve("federation")).latestCheckpoint()
                        .orElseThrow().getValue();
                p.finish(String.format("wire: %d parameter bytes sent by designers",
                        transport.ledger().total(dev.atelier.core.transport.WireLedger.Direction.FROM_NODE,
                                dev.atelier.core.transport.WireLedger.PayloadKind.PARAMETERS)));
                RegimeOutputs out = new RegimeOutputs(curve);
                StyleCard average = averageCard(trainers);
                for (int i = 0; i < trainers.size(); i++) {
                    SketchGan gan = trainers.get(i).model();
                    gan.loadDiscriminator(finalGlobal);
                    if (s.blend() < 1) {
                        gan.setStyleCard(gan.styleCard().blend(average, s.blend()));
                    }
                    finish(out, "federated", i, gan);
                }
                ok = true;
                return new Federated(out, trainers);
            }
        } finally {
            if (!ok) {
                trainers.forEach(SketchTrainer::close);
            }
        }
    }

    /** The federation's aggregated style card: designers' cards weighted by their sketch counts. */
    StyleCard averageCard(List<SketchTrainer> trainers) {
        double[] w = designers.stream().mapToDouble(d -> d.sketches().size()).toArray();
        return StyleCard.average(trainers.stream().map(t -> t.model().styleCard()).toList(), w);
    }

    /** Cost and quality of the distilled edge students (one per designer, from the federated teacher). */
    record StudentResult(RegimeOutputs outputs, ModelCost teacherCost, ModelCost studentCost, long encoderParams,
                         Map<String, Double> latencyMs, Map<String, String> teacherConfig, Map<String, String> studentConfig) {
    }

    StudentResult student(Federated fed) throws IOException {
        Progress p = Progress.start("edge students", (long) designers.size() * s.distillSteps());
        RegimeOutputs out = new RegimeOutputs(new ArrayList<>());
        ModelCost teacherCost = null;
        ModelCost studentCost = null;
        Latency latency = null;
        List<List<Map<String, Double>>> curves = new ArrayList<>();
        for (int i = 0; i < designers.size(); i++) {
            SketchGan teacher = fed.trainers().get(i).model();
            try (SketchStudent student = SketchStudent.create(teacher, StudentConfig.defaults(), seedOf(i));
                 StudentDistiller distiller = StudentDistiller.builder().setStudent(student)
                         .setGarments(designers.get(i).garments()).optSettings(DistillSettings.defaults(seedOf(i))).build()) {
                List<Map<String, Double>> curve = new ArrayList<>();
                distiller.distill(s.distillSteps(), m -> {
                    p.step();
                    curve.add(m.toMap());
                });
                curves.add(curve);
                out.sketches.put(designers.get(i).name(), List.of(student.generate(heldOutGarments)));
                student.save(s.out().resolve("models").resolve(designers.get(i).name()).resolve("student.safetensors"),
                        Map.of("designer", designers.get(i).name()));
                if (i == 0) {
                    teacherCost = ModelCosts.teacher(teacher);
                    studentCost = ModelCosts.student(student);
                    latency = LatencyBench.measure(student, heldOutGarments[0], s.quick() ? 3 : 10, s.quick() ? 10 : 50);
                }
            }
        }
        p.finish(String.format("teacher %.2f ms, student %.2f ms per sketch at batch 1", latency.teacherMs(), latency.studentMs()));
        for (int step = 0; step < s.distillSteps(); step += Math.max(1, s.distillSteps() / 20)) {
            final int k = step;
            out.curve.add(mean(curves.stream().map(c -> c.get(k)).toList()));
        }
        return new StudentResult(out, teacherCost, studentCost, teacherCost.encoderParams(),
                Map.of("teacher", latency.teacherMs(), "student", latency.studentMs()),
                SketchGanConfig.defaults().toMap(), StudentConfig.defaults().toMap());
    }

    /** Generates the held-out sketches and saves the designer's model for {@code atelier generate}. */
    private void finish(RegimeOutputs out, String regime, int i, SketchGan gan) throws IOException {
        out.sketches.put(designers.get(i).name(), List.of(gan.generate(heldOutGarments)));
        Path file = s.out().resolve("models").resolve(designers.get(i).name()).resolve(regime + ".safetensors");
        gan.save(file, Map.of("designer", designers.get(i).name(), "regime", regime, "style", designers.get(i).style().styleName()));
    }

    private List<List<StepMetrics>> rounds() {
        List<List<StepMetrics>> r = new ArrayList<>();
        for (int i = 0; i < s.rounds(); i++) {
            r.add(new ArrayList<>());
        }
        return r;
    }

    private static List<Map<String, Double>> means(List<List<StepMetrics>> perRound) {
        return perRound.stream().map(l -> StepMetrics.mean(l).toMap()).toList();
    }

    private static Map<String, Double> mean(List<Map<String, Double>> maps) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Double> m : maps) {
            m.forEach((k, v) -> out.merge(k, v / maps.size(), Double::sum));
        }
        return out;
    }
}
