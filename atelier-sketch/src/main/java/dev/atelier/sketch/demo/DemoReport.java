package dev.atelier.sketch.demo;

import dev.atelier.sketch.eval.SketchMetrics;
import dev.atelier.sketch.student.Latency;
import dev.atelier.sketch.student.ModelCost;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the demo measured; serialised to {@code report.json} by {@link ReportJson} (schema in
 * docs/demo.md) and rendered to {@code report.html} by {@link ReportHtml}. Regimes are shown in
 * {@link DemoRegime} order.
 *
 * @param config    the settings and model configurations used
 * @param designers per-designer results, in profile order
 * @param curves    regime → per-round mean training metrics of the designers (one map of metric
 *                  name → value per round; the names differ between GAN and distillation regimes)
 * @param timing    phase → wall seconds ({@code <phase>_s}, including {@code total_s}), in run order
 * @param cost      size, compute and latency of teacher and student
 * @param networks  accuracy of the public feature network and the evaluator
 * @param notes     honest observations (e.g. designers for whom federation did not help)
 */
public record DemoReport(
        Config config,
        List<DesignerResult> designers,
        Map<DemoRegime, List<Map<String, Double>>> curves,
        Map<String, Double> timing,
        Cost cost,
        Networks networks,
        List<String> notes) {
    public DemoReport {
        designers = List.copyOf(designers);
        curves = DemoRegime.copy(curves);
        notes = List.copyOf(notes);
    }

    /**
     * @param settings        what the run was asked to do
     * @param heldOutGarments number of held-out test garments every regime is scored on
     * @param gan             the teacher GAN's configuration ({@code SketchGanConfig.toMap()})
     * @param student         the student's configuration ({@code StudentConfig.toMap()})
     */
    public record Config(
            DemoSettings settings, int heldOutGarments, Map<String, String> gan, Map<String, String> student) {}

    /**
     * One designer's profile, scores and picture grid.
     *
     * @param seenCategories garment categories in the designer's training data
     * @param metrics        scores on the held-out garments, for every regime
     * @param examples       the held-out garments shown in the report grid
     */
    public record DesignerResult(
            String name,
            String style,
            int trainPairs,
            List<String> seenCategories,
            Map<DemoRegime, SketchMetrics> metrics,
            List<Example> examples) {
        public DesignerResult {
            seenCategories = List.copyOf(seenCategories);
            metrics = DemoRegime.copy(metrics);
            examples = List.copyOf(examples);
        }

        /** The score of a regime, or null when it was not scored. */
        public SketchMetrics metrics(DemoRegime regime) {
            return metrics.get(regime);
        }
    }

    /**
     * One held-out garment in the grid; all images are pixels in [0,1].
     *
     * @param category  garment category name
     * @param input     the 28×28 garment padded to 32×32
     * @param reference the designer's reference sketch of it
     * @param sketches  each regime's sketch of it
     */
    public record Example(String category, float[] input, float[] reference, Map<DemoRegime, float[]> sketches) {
        public Example {
            sketches = DemoRegime.copy(sketches);
        }
    }

    /**
     * @param teacher the federated teacher generator (the encoder is shared, counted in {@code encoderParams})
     * @param student the distilled student
     * @param latency CPU time per sketch at batch 1, teacher and student side by side
     */
    public record Cost(ModelCost teacher, ModelCost student, Latency latency) {
        public Cost {
            Objects.requireNonNull(teacher, "teacher");
            Objects.requireNonNull(student, "student");
            Objects.requireNonNull(latency, "latency");
        }
    }

    /**
     * @param publicFeatureNet test accuracy of the public feature network
     * @param evaluatorStyle   the evaluator's style accuracy on held-out reference sketches
     * @param evaluatorGarment the evaluator's garment-category accuracy
     */
    public record Networks(double publicFeatureNet, double evaluatorStyle, double evaluatorGarment) {}
}
