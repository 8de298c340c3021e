package dev.atelier.sketch.demo;

import dev.atelier.sketch.eval.SketchMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html} of a {@link DemoReport}: one self-contained page (images inlined as PNG data
 * URIs, curves as inline SVG) with the metric tables, the picture grid, curves, cost and timing.
 */
final class ReportHtml {
    /** Metric names as in {@link SketchMetrics#toMap()}, in table order. */
    static final List<String> METRICS = List.of("fsd", "kid", "ssim", "l1", "style_acc", "fusion");

    private static final Map<String, String> LOWER_IS_BETTER =
            Map.of("fsd", "↓", "kid", "↓", "l1", "↓", "ssim", "↑", "style_acc", "↑", "fusion", "");
    private static final List<DemoRegime> REGIMES = List.of(DemoRegime.values());

    private ReportHtml() {}

    static String render(DemoReport r) {
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
        h.append(summary(r));
        h.append("<h2>Metrics per designer</h2>");
        for (String metric : METRICS) {
            h.append("<h3>")
                    .append(metric)
                    .append(' ')
                    .append(LOWER_IS_BETTER.get(metric))
                    .append("</h3><table><tr><th class=l>designer</th><th class=l>style</th><th>pairs</th>");
            REGIMES.forEach(g -> h.append("<th>").append(g.key()).append("</th>"));
            h.append("</tr>");
            for (var d : r.designers()) {
                h.append("<tr><td class=l>")
                        .append(esc(d.name()))
                        .append("</td><td class=l>")
                        .append(esc(d.style()))
                        .append("</td><td>")
                        .append(d.trainPairs())
                        .append("</td>");
                DemoRegime best = bestRegime(d, metric);
                for (DemoRegime g : REGIMES) {
                    Double v = value(d, g, metric);
                    h.append(g == best ? "<td class=best>" : "<td>")
                            .append(v == null ? "–" : fmt(v))
                            .append("</td>");
                }
                h.append("</tr>");
            }
            h.append("<tr><th class=l colspan=3>mean</th>");
            for (DemoRegime g : REGIMES) {
                h.append("<th>").append(fmt(mean(r.designers(), g, metric))).append("</th>");
            }
            h.append("</tr></table>");
        }
        h.append(
                "<h2>Held-out garments</h2><p>Rows per designer: input garment, the designer's reference sketch, and each regime's sketch.</p>");
        for (DemoReport.DesignerResult d : r.designers()) {
            h.append("<h3>").append(esc(d.name())).append("</h3><table class=grid>");
            List<DemoReport.Example> ex = d.examples();
            if (ex.isEmpty()) {
                h.append("</table>");
                continue;
            }
            h.append("<tr><th></th>");
            ex.forEach(x -> h.append("<th>").append(esc(x.category())).append("</th>"));
            h.append("</tr>");
            for (String row : rows()) {
                h.append("<tr><th>").append(esc(row)).append("</th>");
                for (var x : ex) {
                    float[] px = image(x, row);
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
        r.curves().forEach((regime, c) -> h.append(curves(regime.key(), c)));
        h.append("<h2>Cost</h2><table><tr><th class=l></th><th>teacher</th><th>student</th></tr>");
        DemoReport.Cost cost = r.cost();
        h.append("<tr><td class=l>generator parameters</td><td>")
                .append(cost.teacher().params())
                .append("</td><td>")
                .append(cost.student().params())
                .append("</td></tr>");
        h.append("<tr><td class=l>MACs per sketch</td><td>")
                .append(cost.teacher().macs())
                .append("</td><td>")
                .append(cost.student().macs())
                .append("</td></tr>");
        h.append("<tr><td class=l>CPU ms per sketch (batch 1)</td><td>")
                .append(fmt(cost.latency().teacherMs()))
                .append("</td><td>")
                .append(fmt(cost.latency().studentMs()))
                .append("</td></tr></table>");
        h.append("<h2>Networks and timing</h2><table>");
        row(h, "public feature network accuracy", r.networks().publicFeatureNet());
        row(h, "evaluator style accuracy", r.networks().evaluatorStyle());
        row(h, "evaluator garment accuracy", r.networks().evaluatorGarment());
        r.timing()
                .forEach((k, v) -> h.append("<tr><td class=l>")
                        .append(esc(k))
                        .append(" (s)</td><td>")
                        .append(fmt(v))
                        .append("</td></tr>"));
        h.append("</table></html>\n");
        return h.toString();
    }

    /** The teacher regimes the summary compares, in column order. */
    private static final List<DemoRegime> TEACHERS =
            List.of(DemoRegime.LOCAL_ONLY, DemoRegime.FEDERATED, DemoRegime.CENTRALIZED);

    /**
     * The per-designer summary: style accuracy and FSD under local only, federated and centralized
     * D, and the change of FSD from local only to federated in percent (negative = federation
     * helped). One row per designer plus the mean.
     */
    static String summary(DemoReport r) {
        StringBuilder h = new StringBuilder("<h2>Summary per designer</h2><table><tr><th class=l>designer</th>"
                + "<th class=l>style</th><th>pairs</th>");
        for (String metric : List.of("style_acc", "fsd")) {
            TEACHERS.forEach(g -> h.append("<th>")
                    .append(metric)
                    .append(' ')
                    .append(LOWER_IS_BETTER.get(metric))
                    .append("<br>")
                    .append(g.key())
                    .append("</th>"));
        }
        h.append("<th>FSD federated vs local</th></tr>");
        for (var d : r.designers()) {
            h.append("<tr><td class=l>")
                    .append(esc(d.name()))
                    .append("</td><td class=l>")
                    .append(esc(d.style()))
                    .append("</td><td>")
                    .append(d.trainPairs())
                    .append("</td>");
            for (String metric : List.of("style_acc", "fsd")) {
                for (DemoRegime g : TEACHERS) {
                    Double v = value(d, g, metric);
                    h.append("<td>").append(v == null ? "–" : fmt(v)).append("</td>");
                }
            }
            Double local = value(d, DemoRegime.LOCAL_ONLY, "fsd");
            Double fed = value(d, DemoRegime.FEDERATED, "fsd");
            h.append("<td>").append(percent(local, fed)).append("</td></tr>");
        }
        h.append("<tr><th class=l colspan=3>mean</th>");
        for (String metric : List.of("style_acc", "fsd")) {
            TEACHERS.forEach(g ->
                    h.append("<th>").append(fmt(mean(r.designers(), g, metric))).append("</th>"));
        }
        h.append("<th>")
                .append(percent(
                        mean(r.designers(), DemoRegime.LOCAL_ONLY, "fsd"),
                        mean(r.designers(), DemoRegime.FEDERATED, "fsd")))
                .append("</th></tr></table>");
        return h.toString();
    }

    /** {@code 100·(after − before)/before} with a sign, or "–" when either is missing. */
    static String percent(Double before, Double after) {
        if (before == null || after == null || before.isNaN() || after.isNaN() || before == 0) {
            return "–";
        }
        return String.format(Locale.ROOT, "%+.1f %%", 100 * (after - before) / before);
    }

    static DemoRegime bestRegime(DemoReport.DesignerResult d, String metric) {
        if (metric.equals("fusion")) {
            return null;
        }
        boolean lower = LOWER_IS_BETTER.get(metric).equals("↓");
        DemoRegime best = null;
        double bv = lower ? Double.MAX_VALUE : -Double.MAX_VALUE;
        for (DemoRegime g : REGIMES) {
            Double v = value(d, g, metric);
            if (v != null && !v.isNaN() && (lower ? v < bv : v > bv)) {
                bv = v;
                best = g;
            }
        }
        return best;
    }

    static double mean(List<DemoReport.DesignerResult> ds, DemoRegime regime, String metric) {
        return ds.stream()
                .map(d -> value(d, regime, metric))
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

    /** A designer's score of a regime by report name, or null when not scored. */
    private static Double value(DemoReport.DesignerResult d, DemoRegime regime, String metric) {
        SketchMetrics m = d.metrics(regime);
        return m == null ? null : m.toMap().get(metric);
    }

    /** Grid row labels: the input, the reference, then every regime. */
    private static List<String> rows() {
        List<String> rows = new ArrayList<>(List.of("input", "reference"));
        REGIMES.forEach(g -> rows.add(g.key()));
        return rows;
    }

    private static float[] image(DemoReport.Example x, String row) {
        return switch (row) {
            case "input" -> x.input();
            case "reference" -> x.reference();
            default -> x.sketches().get(DemoRegime.ofKey(row));
        };
    }

    private static void row(StringBuilder h, String label, double v) {
        h.append("<tr><td class=l>")
                .append(esc(label))
                .append("</td><td>")
                .append(fmt(v))
                .append("</td></tr>");
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
