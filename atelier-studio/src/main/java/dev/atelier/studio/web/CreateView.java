package dev.atelier.studio.web;

import static dev.atelier.studio.web.Html.esc;

import dev.atelier.studio.create.Jitter;
import dev.atelier.studio.create.Sketcher;
import dev.atelier.studio.store.Version;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The HTML of the Create page. Stateless apart from the context. */
final class CreateView {
    private final Context cx;

    CreateView(Context cx) {
        this.cx = cx;
    }

    String body(String csrf) throws Exception {
        Optional<Version> active = cx.active();
        if (active.isEmpty()) {
            return Html.notice("warn", "No model yet.")
                    + "<p>Train one on <a href=\"/style\">My style</a>: from your own pairs or from a built-in"
                    + " designer's style. Progress shows live there.</p>";
        }
        Version v = active.get();
        Sketcher.Abilities ab = cx.sketcher().use(v.version(), cx.home().model(v.version()));
        StringBuilder b = new StringBuilder();
        b.append("<p>Model <b>v")
                .append(v.version())
                .append("</b> (")
                .append(esc(v.source()))
                .append(") · <a href=\"/style#versions\">change</a></p>");
        b.append("<form id=\"create-form\" method=\"post\" action=\"/create/sketch\" enctype=\"multipart/form-data\">")
                .append(Html.csrfField(csrf))
                .append("<label class=\"drop\">Garment (PNG or JPEG, any size) <input type=\"file\" name=\"garment\""
                        + " id=\"garment\" accept=\"image/png,image/jpeg\"></label>")
                .append("<label>Candidates <select name=\"candidates\" id=\"candidates\">");
        for (int k = 1; k <= Jitter.max(); k++) {
            b.append("<option").append(k == 3 ? " selected" : "").append('>').append(k);
        }
        b.append("</select></label>")
                .append("<label><input type=\"checkbox\" name=\"invert\"> dark garment on a light ground</label>");
        if (ab.blend()) {
            b.append("<label class=\"blend\">her style <input type=\"range\" name=\"blend\" id=\"blend\" min=\"0\""
                    + " max=\"100\" step=\"5\" value=\"100\"> the federation's <output id=\"blend-value\">100%"
                    + " own</output></label>");
        } else {
            b.append("<p class=\"hint\">Blending with the federation's style card needs a model version that has one"
                    + " (join a federation, or import a federated model on My style).</p>");
        }
        if (ab.student()) {
            b.append("<label><input type=\"checkbox\" name=\"student\" id=\"student\"> edge student (faster)</label>");
        }
        b.append("<button type=\"submit\" id=\"sketch\">Sketch</button></form>");
        List<Path> gallery = Gallery.of(cx, v);
        if (!gallery.isEmpty()) {
            b.append("<section><h2>Or pick a held-out garment</h2><div class=\"gallery\">");
            for (int i = 0; i < gallery.size(); i++) {
                b.append("<button type=\"button\" class=\"pick\" data-gallery=\"")
                        .append(i)
                        .append("\" title=\"")
                        .append(esc(gallery.get(i).getFileName()))
                        .append("\"><img alt=\"\" src=\"/img/gallery/")
                        .append(i)
                        .append("\"></button>");
            }
            b.append("</div></section>");
        }
        b.append("<p id=\"message\" class=\"notice\" hidden></p>");
        b.append("<p id=\"timing\"></p><div id=\"results\"></div>");
        return b.toString();
    }
}
