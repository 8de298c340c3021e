package dev.atelier.sketch.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.sketch.eval.SketchMetrics;
import dev.atelier.sketch.student.Latency;
import dev.atelier.sketch.student.LatencyBench;
import dev.atelier.sketch.student.ModelCost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed {@link DemoReport} is written with the documented report.json schema (docs/demo.md). */
class ReportJsonTest {
    @TempDir
    Path tmp;

    static DemoReport report(Path out) {
        DemoSettings settings = DemoSettings.builder(
                        DemoPreset.QUICK, out, 7, new DemoSettings.Inputs(null, null, out.resolve("cache")))
                .build();
        Map<DemoRegime, SketchMetrics> metrics = new EnumMap<>(DemoRegime.class);
        Map<DemoRegime, float[]> sketches = new EnumMap<>(DemoRegime.class);
        int i = 0;
        for (DemoRegime r : DemoRegime.values()) {
            metrics.put(r, new SketchMetrics(10 + i, 0.5, 0.6, 0.1, 0.25 * i, 0.05));
            sketches.put(r, new float[1024]);
            i++;
        }
        var example = new DemoReport.Example("Trouser", new float[1024], new float[1024], sketches);
        var ada = new DemoReport.DesignerResult(
                "ada-contour", "contour", 120, List.of("Trouser"), metrics, List.of(example));
        Map<DemoRegime, List<Map<String, Double>>> curves = new EnumMap<>(DemoRegime.class);
        curves.put(DemoRegime.FEDERATED, List.of(Map.of("d_loss", 1.5), Map.of("d_loss", 1.25)));
        Map<String, Double> timing = new LinkedHashMap<>();
        timing.put("data_s", 1.0);
        timing.put("total_s", 9.5);
        var cost = new DemoReport.Cost(
                new ModelCost(1000, 20, 5000, 70_000, 30_000),
                new ModelCost(100, 20, 5000, 10_000, 30_000),
                new Latency(3.5, 3.75, 3.0, 3.25, LatencyBench.Scope.END_TO_END, 1, 3, 10));
        return new DemoReport(
                new DemoReport.Config(settings, 30, Map.of("decoder_divisor", "2"), Map.of("width", "8")),
                List.of(ada),
                curves,
                timing,
                cost,
                new DemoReport.Networks(0.875, 0.99, 0.5),
                List.of("ada-contour: federation did not beat local-only on FSD (11.000 vs 10.000)."));
    }

    @Test
    void reportJsonHasTheDocumentedSchema() throws Exception {
        DemoLayout layout = new DemoLayout(tmp.resolve("demo"));
        ReportWriter.write(report(layout.root()), layout);
        JsonNode j = new ObjectMapper().readTree(layout.reportJson().toFile());

        assertThat(j.get("format").asText()).isEqualTo("atelier-demo-report/1");
        assertThat(names(j))
                .containsExactly(
                        "format",
                        "designers",
                        "regimes",
                        "timing",
                        "generation_ms",
                        "params",
                        "macs",
                        "networks",
                        "curves",
                        "notes",
                        "config");
        assertThat(j.get("regimes").toString()).isEqualTo("[\"local_only\",\"federated\",\"centralized\",\"student\"]");
        JsonNode d = j.get("designers").get(0);
        assertThat(names(d)).containsExactly("name", "style", "train_pairs", "seen_categories", "metrics");
        assertThat(d.get("train_pairs").asInt()).isEqualTo(120);
        assertThat(names(d.get("metrics"))).containsExactly("local_only", "federated", "centralized", "student");
        assertThat(names(d.at("/metrics/student"))).containsExactly("fsd", "kid", "ssim", "l1", "style_acc", "fusion");
        assertThat(d.at("/metrics/centralized/fsd").asDouble()).isEqualTo(12.0);
        assertThat(d.at("/metrics/student/style_acc").asDouble()).isEqualTo(0.75);
        assertThat(j.at("/generation_ms/teacher").asDouble()).isEqualTo(3.5);
        assertThat(j.at("/generation_ms/student").asDouble()).isEqualTo(3.75);
        assertThat(j.at("/params/teacher").asLong()).isEqualTo(1020);
        assertThat(j.at("/params/student").asLong()).isEqualTo(120);
        assertThat(j.at("/params/encoder").asLong()).isEqualTo(5000);
        assertThat(j.at("/macs/teacher").asLong()).isEqualTo(100_000);
        assertThat(j.at("/macs/student").asLong()).isEqualTo(40_000);
        assertThat(names(j.get("networks")))
                .containsExactly(
                        "public_feature_net_accuracy", "evaluator_style_accuracy", "evaluator_garment_accuracy");
        assertThat(j.at("/timing/total_s").asDouble()).isEqualTo(9.5);
        assertThat(j.at("/curves/federated/1/d_loss").asDouble()).isEqualTo(1.25);
        assertThat(j.get("notes")).hasSize(1);
        assertThat(j.at("/config/held_out_garments").asInt()).isEqualTo(30);
        assertThat(j.at("/config/gan/decoder_divisor").asText()).isEqualTo("2");
    }

    @Test
    void settingsStayOneFlatObjectWithTheEarlierKeys() throws Exception {
        Map<String, Object> s = ReportJson.settings(report(tmp).config().settings());
        assertThat(s.keySet())
                .containsExactly(
                        "out",
                        "quick",
                        "seed",
                        "dataDir",
                        "designersFile",
                        "cacheDir",
                        "warmupSteps",
                        "rounds",
                        "localSteps",
                        "publicNetSteps",
                        "evaluatorSteps",
                        "distillSteps",
                        "perCategory",
                        "gridColumns",
                        "latencyWarmup",
                        "latencyRuns",
                        "batchSize",
                        "adversarialWeight",
                        "proximalMu",
                        "criticMix",
                        "blend");
        assertThat(s.get("quick")).isEqualTo(true);
        assertThat(s.get("rounds")).isEqualTo(DemoPreset.QUICK.schedule().rounds());
        assertThat(s.get("dataDir")).isNull();
        assertThat((String) s.get("cacheDir")).startsWith("file:").endsWith("/cache");
    }

    @Test
    void htmlShowsEveryRegimeAndTheGrid() throws Exception {
        DemoLayout layout = new DemoLayout(tmp);
        ReportWriter.write(report(tmp), layout);
        String html = Files.readString(layout.reportHtml());
        assertThat(html).contains("ada-contour").contains("<th>student</th>").contains("<th>centralized</th>");
        // one grid row per label: input, reference and the four regimes, one garment each
        assertThat(html.split("<img ", -1)).hasSize(1 + 6);
        assertThat(html).contains("<td class=best>10.0000</td>"); // lowest FSD is local_only's
    }

    @Test
    void summaryTableListsStyleAccuracyAndFsdPerTeacherRegime() {
        String summary = ReportHtml.summary(report(tmp));
        // style_acc local/federated/centralized = 0, 0.25, 0.5; FSD = 10, 11, 12; student not listed
        assertThat(summary)
                .contains("<td class=l>ada-contour</td><td class=l>contour</td><td>120</td>"
                        + "<td>0.0000</td><td>0.2500</td><td>0.5000</td>"
                        + "<td>10.0000</td><td>11.0000</td><td>12.0000</td><td>+10.0 %</td></tr>")
                .doesNotContain("student");
        assertThat(ReportHtml.percent(20.0, 15.0)).isEqualTo("-25.0 %");
        assertThat(ReportHtml.percent(null, 15.0)).isEqualTo("–");
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
