package dev.atelier.zo.zorba;

import dev.atelier.zo.alloc.Allocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code report.json} ({@link DemoResult#toJson}) and a self-contained {@code report.html}
 * (inline SVG, no script, no external resources): accuracy with its 95% interval and loss per
 * round for each method, per-store peak memory predicted and measured against the budget, bytes
 * up and down per store per round, and each ZorBA row's allocation as a store × block picture.
 * Stateless.
 */
public final class DemoReport {
    private static final String[] COLOURS = {"#1b6ca8", "#d1495b", "#2a9d8f", "#e9a03b"};

    private DemoReport() {}

    public static void write(DemoResult r, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), r.toJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html(r), StandardCharsets.UTF_8);
    }

    static String html(DemoResult r) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>ZorBA demo</title><style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;")
                .append("margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td.l,th.l{text-align:left}.x{color:#999}</style></head><body>");
        h.append("<h1>ZorBA: heterogeneous block activation under memory budgets</h1>");
        h.append(String.format(
                Locale.ROOT,
                "<p>Model %s: %,d parameters, %d blocks. Task: %d train / %d test items. Wall time %.0f s.</p>",
                esc(r.model()),
                r.parameters(),
                r.blocks(),
                r.trainItems(),
                r.testItems(),
                r.wallSeconds()));
        h.append("<h2>Summary</h2><p>Accuracy: ")
                .append(ZorbaDemo.SCORER.name().toLowerCase(Locale.ROOT))
                .append(" argmax over the label words (issue 11's pass scorer, fixed on validation). Against")
                .append(" zero-shot: paired difference on the same test items [95%], McNemar's exact p, and")
                .append(" whether the two 95% intervals are separated.</p>")
                .append("<table><tr><th class=l>method</th><th>stores</th><th>test accuracy [95% CI]</th>")
                .append("<th>vs zero-shot</th>")
                .append(
                        "<th>test loss</th><th>max client peak MiB (measured)</th><th>max upload B / store / round</th>")
                .append("<th>s / round</th></tr>");
        for (DemoResult.Method m : r.methods()) {
            DemoResult.Point p = m.last();
            h.append(String.format(
                    Locale.ROOT,
                    "<tr><td class=l>%s</td><td>%d / %d</td><td>%.3f [%.3f, %.3f]</td><td>%s</td><td>%.4f</td>"
                            + "<td>%s</td><td>%,d (%s)</td><td>%.1f</td></tr>",
                    esc(m.name()),
                    m.included(),
                    m.clients().size(),
                    p.accuracy(),
                    p.low(),
                    p.high(),
                    versus(m.vsZeroShot()),
                    p.loss(),
                    m.maxMeasuredPeak() < 0
                            ? "–"
                            : String.format(Locale.ROOT, "%.1f", ZorbaDemo.mib(m.maxMeasuredPeak())),
                    m.maxUpload(),
                    m.bytesSource(),
                    m.secondsPerRound()));
        }
        h.append("</table>");
        h.append("<h2>Test accuracy per round (95% interval shaded)</h2>").append(chart(r.methods(), true));
        h.append("<h2>Test loss per round</h2>").append(chart(r.methods(), false));
        h.append("<h2>Per-store peak memory against budget</h2>");
        h.append("<p>Measured: the memory protocol (child JVM, VmHWM above the idle engine without its eden)."
                + " Predicted: the client memory model (docs/zo.md). ZorBA clients hold only their active"
                + " blocks.</p>");
        for (DemoResult.Method m : r.methods()) {
            h.append("<h3>").append(esc(m.name())).append("</h3>").append(memory(m));
        }
        h.append("<h2>Bytes per store per round (up / down)</h2>");
        for (DemoResult.Method m : r.methods()) {
            h.append("<h3>")
                    .append(esc(m.name()))
                    .append(" (")
                    .append(m.bytesSource())
                    .append(")</h3>");
            h.append(bytes(m));
        }
        h.append("<h2>Allocation: store × block</h2>");
        for (DemoResult.Method m : r.methods()) {
            if (m.allocation() != null) {
                h.append("<h3>").append(esc(m.name())).append("</h3>").append(allocation(m.allocation()));
            }
        }
        return h.append("</body></html>\n").toString();
    }

    private static String versus(DemoResult.VsZeroShot v) {
        if (v == null) {
            return "–";
        }
        var p = v.paired();
        return String.format(
                Locale.ROOT,
                "%+.3f [%+.3f, %+.3f], p = %.2g%s",
                p.difference(),
                p.diffLow(),
                p.diffHigh(),
                p.pValue(),
                v.separated() ? ", separated" : "");
    }

    /** Accuracy (with interval band) or loss against round, one polyline per method. */
    static String chart(List<DemoResult.Method> methods, boolean accuracy) {
        int w = 640;
        int hgt = 260;
        int pad = 40;
        int rounds = methods.stream().mapToInt(m -> m.points().size()).max().orElse(1) - 1;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (DemoResult.Method m : methods) {
            for (DemoResult.Point p : m.points()) {
                lo = Math.min(lo, accuracy ? p.low() : p.loss());
                hi = Math.max(hi, accuracy ? p.high() : p.loss());
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT, "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">", w + 220, hgt));
        s.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                pad,
                hgt - pad,
                w,
                hgt - pad,
                pad,
                10,
                pad,
                hgt - pad));
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"2\" y=\"16\" font-size=\"11\">%.3f</text><text x=\"2\" y=\"%d\" font-size=\"11\">%.3f</text>",
                hi,
                hgt - pad,
                lo));
        for (int r = 0; r <= rounds; r++) {
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%d</text>",
                    x(r, rounds, pad, w),
                    hgt - pad + 14,
                    r));
        }
        for (int i = 0; i < methods.size(); i++) {
            DemoResult.Method m = methods.get(i);
            String c = COLOURS[i % COLOURS.length];
            StringBuilder line = new StringBuilder();
            StringBuilder band = new StringBuilder();
            List<DemoResult.Point> ps = m.points();
            for (DemoResult.Point p : ps) {
                line.append(String.format(
                        Locale.ROOT,
                        "%.1f,%.1f ",
                        x(p.round(), rounds, pad, w),
                        y(accuracy ? p.accuracy() : p.loss(), lo, hi, hgt, pad)));
                band.append(String.format(
                        Locale.ROOT, "%.1f,%.1f ", x(p.round(), rounds, pad, w), y(p.high(), lo, hi, hgt, pad)));
            }
            if (accuracy) {
                for (int j = ps.size() - 1; j >= 0; j--) {
                    band.append(String.format(
                            Locale.ROOT,
                            "%.1f,%.1f ",
                            x(ps.get(j).round(), rounds, pad, w),
                            y(ps.get(j).low(), lo, hi, hgt, pad)));
                }
                s.append("<polygon points=\"")
                        .append(band)
                        .append("\" fill=\"")
                        .append(c)
                        .append("\" fill-opacity=\"0.12\"/>");
            }
            s.append("<polyline points=\"")
                    .append(line)
                    .append("\" fill=\"none\" stroke-width=\"2\" stroke=\"")
                    .append(c)
                    .append("\"/>");
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
                    w + 10,
                    20 + 18 * i,
                    c,
                    w + 26,
                    31 + 18 * i,
                    esc(m.name())));
        }
        return s.append("</svg>").toString();
    }

    private static double x(int round, int rounds, int pad, int w) {
        return pad + (w - pad) * (rounds == 0 ? 0 : (double) round / rounds);
    }

    private static double y(double v, double lo, double hi, int hgt, int pad) {
        return 10 + (hgt - pad - 10) * (1 - (v - lo) / (hi - lo));
    }

    /** Horizontal bars per store: budget (outline), predicted and measured peak. */
    static String memory(DemoResult.Method m) {
        long max = 1;
        for (DemoResult.Client c : m.clients()) {
            max = Math.max(max, Math.max(c.budgetBytes(), Math.max(c.predictedPeak(), c.measuredPeak())));
        }
        int w = 520;
        int row = 34;
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                w + 420,
                row * m.clients().size() + 24));
        s.append("<text x=\"0\" y=\"12\" font-size=\"11\">outline: budget; blue: predicted; dark: measured</text>");
        for (int i = 0; i < m.clients().size(); i++) {
            DemoResult.Client c = m.clients().get(i);
            int y0 = 20 + row * i;
            s.append(String.format(
                    Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>", y0 + 16, esc(c.store())));
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"70\" y=\"%d\" width=\"%.1f\" height=\"26\" fill=\"none\" stroke=\"#333\"/>",
                    y0,
                    (double) w * c.budgetBytes() / max));
            if (c.predictedPeak() >= 0) {
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"70\" y=\"%d\" width=\"%.1f\" height=\"11\" fill=\"#7fb3d5\"/>",
                        y0 + 2,
                        (double) w * c.predictedPeak() / max));
            }
            if (c.measuredPeak() >= 0) {
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"70\" y=\"%d\" width=\"%.1f\" height=\"11\" fill=\"#1b4f72\"/>",
                        y0 + 13,
                        (double) w * c.measuredPeak() / max));
            }
            String label = c.excluded() != null
                    ? "left out: " + c.excluded()
                    : String.format(
                            Locale.ROOT,
                            "budget %.1f, predicted %s, measured %s MiB",
                            ZorbaDemo.mib(c.budgetBytes()),
                            c.predictedPeak() < 0
                                    ? "–"
                                    : String.format(Locale.ROOT, "%.1f", ZorbaDemo.mib(c.predictedPeak())),
                            c.measuredPeak() < 0
                                    ? "–"
                                    : String.format(Locale.ROOT, "%.1f", ZorbaDemo.mib(c.measuredPeak())));
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"11\"%s>%s</text>",
                    w + 80,
                    y0 + 16,
                    c.excluded() != null ? " fill=\"#b03a2e\"" : "",
                    esc(label)));
        }
        return s.append("</svg>").toString();
    }

    static String bytes(DemoResult.Method m) {
        int rounds = m.clients().isEmpty() ? 0 : m.clients().get(0).upBytes().length;
        StringBuilder s = new StringBuilder("<table><tr><th class=l>store</th>");
        for (int r = 1; r <= rounds; r++) {
            s.append("<th>round ").append(r).append("</th>");
        }
        s.append("</tr>");
        for (DemoResult.Client c : m.clients()) {
            s.append("<tr><td class=l>").append(esc(c.store())).append("</td>");
            for (int r = 0; r < rounds; r++) {
                s.append(
                        c.excluded() != null
                                ? "<td class=x>–</td>"
                                : String.format(Locale.ROOT, "<td>%,d / %,d</td>", c.upBytes()[r], c.downBytes()[r]));
            }
            s.append("</tr>");
        }
        return s.append("</table>").toString();
    }

    /** Store × block grid: filled where the store activates the block, a red row where it is left out. */
    static String allocation(Allocation a) {
        int cell = 26;
        List<Allocation.Assignment> as = a.assigned();
        int rows = as.size() + a.excluded().size();
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT,
                "<svg width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
                90 + cell * a.blocks() + 360,
                24 + cell * rows));
        for (int b = 0; b < a.blocks(); b++) {
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"14\" font-size=\"11\" text-anchor=\"middle\">b%d</text>",
                    90 + cell * b + cell / 2,
                    b));
        }
        for (int i = 0; i < as.size(); i++) {
            Allocation.Assignment x = as.get(i);
            int y0 = 20 + cell * i;
            s.append(String.format(
                    Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"12\">%s</text>", y0 + 17, esc(x.client())));
            for (int b = 0; b < a.blocks(); b++) {
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#fff\"/>",
                        90 + cell * b,
                        y0,
                        cell,
                        cell,
                        x.blocks().contains(b) ? "#1b6ca8" : "#e6e6e6"));
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" font-size=\"11\">%d examples, %.1f of %.1f MiB</text>",
                    100 + cell * a.blocks(),
                    y0 + 17,
                    x.examples(),
                    ZorbaDemo.mib(x.memoryBytes()),
                    ZorbaDemo.mib(x.budgetBytes())));
        }
        for (int i = 0; i < a.excluded().size(); i++) {
            Allocation.Exclusion e = a.excluded().get(i);
            int y0 = 20 + cell * (as.size() + i);
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"0\" y=\"%d\" font-size=\"12\" fill=\"#b03a2e\">%s</text>"
                            + "<text x=\"90\" y=\"%d\" font-size=\"11\" fill=\"#b03a2e\">left out: %s</text>",
                    y0 + 17,
                    esc(e.client()),
                    y0 + 17,
                    esc(e.reason())));
        }
        s.append("</svg>");
        s.append(String.format(
                Locale.ROOT,
                "<p>Convergence proxy %,d (best %,d), total modelled memory %.1f MiB, coverage floor %.2f, ε %.2f,"
                        + " %s.</p>",
                a.proxy(),
                a.bestProxy(),
                ZorbaDemo.mib(a.totalMemory()),
                a.coverageFloor(),
                a.epsilon(),
                a.lexicographic() ? "both stages" : "first stage only"));
        return s.toString();
    }

    static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
