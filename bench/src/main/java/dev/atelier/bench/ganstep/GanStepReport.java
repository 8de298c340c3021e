package dev.atelier.bench.ganstep;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's stdout: both sides' timings as a table, the same-model checks and the ratio. */
final class GanStepReport {
    private GanStepReport() {}

    /** Prints the comparison to stdout. */
    static void print(GanStepOptions o, int batch, JavaSide.Result java, PythonSide.Outcome python) {
        StepStats stats = java.stats();
        JsonNode py = python.result();
        PrintTable t = new PrintTable();
        System.out.printf(
                Locale.ROOT,
                "%nSketch GAN, one local GAN step (critic update + generator update), batch %d;"
                        + " per side 1 check step + %d warm-up + %d timed steps on the same batches%n",
                batch,
                o.warmup(),
                o.steps());
        System.out.printf(
                Locale.ROOT,
                "model: %,d generator + %,d critic weights, default SketchGanConfig, feature cache on,"
                        + " untrained seeded FeatureNet encoder%n%n",
                java.generatorWeights(),
                java.criticWeights());
        t.row("", "median ms", "mean ms", "min ms", "threads (intra/inter)", "engine");
        t.row(
                "Java / DJL",
                f1(stats.median()),
                f1(stats.mean()),
                f1(stats.min()),
                java.threads() + " / " + java.interopThreads(),
                "DJL " + Engine.getDjlVersion() + ", libtorch " + java.engineVersion());
        if (py != null && py.has("timing")) {
            JsonNode tm = py.get("timing");
            t.row(
                    "PyTorch (Python)",
                    f1(tm.get("median_ms").asDouble()),
                    f1(tm.get("mean_ms").asDouble()),
                    f1(tm.get("min_ms").asDouble()),
                    py.path("threads").asInt() + " / "
                            + py.path("interop_threads").asInt(),
                    "torch " + py.path("torch_version").asText() + ", Python "
                            + py.path("python_version").asText());
        }
        t.print();
        String omp = System.getenv("OMP_WAIT_POLICY");
        System.out.printf(
                Locale.ROOT,
                "(both sides run one after the other in the same environment; OMP_WAIT_POLICY=%s)%n",
                omp == null ? "unset" : omp);
        if (o.threads() > 1 && omp == null) {
            System.out.println(
                    "hint: with other jobs on the cores, >1 OpenMP thread spin-waits (seconds per step on both"
                            + " sides); compare with --threads 1 or OMP_WAIT_POLICY=PASSIVE (see docs/sketch-model.md)");
        }
        if (py != null) {
            JsonNode c = py.path("checks");
            System.out.printf(
                    Locale.ROOT, "%nsame-model checks (%s):%n", py.path("ok").asBoolean() ? "passed" : "FAILED");
            System.out.printf(
                    Locale.ROOT, "  parameters: %s%n", c.path("parameters").asText());
            System.out.printf(
                    Locale.ROOT,
                    "  generator output, inference, fixed batch: max |Java - PyTorch| = %.2e%n",
                    c.path("gen_max_abs_diff").asDouble());
            System.out.printf(
                    Locale.ROOT,
                    "  critic score / feature, inference: max abs diff %.2e / %.2e%n",
                    c.path("critic_score_max_abs_diff").asDouble(),
                    c.path("critic_feature_max_abs_diff").asDouble());
            System.out.printf(
                    Locale.ROOT,
                    "  first training step, same batch: max rel loss diff %.2e (%s)%n",
                    c.path("step1_loss_max_rel_diff").asDouble(),
                    c.path("step1_worst_loss").asText());
            System.out.printf(
                    Locale.ROOT,
                    "    weights after it: max abs diff %.2e (conv biases before BatchNorm: %.2e, see note);"
                            + " generator output after it: %.2e%n",
                    c.path("step1_param_max_abs_diff").asDouble(),
                    c.path("step1_bias_before_bn_max_abs_diff").asDouble(),
                    c.path("step1_gen_max_abs_diff").asDouble());
            for (JsonNode e : py.path("errors")) {
                System.out.println("  MISMATCH: " + e.asText());
            }
            for (JsonNode n : py.path("notes")) {
                System.out.println("  note: " + n.asText());
            }
            if (py.has("timing")) {
                double pt = py.get("timing").get("median_ms").asDouble();
                System.out.printf(
                        Locale.ROOT,
                        "%nratio PyTorch ms / Java ms: %.2f   (Java ms / PyTorch ms: %.2f)   [medians]%n",
                        pt / stats.median(),
                        stats.median() / pt);
            } else {
                System.out.println("\nPyTorch side refused to time: the two implementations do not match (see above).");
            }
        } else {
            System.out.println();
            System.out.println(python.skipped());
        }
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Left-aligned text table. */
    private static final class PrintTable {
        private final List<String[]> rows = new ArrayList<>();

        void row(String... cells) {
            rows.add(cells);
        }

        void print() {
            int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
            int[] w = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    w[i] = Math.max(w[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    sb.append(String.format(Locale.ROOT, i == 0 ? "%-" + w[i] + "s" : "  %" + w[i] + "s", r[i]));
                }
                System.out.println(sb.toString().stripTrailing());
            }
        }
    }
}
