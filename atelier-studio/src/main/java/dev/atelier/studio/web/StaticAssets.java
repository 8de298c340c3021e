package dev.atelier.studio.web;

import io.javalin.Javalin;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The studio's own stylesheet and script, from the class path ({@code /studio/}): a fixed list,
 * so no request path is ever used to look a resource up. Stateless.
 */
public final class StaticAssets {
    private static final Map<String, String> FILES = Map.of(
            "studio.css", "text/css; charset=utf-8",
            "studio.js", "text/javascript; charset=utf-8");

    private StaticAssets() {}

    public static void register(Javalin app) {
        app.get("/static/{name}", ctx -> {
            String name = ctx.pathParam("name");
            String type = FILES.get(name);
            if (type == null) {
                throw new NotFoundResponse("no such file");
            }
            try (InputStream in = StaticAssets.class.getResourceAsStream("/studio/" + name)) {
                if (in == null) {
                    throw new IOException("missing resource /studio/" + name);
                }
                ctx.contentType(type).header("Cache-Control", "max-age=60").result(in.readAllBytes());
            }
        });
    }
}
