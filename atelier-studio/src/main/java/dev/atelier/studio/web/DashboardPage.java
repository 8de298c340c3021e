package dev.atelier.studio.web;

import static dev.atelier.studio.web.Html.esc;

import io.javalin.Javalin;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Dashboard: the seed KPIs ({@link Kpis}) with small inline SVG charts (no script, no CDN), and
 * the IP-incident count with where it comes from.
 */
public final class DashboardPage {
    private final Context cx;

    public DashboardPage(Context cx) {
        this.cx = cx;
    }

    public void register(Javalin app) {
        app.get("/dashboard", ctx -> {
            List<Double> shown = cx.store().shownMillis();
            Kpis k = Kpis.of(shown, cx.store().allSketches());
            // her node's own ledger: bytes of tensors that are neither critic nor style card
            long leaked =
                    LedgerView.rounds(dev.atelier.transport.node.OutboundLedger.read(
                                    cx.node().ledgerDir(), 20_000))
                            .stream()
                            .mapToLong(LedgerView.Round::images)
                            .sum();
            StringBuilder b = new StringBuilder("<div class=\"kpis\">");
            b.append(kpi(
                            "time-to-sketch, median",
                            ms(k.medianMs()),
                            "upload → sketch shown, " + k.measured() + " measured"))
                    .append(kpi("time-to-sketch, p95", ms(k.p95Ms()), "goal: median ≤ 1 s, p95 ≤ 2 s"))
                    .append(kpi("sketches generated", Integer.toString(k.generated()), k.kept() + " kept"))
                    .append(kpi(
                            "keep rate",
                            Double.isNaN(k.keepRate()) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * k.keepRate()),
                            k.decided() + " kept or discarded"))
                    .append(kpi(
                            "IP incidents",
                            leaked == 0 ? "0" : LedgerView.bytes(leaked),
                            "raw image or sketch bytes that left this machine"))
                    .append("</div>");
            b.append("<h2>Per day</h2>").append(chart(k.perDay()));
            b.append("<h2>Time-to-sketch, last ")
                    .append(Math.min(50, shown.size()))
                    .append(" (ms)</h2>")
                    .append(timings(shown.subList(Math.max(0, shown.size() - 50), shown.size())));
            b.append("<h2>Where the IP count comes from</h2><p>The studio itself opens no connection to any other"
                            + " machine: it serves pages on ")
                    .append(esc(cx.settings().bind()))
                    .append(" and keeps images, sketches and models under ")
                    .append(esc(cx.settings().home()))
                    .append(". Its own outbound traffic is therefore zero bytes of any kind. Her federation node"
                            + " keeps a ledger of every message it sends; the count above adds the bytes of any"
                            + " tensor in it that is neither critic nor style card (per round on"
                            + " <a href=\"/federation\">Federation</a>).</p>");
            ctx.html(Html.page("Dashboard", "/dashboard", Security.session(ctx).csrf(), b.toString()));
        });
    }

    private static String kpi(String label, String value, String note) {
        return "<div class=\"kpi\"><div class=\"label\">" + esc(label) + "</div><div class=\"value\">" + esc(value)
                + "</div><div class=\"note\">" + esc(note) + "</div></div>";
    }

    static String ms(double v) {
        return Double.isNaN(v)
                ? "–"
                : v >= 1000 ? String.format(Locale.ROOT, "%.2f s", v / 1000) : Math.round(v) + " ms";
    }

    /** Bars of generated (light) and kept (dark) per day. */
    private static String chart(Map<LocalDate, int[]> days) {
        if (days.isEmpty()) {
            return "<p>No sketches yet.</p>";
        }
        int max = days.values().stream().mapToInt(d -> d[0]).max().orElse(1);
        int w = 36;
        StringBuilder s = new StringBuilder("<svg class=\"chart\" width=\"" + (days.size() * w + 10)
                + "\" height=\"140\"" + " role=\"img\" aria-label=\"sketches generated and kept per day\">");
        int x = 5;
        for (var e : days.entrySet()) {
            int g = e.getValue()[0] * 100 / max;
            int kk = e.getValue()[1] * 100 / max;
            s.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"gen\" x=\"%d\" y=\"%d\" width=\"14\" height=\"%d\"><title>%s: %d generated</title></rect>"
                            + "<rect class=\"kept\" x=\"%d\" y=\"%d\" width=\"14\" height=\"%d\"><title>%s: %d kept</title></rect>"
                            + "<text x=\"%d\" y=\"135\">%s</text>",
                    x,
                    110 - g,
                    g,
                    e.getKey(),
                    e.getValue()[0],
                    x + 15,
                    110 - kk,
                    kk,
                    e.getKey(),
                    e.getValue()[1],
                    x,
                    e.getKey().toString().substring(5)));
            x += w;
        }
        return s.append("</svg>").toString();
    }

    private static String timings(List<Double> ms) {
        if (ms.isEmpty()) {
            return "<p>No measurement yet: sketch a garment on Create.</p>";
        }
        double max = Math.max(
                2000, ms.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        StringBuilder s =
                new StringBuilder("<svg class=\"chart\" width=\"" + (ms.size() * 8 + 10) + "\" height=\"110\">");
        int goal = (int) (100 - 1000 / max * 100);
        s.append("<line class=\"goal\" x1=\"0\" x2=\"")
                .append(ms.size() * 8 + 10)
                .append("\" y1=\"")
                .append(goal)
                .append("\" y2=\"")
                .append(goal)
                .append("\"><title>1 s</title></line>");
        for (int i = 0; i < ms.size(); i++) {
            int h = (int) Math.max(1, ms.get(i) / max * 100);
            s.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"gen\" x=\"%d\" y=\"%d\" width=\"6\" height=\"%d\"><title>%.0f ms</title></rect>",
                    5 + 8 * i,
                    100 - h,
                    h,
                    ms.get(i)));
        }
        return s.append("</svg>").toString();
    }
}
