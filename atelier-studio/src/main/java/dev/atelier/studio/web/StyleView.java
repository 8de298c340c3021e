package dev.atelier.studio.web;

import static dev.atelier.studio.web.Html.esc;

import dev.atelier.core.util.Progress;
import dev.atelier.sketch.style.Styles;
import dev.atelier.studio.store.UploadedFolder;
import dev.atelier.studio.store.Version;
import dev.atelier.studio.train.TrainEvent;
import dev.atelier.studio.upload.UploadLimits;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/** The HTML of the My-style page. Stateless apart from the context. */
final class StyleView {
    private final Context cx;

    StyleView(Context cx) {
        this.cx = cx;
    }

    String body(String csrf) throws SQLException {
        List<Version> versions = cx.store().versions();
        List<UploadedFolder> folders = cx.store().folders();
        int active = cx.active().map(Version::version).orElse(0);
        StringBuilder b = new StringBuilder();
        if (versions.isEmpty()) {
            b.append(Html.notice(
                    "warn",
                    "No model yet. Upload your pairs below and train one, or start from a built-in designer's style."));
        }
        UploadLimits l = cx.limits();
        b.append(
                        "<section><h2>Upload your pairs</h2><p>Garments and your sketches of them, paired by file name"
                                + " (look-01.png ↔ look-01.png). PNG or JPEG, any size; select all files of a folder at"
                                + " once, drop them on the pickers, or upload one zip with images/ and sketches/ inside. At most ")
                .append(UploadLimits.mib(l.maxFileBytes()))
                .append(" per image and ")
                .append(l.maxFiles())
                .append(" images per upload.</p>")
                .append(
                        "<form method=\"post\" action=\"/style/upload\" enctype=\"multipart/form-data\" id=\"upload-form\">")
                .append(Html.csrfField(csrf))
                .append(
                        "<label>Name <input type=\"text\" name=\"name\" maxlength=\"100\" placeholder=\"spring looks\"></label>")
                .append("<label class=\"drop\">Garments <input type=\"file\" name=\"images\" id=\"images\" multiple"
                        + " accept=\"image/png,image/jpeg\"></label>")
                .append("<label class=\"drop\">Sketches <input type=\"file\" name=\"sketches\" id=\"sketches\" multiple"
                        + " accept=\"image/png,image/jpeg\"></label>")
                .append("<label class=\"drop\">or a zip <input type=\"file\" name=\"zip\" id=\"zip\""
                        + " accept=\".zip,application/zip\"></label>")
                .append(
                        "<label><input type=\"checkbox\" name=\"invert\"> my garments are dark on a light ground</label>")
                .append("<button type=\"submit\" id=\"upload\">Upload and check</button></form></section>");
        b.append("<section><h2>Start from a built-in designer</h2><form method=\"post\" action=\"/style/builtin\""
                        + " class=\"inline\">")
                .append(Html.csrfField(csrf))
                .append("<select name=\"style\" id=\"builtin-style\">");
        for (Styles s : Styles.values()) {
            b.append("<option value=\"")
                    .append(esc(s.styleName()))
                    .append("\">")
                    .append(esc(s.styleName()));
        }
        b.append("</select><button type=\"submit\" id=\"builtin\">Train on ")
                .append(StylePages.BUILT_IN_PAIRS)
                .append(" Fashion-MNIST pairs in this style</button></form></section>");
        if (!folders.isEmpty()) {
            b.append("<section><h2>Uploads</h2><table><tr><th>#</th><th>name</th><th>garments</th><th>sketches</th>"
                    + "<th>pairs</th><th>check</th><th></th></tr>");
            for (UploadedFolder f : folders) {
                b.append("<tr><td>f")
                        .append(f.folder())
                        .append("</td><td><a href=\"/style/folder/")
                        .append(f.folder())
                        .append("\">")
                        .append(esc(f.name()))
                        .append("</a></td><td>")
                        .append(f.garments())
                        .append("</td><td>")
                        .append(f.sketches())
                        .append("</td><td>")
                        .append(f.pairs())
                        .append("</td><td>")
                        .append(f.errors() > 0 ? "<span class=\"error\">" + f.errors() + " errors</span>" : "ok")
                        .append(f.warnings() > 0 ? ", " + f.warnings() + " warnings" : "")
                        .append("</td><td>");
                if (f.trainable()) {
                    b.append("<form method=\"post\" action=\"/style/train\" class=\"inline\">")
                            .append(Html.csrfField(csrf))
                            .append("<input type=\"hidden\" name=\"folder\" value=\"")
                            .append(f.folder())
                            .append("\"><button type=\"submit\">Train</button></form>");
                }
                b.append("</td></tr>");
            }
            b.append("</table></section>");
        }
        b.append("<section id=\"versions\"><h2>Versions of my model</h2>");
        if (cx.queue().running() != 0) {
            b.append("<p class=\"queue\">Training runs in a separate process, one version at a time: v")
                    .append(cx.queue().running())
                    .append(" now. Creating sketches keeps working meanwhile.</p>");
        }
        b.append(
                "<table><tr><th>version</th><th>from</th><th>status</th><th>progress</th><th>preview</th><th></th></tr>");
        for (Version v : versions) {
            b.append(row(v, active, csrf));
        }
        b.append("</table></section>");
        b.append("<section><h2>Import a model directory</h2><p>A model directory on this machine (a demo's"
                        + " federated model with its edge student and the federation's style card, or a node's"
                        + " state directory). Only model.safetensors, student.safetensors and"
                        + " federation-style-card.safetensors are copied.</p>"
                        + "<form method=\"post\" action=\"/style/import\" class=\"inline\">")
                .append(Html.csrfField(csrf))
                .append(
                        "<input type=\"text\" name=\"path\" id=\"import-path\" size=\"60\" placeholder=\"/home/me/runs/demo/models/ada/federated\">"
                                + "<button type=\"submit\" id=\"import\">Import</button></form></section>");
        return b.toString();
    }

    private String row(Version v, int active, String csrf) {
        TrainEvent last = cx.queue().last(v.version());
        String progress = progressText(v, last);
        StringBuilder b = new StringBuilder("<tr id=\"v" + v.version() + "\" data-version=\"" + v.version() + "\""
                + (v.version() == active ? " class=\"active\"" : "") + "><td>v" + v.version()
                + (v.version() == active ? " <b>active</b>" : "") + "</td><td>" + esc(v.source()) + "</td><td"
                + " class=\"status\">" + v.status().name().toLowerCase(Locale.ROOT) + "</td><td><progress max=\""
                + Math.max(1, v.totalSteps()) + "\" value=\"" + v.steps() + "\"></progress> <span class=\"progress\">"
                + esc(progress) + "</span></td><td>");
        if (Files.isRegularFile(cx.home().preview(v.version()))) {
            b.append("<img class=\"preview\" alt=\"preview\" src=\"/img/preview/")
                    .append(v.version())
                    .append("\">");
        } else {
            b.append("<img class=\"preview\" alt=\"\" hidden>");
        }
        b.append("</td><td>");
        if (v.usable() && v.version() != active) {
            b.append("<form method=\"post\" action=\"/style/active\" class=\"inline\">")
                    .append(Html.csrfField(csrf))
                    .append("<input type=\"hidden\" name=\"version\" value=\"")
                    .append(v.version())
                    .append("\"><button type=\"submit\">Use this one</button></form>");
        }
        if (v.status() == Version.Status.QUEUED || v.status() == Version.Status.TRAINING) {
            b.append("<form method=\"post\" action=\"/style/cancel\" class=\"inline\">")
                    .append(Html.csrfField(csrf))
                    .append("<input type=\"hidden\" name=\"version\" value=\"")
                    .append(v.version())
                    .append("\"><button type=\"submit\">Cancel</button></form>");
        }
        return b.append("</td></tr>").toString();
    }

    /** {@code step 120/350 · loss (L1) 0.112 · ETA 27s}, or the version's message. */
    static String progressText(Version v, TrainEvent last) {
        if (v.totalSteps() == 0) {
            return v.message(); // imported: nothing was trained here
        }
        StringBuilder s = new StringBuilder("step " + v.steps() + "/" + v.totalSteps());
        if (!Double.isNaN(v.lastL1())) {
            s.append(String.format(Locale.ROOT, " · loss (L1) %.3f", v.lastL1()));
        }
        if (last != null && List.of("progress", "prepare").contains(last.kind()) && !Double.isNaN(last.etaSeconds())) {
            s.append(" · ETA ").append(Progress.formatSeconds(last.etaSeconds()));
        }
        if (!v.message().isEmpty()) {
            s.append(" · ").append(v.message());
        }
        return s.toString();
    }
}
