package dev.atelier.studio.web;

import static dev.atelier.studio.web.Html.esc;

import dev.atelier.studio.store.KeptSketch;
import io.javalin.Javalin;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * History: every sketch she kept with its input, settings, model version and time, newest first,
 * searchable by input name, variation, version ({@code v3}) or date ({@code 2026-12-01}). Read from
 * the database, so it survives restarts.
 */
public final class HistoryPage {
    static final int LIMIT = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private final Context cx;

    public HistoryPage(Context cx) {
        this.cx = cx;
    }

    public void register(Javalin app) {
        app.get("/history", ctx -> {
            String q = ctx.queryParam("q");
            if (q != null && q.length() > 100) {
                q = q.substring(0, 100);
            }
            List<KeptSketch> kept = cx.store().kept(q, LIMIT);
            StringBuilder b = new StringBuilder("<form method=\"get\" action=\"/history\" class=\"inline\">"
                    + "<input type=\"search\" name=\"q\" id=\"q\" placeholder=\"coat, v2, 2026-12-01\" value=\""
                    + esc(q == null ? "" : q) + "\"><button type=\"submit\" id=\"search\">Search</button></form>");
            b.append("<p class=\"count\">")
                    .append(kept.size())
                    .append(" kept sketches")
                    .append(q == null || q.isBlank() ? "" : " matching “" + esc(q) + "”")
                    .append("</p>");
            b.append("<table class=\"history\"><tr><th>garment</th><th>sketch</th><th>input</th><th>settings</th>"
                    + "<th>model</th><th>time</th><th></th></tr>");
            for (KeptSketch s : kept) {
                b.append("<tr class=\"kept\" data-id=\"")
                        .append(s.id())
                        .append("\"><td><img class=\"thumb\" alt=\"\" src=\"/img/input/")
                        .append(s.inputId())
                        .append("\"></td><td><img class=\"thumb\" alt=\"sketch\" src=\"/img/sketch/")
                        .append(s.id())
                        .append("\"></td><td class=\"name\">")
                        .append(esc(s.inputName()))
                        .append("</td><td>")
                        .append(esc(settings(s)))
                        .append("</td><td>v")
                        .append(s.version())
                        .append("</td><td>")
                        .append(TIME.format(s.created()))
                        .append("</td><td><a href=\"/img/sketch/")
                        .append(s.id())
                        .append("?download=1\">PNG</a></td></tr>");
            }
            b.append("</table>");
            String csrf = Security.session(ctx).csrf();
            ctx.html(Html.page("History", "/history", csrf, b.toString()));
        });
    }

    static String settings(KeptSketch s) {
        return String.format(
                Locale.ROOT,
                "%s · %s · %s",
                s.student() ? "edge student" : "teacher",
                s.blend() >= 1.0 ? "own style" : String.format(Locale.ROOT, "blend %.0f%% own", 100 * s.blend()),
                s.variation());
    }
}
