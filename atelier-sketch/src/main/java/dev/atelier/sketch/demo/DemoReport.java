package dev.atelier.sketch.demo;

import java.util.List;
import java.util.Map;

/**
 * Everything the demo measured; serialised to {@code report.json} (schema in docs/demo.md) and
 * rendered to {@code report.html}.
 *
 * @param config        the settings used (seed, schedule, loss weights, data sizes...)
 * @param designers     per-designer results
 * @param regimes       regime keys in display order ({@code local_only, federated, centralized, student})
 * @param curves        regime → per-round mean training metrics (one map per round)
 * @param timing        phase → seconds, including {@code total_s}
 * @param generationMs  {@code teacher}/{@code student} → CPU milliseconds per sketch at batch 1
 * @param params        {@code teacher}/{@code student} → parameter counts of the generator
 * @param macs          {@code teacher}/{@code student} → multiply-accumulates per sketch
 * @param networks      accuracy of the public feature network and the evaluator
 * @param grid          designer name → example columns for the picture grid
 * @param notes         honest observations (e.g. designers for whom federation did not help)
 */
public record DemoReport(
        Map<String, Object> config,
        List<Designer> designers,
        List<String> regimes,
        Map<String, List<Map<String, Double>>> curves,
        Map<String, Double> timing,
        Map<String, Double> generationMs,
        Map<String, Long> params,
        Map<String, Long> macs,
        Map<String, Double> networks,
        Map<String, List<Example>> grid,
        List<String> notes) {

    /**
     * @param metrics regime → metric name ({@code fsd, kid, ssim, l1, style_acc, fusion}) → value
     */
    public record Designer(
            String name,
            String style,
            int trainPairs,
            List<String> seenCategories,
            Map<String, Map<String, Double>> metrics) {}

    /**
     * One held-out garment in the grid.
     *
     * @param category garment category name
     * @param images   row label ({@code input, reference, local_only, federated, student}) → pixels in [0,1]
     */
    public record Example(String category, Map<String, float[]> images) {}
}
