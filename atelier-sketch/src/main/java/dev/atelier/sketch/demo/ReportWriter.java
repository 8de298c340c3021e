package dev.atelier.sketch.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code report.json} and a self-contained {@code report.html} (images inlined as PNG data
 * URIs, curves as inline SVG) for a {@link DemoReport}.
 */
public final class ReportWriter {
    static final List<String> METRICS = List.of("fsd", "kid", "ssim", "l1", "style_acc", "fusion");
    private static final Map<String, String> LOWER_IS_BETTER =
            Map.of("fsd", "↓", "kid", "↓", "l1", "↓", "ssim", "↑", "style_acc", "↑", "fusion", "");

    private ReportWriter() {}

    public static void write(DemoReport r, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path tmp = outDir.resolve("report.json.partial");
        json.writeValue(tmp.toFile(), toJson(r));
        Files.move(tmp, outDir.resolve("report.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(outDir.resolve("report.html"), html(r), StandardCharsets.UTF_8);
    }

    /** The report.json tree (snake_case keys, documented in docs/demo.md). */
    static Map<String, Object> toJson(DemoReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "atelier-demo-report/1");
        root.put(
                "designers",
                r.designers().stream()
                        .map(d -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("name", d.name());
                            m.put("style", d.style());
                            m.put("train_pairs", d.trainPairs());
                            m.put("seen_categories", d.seenCategories());
                            m.put("metrics", d.metrics());
                            return m;
                        })
                        .toList());
        root.put("regimes", r.regimes());
        root.put("timing", r.timing());
        root.put("generation_ms", r.generationMs());
        root.put("params", r.params());
        root.put("macs", r.macs());
        root.put("networks", r.networks());
        root.put("curves", r.curves());
        root.put("notes", r.notes());
        root.put("config", r.config());
        return root;
    }

    static String html(DemoReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html lang=en><meta charset=utf-8><title>Atelier FedGAI demo report</title><style>")
                .append(
                        "body{font-family:system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}")
                .append(
                        "td,th{border:1px solid #ccc;padding:3px 6px;font-size:13px;text-align:right}th{background:#f3f3f3}")
                .append(
                        "td.l,th.l{text-align:left}.best{font-weight:bold;background:#e6f4e6}img{image-rendering:pixelated;display:block}")
                .append(
                        ".grid td{padding:1px;border:none}.grid th{font-size:11px;border:none;background:none}.note{color:#844}")
                .append("h2{margin-top:32px}svg{background:#fafafa;border:1px solid #ddd;margin:4px}</style>");
        h.append("<h1>Atelier — FedGAI sketch-style federation</h1>");
        h.append(
                        "<p>Each designer trains an image→sketch GAN on their own data; only the discriminator (style critic, ")
                .append(
                        "BatchNorm excluded) is federated. Regimes: <b>local only</b> (no federation), <b>federated</b> (FedGAI), ")
                .append(
                        "<b>centralized D</b> (discriminator trained on all designers' sketches pooled — violates privacy, ")
                .append(
                        "shown only as an upper bound), <b>student</b> (depthwise-separable decoder distilled from the federated teacher). ")
                .append(
                        "Scores are on held-out test garments of all 10 categories against each designer's reference rendering.</p>");
        for (String n : r.notes()) {
            h.append("<p class=note>").append(esc(n)).append("</p>");
        }
        h.append("<h2>Metrics per designer</h2>");
        for (String metric : METRICS) {
            h.append("<h3>")
                    .append(metric)
                    .append(' ')
                    .append(LOWER_IS_BETTER.get(metric))
                    .append("</h3><table><tr><th class=l>designer</th><th class=l>style</th><th>pairs</th>");
            r.regimes().forEach(g -> h.append("<th>").append(g).append("</th>"));
            h.append("</tr>");
            for (var d : r.designers()) {
                h.append("<tr><td class=l>")
                        .append(esc(d.name()))
                        .append("</td><td class=l>")
                        .append(esc(d.style()))
                        .append("</td><td>")
                        .append(d.trainPairs())
                        .append("</td>");
                String best = bestRegime(d, metric, r.regimes());
                for (String g : r.regimes()) {
                    Double v = d.metrics().getOrDefault(g, Map.of()).get(metric);
                    h.append(g.equals(best) ? "<td class=best>" : "<td>")
                            .append(v == null ? "–" : fmt(v))
                            .append("</td>");
                }
                h.append("</tr>");
            }
            h.append("<tr><th class=l colspan=3>mean</th>");
            for (String g : r.regimes()) {
                h.append("<th>").append(fmt(mean(r.designers(), g, metric))).append("</th>");
            }
            h.append("</tr></table>");
        }
        h.append(
                "<h2>Held-out garments</h2><p>Rows per designer: input garment, the designer's reference sketch, and each regime's sketch.</p>");
        for (var e : r.grid().entrySet()) {
            h.append("<h3>").append(esc(e.getKey())).append("</h3><table class=grid>");
            List<DemoReport.Example> ex = e.getValue();
            if (ex.isEmpty()) {
                continue;
            }
            h.append("<tr><th></th>");
            ex.forEach(x -> h.append("<th>").append(esc(x.category())).append("</th>"));
            h.append("</tr>");
            for (String row : ex.get(0).images().keySet()) {
                h.append("<tr><th>").append(esc(row)).append("</th>");
                for (var x : ex) {
                    float[] px = x.images().get(row);
                    h.append("<td>")
                            .append(
                                    px == null
                                            ? ""
                                            : "<img width=64 height=64 alt='" + esc(row) + "' src='"
                                                    + Png.dataUri(px, 2) + "'>")
                            .append("</td>");
                }
                h.append("</tr>");
            }
            h.append("</table>");
        }
        h.append("<h2>Training curves</h2>");
        for (var c : r.curves().entrySet()) {
            h.append(curves(c.getKey(), c.getValue()));
        }
        h.append("<h2>Cost</h2><table><tr><th class=l></th><th>teacher</th><th>student</th></tr>");
        h.append("<tr><td class=l>generator parameters</td><td>")
                .append(r.params().get("teacher"))
                .append("</td><td>")
                .append(r.params().get("student"))
                .append("</td></tr>");
        h.append("<tr><td class=l>MACs per sketch</td><td>")
                .append(r.macs().get("teacher"))
                .append("</td><td>")
                .append(r.macs().get("student"))
                .append("</td></tr>");
        h.append("<tr><td class=l>CPU ms per sketch (batch 1)</td><td>")
                .append(fmt(r.generationMs().getOrDefault("teacher", Double.NaN)))
                .append("</td><td>")
                .append(fmt(r.generationMs().getOrDefault("student", Double.NaN)))
                .append("</td></tr></table>");
        h.append("<h2>Networks and timing</h2><table>");
        r.networks()
                .forEach((k, v) -> h.append("<tr><td class=l>")
                        .append(esc(k))
                        .append("</td><td>")
                        .append(fmt(v))
                        .append("</td></tr>"));
        r.timing()
                .forEach((k, v) -> h.append("<tr><td class=l>")
                        .append(esc(k))
                        .append(" (s)</td><td>")
                        .append(fmt(v))
                        .append("</td></tr>"));
        h.append("</table></html>\n");
        return h.toString();
    }

    static String bestRegime(DemoReport.Designer d, String metric, List<String> regimes) {
        if (metric.equals("fusion")) {
            return null;
        }
        boolean lower = LOWER_IS_BETTER.get(metric).equals("↓");
        String best = null;
        double bv = lower ? Double.MAX_VALUE : -Double.MAX_VALUE;
        for (String g : regimes) {
            Double v = d.metrics().getOrDefault(g, Map.of()).get(metric);
            if (v != null && !v.isNaN() && (lower ? v < bv : v > bv)) {
                bv = v;
                best = g;
            }
        }
        return best;
    }

    static double mean(List<DemoReport.Designer> ds, String regime, String metric) {
        return ds.stream()
                .map(d -> d.metrics().getOrDefault(regime, Map.of()).get(metric))
                .filter(v -> v != null && !v.isNaN())
                .mapToDouble(Double::doubleValue)
                .average()
                .orElse(Double.NaN);
    }

    /** One small SVG line chart per metric of a regime's per-round curve. */
    static String curves(String regime, List<Map<String, Double>> rounds) {
        if (rounds.isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder("<h3>" + esc(regime) + "</h3>");
        for (String metric : rounds.get(0).keySet()) {
            double[] v = rounds.stream()
                    .mapToDouble(m -> m.getOrDefault(metric, Double.NaN))
                    .toArray();
            double min =
                    java.util.Arrays.stream(v).filter(Double::isFinite).min().orElse(0);
            double max =
                    java.util.Arrays.stream(v).filter(Double::isFinite).max().orElse(1);
            double span = max - min < 1e-12 ? 1 : max - min;
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                if (Double.isFinite(v[i])) {
                    double x = 30 + (v.length == 1 ? 0 : 190.0 * i / (v.length - 1));
                    double y = 100 - 80 * (v[i] - min) / span;
                    pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<svg width=230 height=120><text x=4 y=12 font-size=11>%s</text>"
                            + "<text x=4 y=24 font-size=9>%s</text><text x=4 y=110 font-size=9>%s</text>"
                            + "<polyline fill=none stroke=#36c stroke-width=1.5 points='%s'/><text x=180 y=118 font-size=9>round %d</text></svg>",
                    esc(metric),
                    fmt(max),
                    fmt(min),
                    pts,
                    v.length));
        }
        return s.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v != 0)
                ? String.format(Locale.ROOT, "%.3g", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("'", "&#39;")
                .replace("\"", "&quot;");
    }
}
