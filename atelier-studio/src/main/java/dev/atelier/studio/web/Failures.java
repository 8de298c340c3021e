package dev.atelier.studio.web;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How errors reach the designer: one line, as JSON for the page script ({@code {"error": ...}}) or
 * as a page with the message and a way back. Unexpected exceptions are logged with their stack and
 * shown by their message only. Stateless.
 */
public final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private Failures() {}

    public static void register(Javalin app) {
        app.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), e.getMessage()));
        app.exception(IllegalArgumentException.class, (e, ctx) -> answer(ctx, 400, e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            String m = String.valueOf(e.getMessage());
            if (m.contains("exceeds") || m.contains("too large") || m.contains("Request entity too large")) {
                answer(ctx, 413, "upload too large: " + m);
                return;
            }
            LOG.warn("request {} failed", ctx.path(), e);
            answer(ctx, 500, e.getClass().getSimpleName() + ": " + m);
        });
    }

    private static void answer(Context ctx, int status, String message) {
        String m = message == null ? "error" : message.replaceAll("\\s+", " ");
        ctx.status(HttpStatus.forStatus(status));
        String accept = String.valueOf(ctx.header("Accept"));
        if (accept.contains("application/json")) {
            ctx.contentType("application/json")
                    .result(new com.fasterxml.jackson.databind.ObjectMapper()
                            .createObjectNode()
                            .put("error", m)
                            .toString());
            return;
        }
        Sessions.Session s = Security.session(ctx);
        ctx.html(Html.page(
                status == 403 ? "Not allowed" : status == 404 ? "Not found" : "That did not work",
                "",
                s == null ? "" : s.csrf(),
                Html.notice("error", m) + "<p><a href=\"/\">back to the studio</a></p>"));
    }
}
