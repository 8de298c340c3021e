package dev.atelier.bench.ganstep;

import dev.atelier.sketch.train.StepProfile;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** Prints {@link ProfileRun.Result} as Markdown tables (what docs/demo.md quotes). Stateless. */
final class ProfileReport {
    private ProfileReport() {}

    static void print(PrintStream out, int batch, int steps, int repeats, ProfileRun.Result r) {
        out.printf(
                Locale.ROOT,
                "Teacher step at batch %d, CPU ms per step (1 PyTorch thread, median of %d repeats x %d steps)%n%n",
                batch,
                repeats,
                steps);
        out.println("| part | warm-up step | GAN step |");
        out.println("|---|---:|---:|");
        for (StepProfile.Part p : StepProfile.Part.values()) {
            out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f |%n",
                    label(p),
                    r.warmup().get(p),
                    r.gan().get(p));
        }
        out.printf(Locale.ROOT, "| **sum of parts** | **%.2f** | **%.2f** |%n", sum(r.warmup()), sum(r.gan()));
        out.printf(
                Locale.ROOT,
                "| process CPU (all threads: GC, JIT) | %.2f | %.2f |%n%n",
                r.warmupProcess(),
                r.ganProcess());
        out.printf(Locale.ROOT, "Parts in isolation (same model, batch %d), CPU ms per call%n%n", batch);
        out.println("| part | CPU ms |");
        out.println("|---|---:|");
        r.isolated().forEach((n, v) -> out.printf(Locale.ROOT, "| %s | %.2f |%n", n, v));
        out.printf(
                Locale.ROOT,
                "%nEdge student distillation step (its default batch): %.2f CPU ms per step%n",
                r.student());
    }

    private static double sum(Map<StepProfile.Part, Double> m) {
        return m.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static String label(StepProfile.Part p) {
        return p.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
