package dev.atelier.studio.web;

import dev.atelier.ml.data.HoldOut;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.folder.FolderOptions;
import dev.atelier.sketch.style.Styles;
import dev.atelier.studio.store.UploadedFolder;
import dev.atelier.studio.store.Version;
import dev.atelier.studio.train.TrainJob;
import dev.atelier.studio.upload.PairUpload;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * My style: upload her pairs (two multi-file pickers that accept whole folders, or a zip), the
 * folder check per file, training a version in the background with live progress, the versions
 * and which one is active; also a first model from a built-in designer. Thread-safe (uploads and
 * new versions are numbered under one lock).
 */
public final class StylePages {
    /** Pairs of a built-in designer's folder. */
    static final int BUILT_IN_PAIRS = 200;

    private final Context cx;
    private final Object numbering;

    public StylePages(Context cx) {
        this.cx = cx;
        this.numbering = cx.store(); // the same lock as ModelImport's: one numbering of versions
    }

    public void register(Javalin app) {
        app.get(
                "/style",
                ctx -> ctx.html(Html.page(
                        "My style",
                        "/style",
                        Security.session(ctx).csrf(),
                        new StyleView(cx).body(Security.session(ctx).csrf()))));
        app.post("/style/upload", ctx -> {
            int n = upload(
                    ctx.uploadedFiles("images"),
                    ctx.uploadedFiles("sketches"),
                    ctx.uploadedFiles("zip"),
                    ctx.formParam("invert") != null,
                    ctx.formParam("name"));
            ctx.redirect("/style/folder/" + n);
        });
        app.get("/style/folder/{n}", ctx -> {
            int n = Forms.intParam(ctx.pathParam("n"), "folder", 1, Integer.MAX_VALUE);
            UploadedFolder f = cx.store().folder(n).orElseThrow(() -> new NotFoundResponse("no such upload"));
            FolderCheck check = FolderCheck.read(cx.home().folder(n));
            String csrf = Security.session(ctx).csrf();
            String body =
                    "<p><a href=\"/style\">← My style</a></p>" + summary(f, check) + trainForm(csrf, f) + check.html();
            ctx.html(Html.page("Upload " + n + ": " + f.name(), "/style", csrf, body));
        });
        app.post("/style/train", ctx -> {
            int n = Forms.intParam(ctx.formParam("folder"), "folder", 1, Integer.MAX_VALUE);
            UploadedFolder f = cx.store().folder(n).orElseThrow(() -> new NotFoundResponse("no such upload"));
            if (!f.trainable()) {
                throw new BadRequestResponse(
                        "upload " + n + " cannot be trained on: fix the errors of its check first");
            }
            train(
                    n,
                    "folder f" + n + " (" + f.name() + ")",
                    FolderCheck.read(cx.home().folder(n)).invert());
            ctx.redirect("/style#versions");
        });
        app.post("/style/builtin", ctx -> {
            Styles style = Styles.byName(Forms.word(ctx.formParam("style"), "style"));
            int n;
            synchronized (numbering) {
                n = cx.store().nextFolder();
                Path dir = cx.home().folder(n);
                BuiltInDesigner.write(dir, style, BUILT_IN_PAIRS, cx.settings().fashionMnist());
                check(n, dir, "built-in " + style.styleName(), List.of(), false);
            }
            train(n, "built-in " + style.styleName(), false);
            ctx.redirect("/style#versions");
        });
        app.post("/style/active", ctx -> {
            int v = Forms.intParam(ctx.formParam("version"), "version", 1, Integer.MAX_VALUE);
            Version ver = cx.store().version(v).orElseThrow(() -> new NotFoundResponse("no such version"));
            if (!ver.usable()) {
                throw new BadRequestResponse("version " + v + " has no finished model");
            }
            cx.store().setSetting(Context.ACTIVE, Integer.toString(v));
            ctx.redirect("/style#versions");
        });
        app.post("/style/cancel", ctx -> {
            cx.queue().cancel(Forms.intParam(ctx.formParam("version"), "version", 1, Integer.MAX_VALUE));
            ctx.redirect("/style#versions");
        });
        app.post("/style/import", ctx -> {
            int v = new ModelImport(cx).importDir(ctx.formParam("path"));
            ctx.redirect("/style#v" + v);
        });
        app.get("/img/preview/{v}", ctx -> {
            int v = Forms.intParam(ctx.pathParam("v"), "version", 1, Integer.MAX_VALUE);
            Forms.sendPng(ctx, cx.home().preview(v), null);
        });
    }

    /** Stores one upload and checks it; returns its number. */
    int upload(
            List<UploadedFile> images,
            List<UploadedFile> sketches,
            List<UploadedFile> zips,
            boolean invert,
            String name)
            throws IOException, SQLException {
        // an empty picker still sends one part without a name or bytes
        images = chosen(images);
        sketches = chosen(sketches);
        zips = chosen(zips);
        if (images.isEmpty() && sketches.isEmpty() && zips.isEmpty()) {
            throw new BadRequestResponse("choose garment and sketch files, or a zip");
        }
        synchronized (numbering) {
            int n = cx.store().nextFolder();
            Path dir = cx.home().folder(n);
            PairUpload up = new PairUpload(dir, cx.limits());
            for (UploadedFile f : images) {
                try (InputStream in = f.content()) {
                    up.add(DesignerFolder.IMAGES, f.filename(), in);
                }
            }
            for (UploadedFile f : sketches) {
                try (InputStream in = f.content()) {
                    up.add(DesignerFolder.SKETCHES, f.filename(), in);
                }
            }
            for (UploadedFile f : zips) {
                try (InputStream in = f.content()) {
                    up.addZip(f.filename(), in);
                }
            }
            String shown = name == null || name.isBlank()
                    ? "upload of " + Instant.now().toString().substring(0, 16).replace('T', ' ')
                    : PairUpload.display(name.strip());
            check(n, dir, shown, up.notes(), invert);
            return n;
        }
    }

    private static List<UploadedFile> chosen(List<UploadedFile> parts) {
        return parts.stream()
                .filter(f ->
                        f.size() > 0 || (f.filename() != null && !f.filename().isBlank()))
                .toList();
    }

    private void check(int n, Path dir, String name, List<PairUpload.Note> notes, boolean invert)
            throws IOException, SQLException {
        DesignerFolder folder =
                DesignerFolder.read(dir, FolderOptions.defaults().withInvert(invert));
        int pairs = folder.pairing().paired().size();
        int held = pairs >= HoldOut.EVERY
                ? HoldOut.select(folder.pairing().paired(), true).size()
                : 0;
        new FolderCheck(notes, folder.problems(), held, invert).write(dir);
        int errors = folder.errors().size();
        cx.store()
                .addFolder(new UploadedFolder(
                        n,
                        Instant.now(),
                        name,
                        folder.garments().size(),
                        folder.sketches().size(),
                        pairs,
                        errors,
                        folder.problems().size() - errors));
    }

    private void train(int folder, String source, boolean invert) throws SQLException {
        int v;
        synchronized (numbering) {
            v = cx.store().nextVersion();
            var s = cx.settings().training();
            cx.store()
                    .putVersion(new Version(
                            v,
                            Instant.now(),
                            source,
                            folder,
                            Version.Status.QUEUED,
                            0,
                            s.totalSteps(),
                            Double.NaN,
                            ""));
        }
        cx.queue()
                .submit(new TrainJob(
                        v,
                        cx.home().folder(folder),
                        cx.home().model(v).root(),
                        invert,
                        cx.settings().training()));
    }

    private static String summary(UploadedFolder f, FolderCheck c) {
        return "<p class=\"counts\"><b>" + f.garments() + "</b> garments, <b>" + f.sketches() + "</b> sketches, <b>"
                + f.pairs() + "</b> pairs matched by name (" + c.heldOut() + " held out for evaluation), <b>"
                + f.errors() + "</b> errors, <b>" + f.warnings() + "</b> warnings</p>";
    }

    private static String trainForm(String csrf, UploadedFolder f) {
        if (!f.trainable()) {
            return Html.notice("error", "This upload cannot be trained on until its errors are fixed.");
        }
        return "<form method=\"post\" action=\"/style/train\" class=\"inline\">" + Html.csrfField(csrf)
                + "<input type=\"hidden\" name=\"folder\" value=\"" + f.folder() + "\">"
                + "<button type=\"submit\" id=\"train-" + f.folder()
                + "\">Train a model on these pairs</button></form>";
    }
}
