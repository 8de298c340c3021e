package dev.atelier.studio.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.sketch.demo.Png;
import dev.atelier.sketch.folder.Canvas;
import dev.atelier.studio.StudioHome;
import dev.atelier.studio.create.Jitter;
import dev.atelier.studio.create.Sketcher;
import dev.atelier.studio.store.KeptSketch;
import dev.atelier.studio.store.Version;
import dev.atelier.studio.upload.ImageCheck;
import dev.atelier.studio.upload.Incoming;
import dev.atelier.studio.upload.PairUpload;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * Create: a garment (uploaded, any size, or picked from the held-out gallery) sketched by the
 * active version, several candidates at once ({@link Jitter}), optionally blended with the
 * federation's style card and drawn by the edge student; keep or discard each; download PNG. The
 * page's script measures upload → all candidates shown and posts it to {@code /api/timing} (the
 * dashboard's time-to-sketch). Thread-safe.
 */
public final class CreatePages {
    /** Sketch PNGs: each canvas pixel becomes 8×8 (256×256). */
    static final int SCALE = 8;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Context cx;
    /** Server-side milliseconds per request id, until the page reports its shown time. */
    private final Map<String, Double> serverMillis = new ConcurrentHashMap<>();

    public CreatePages(Context cx) {
        this.cx = cx;
    }

    public void register(Javalin app) {
        app.get("/create", ctx -> {
            String csrf = Security.session(ctx).csrf();
            ctx.html(Html.page("Create", "/create", csrf, new CreateView(cx).body(csrf)));
        });
        app.post("/create/sketch", ctx -> {
            long t0 = System.nanoTime();
            Version v = cx.active().orElseThrow(() -> new BadRequestResponse("no model yet: train one on My style"));
            Sketcher.Abilities ab = cx.sketcher().use(v.version(), cx.home().model(v.version()));
            String request = StudioHome.checkId(ctx.formParam("request"));
            Double blend = ab.blend() && ctx.formParam("blend") != null
                    ? Forms.intParam(ctx.formParam("blend"), "blend", 0, 100) / 100.0
                    : null;
            boolean student = ctx.formParam("student") != null;
            int candidates = Forms.intParam(ctx.formParam("candidates"), "candidates", 1, Jitter.max());
            Input in = input(ctx.uploadedFile("garment"), ctx.formParam("gallery"), ctx.formParam("input"), v);
            float[] garment = Canvas.garment(cx.home().input(in.id()), ctx.formParam("invert") != null);
            float[][] sketches = cx.sketcher().sketch(garment, blend, student, candidates);
            ObjectNode out = JSON.createObjectNode();
            out.put("request", request);
            out.put("input", in.id());
            out.put("inputName", in.name());
            out.put("inputUrl", "/img/input/" + in.id());
            out.put("version", v.version());
            ArrayNode list = out.putArray("sketches");
            Instant now = Instant.now();
            for (int k = 0; k < sketches.length; k++) {
                String id = UUID.randomUUID().toString();
                Png.write(sketches[k], SCALE, cx.home().sketch(id));
                cx.store()
                        .addSketch(new KeptSketch(
                                id,
                                now,
                                v.version(),
                                in.id(),
                                in.name(),
                                blend == null ? 1.0 : blend,
                                student,
                                k,
                                Jitter.describe(k),
                                null));
                ObjectNode s = list.addObject();
                s.put("id", id);
                s.put("url", "/img/sketch/" + id);
                s.put("download", "/img/sketch/" + id + "?download=1");
                s.put("variation", Jitter.describe(k));
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            out.put("serverMs", ms);
            if (serverMillis.size() < 10_000) {
                serverMillis.put(request, ms);
            }
            ctx.contentType("application/json").result(out.toString());
        });
        app.post("/create/decide", ctx -> {
            String id = StudioHome.checkId(ctx.formParam("id"));
            boolean keep = "true".equals(ctx.formParam("keep"));
            if (!cx.store().decide(id, keep)) {
                throw new NotFoundResponse("no such sketch");
            }
            ctx.contentType("application/json").result("{\"id\":\"" + id + "\",\"kept\":" + keep + "}");
        });
        app.post("/api/timing", ctx -> {
            String request = StudioHome.checkId(ctx.formParam("request"));
            double shown = Forms.doubleParam(ctx.formParam("shownMs"), "shownMs", 0, 600_000);
            Double server = serverMillis.remove(request);
            if (server == null) {
                throw new BadRequestResponse("unknown request id");
            }
            cx.store().addTiming(request, Instant.now(), shown, server);
            ctx.status(HttpStatus.NO_CONTENT);
        });
        app.get("/img/sketch/{id}", ctx -> {
            String id = StudioHome.checkId(ctx.pathParam("id"));
            Forms.sendPng(
                    ctx, cx.home().sketch(id), ctx.queryParam("download") != null ? "sketch-" + id + ".png" : null);
        });
        app.get(
                "/img/input/{id}",
                ctx -> Forms.sendPng(ctx, cx.home().input(StudioHome.checkId(ctx.pathParam("id"))), null));
        app.get("/img/gallery/{i}", ctx -> {
            Version v = cx.active().orElseThrow(() -> new NotFoundResponse("no model"));
            var list = Gallery.of(cx, v);
            if (list.isEmpty()) {
                throw new NotFoundResponse("no held-out garments for this version");
            }
            Path g = list.get(Forms.intParam(ctx.pathParam("i"), "gallery", 0, list.size() - 1));
            ctx.contentType("image/png").result(Png.encode(Canvas.garment(g, false), 3));
        });
    }

    /** The garment of a request, stored as {@code inputs/<id>.png}. */
    record Input(String id, String name) {}

    private Input input(UploadedFile file, String gallery, String previous, Version v)
            throws IOException, java.sql.SQLException {
        if (previous != null && !previous.isEmpty()) {
            String id = StudioHome.checkId(previous);
            if (!Files.isRegularFile(cx.home().input(id))) {
                throw new NotFoundResponse("no such input");
            }
            String name = cx.store().allSketches().stream()
                    .filter(s -> s.inputId().equals(id))
                    .map(KeptSketch::inputName)
                    .findFirst()
                    .orElse("garment");
            return new Input(id, name);
        }
        byte[] bytes;
        String name;
        if (file != null && file.size() > 0) {
            try (InputStream in = file.content()) {
                bytes = Incoming.read(in, cx.limits().maxFileBytes());
            } catch (Incoming.TooLarge e) {
                throw new BadRequestResponse(PairUpload.display(file.filename()) + ": refused, " + e.getMessage());
            }
            name = PairUpload.display(file.filename());
        } else if (gallery != null && !gallery.isEmpty()) {
            var list = Gallery.of(cx, v);
            if (list.isEmpty()) {
                throw new BadRequestResponse("this version has no held-out garments");
            }
            Path g = list.get(Forms.intParam(gallery, "gallery", 0, list.size() - 1));
            bytes = Files.readAllBytes(g);
            name = "held-out " + g.getFileName();
        } else {
            throw new BadRequestResponse("choose a garment image or pick one from the gallery");
        }
        BufferedImage img;
        try {
            img = ImageCheck.decode(bytes);
        } catch (ImageCheck.Refused e) {
            throw new BadRequestResponse(name + ": refused, " + e.getMessage());
        }
        String id = UUID.randomUUID().toString();
        Path target = cx.home().input(id);
        if (!ImageIO.write(img, "png", target.toFile())) {
            throw new BadRequestResponse(name + ": refused, this image type cannot be stored as PNG");
        }
        return new Input(id, name);
    }
}
