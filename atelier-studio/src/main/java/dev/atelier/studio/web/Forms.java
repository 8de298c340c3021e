package dev.atelier.studio.web;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Request values parsed and bounded before use, and files sent back. Stateless. */
public final class Forms {
    private Forms() {}

    /** An integer in [lo, hi], or 400 naming the field. */
    public static int intParam(String value, String field, int lo, int hi) {
        try {
            int v = Integer.parseInt(value == null ? "" : value.strip());
            if (v < lo || v > hi) {
                throw new BadRequestResponse(field + " must be in " + lo + ".." + hi);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(field + " must be a whole number");
        }
    }

    /** A number in [lo, hi], or 400 naming the field. */
    public static double doubleParam(String value, String field, double lo, double hi) {
        try {
            double v = Double.parseDouble(value == null ? "" : value.strip());
            if (!(v >= lo && v <= hi)) {
                throw new BadRequestResponse(field + " must be in [" + lo + ", " + hi + "]");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(field + " must be a number");
        }
    }

    /** A short word of letters, digits, '-' and '_' (1..40), or 400. */
    public static String word(String value, String field) {
        if (value == null || !value.matches("[A-Za-z0-9_-]{1,40}")) {
            throw new BadRequestResponse(field + " is missing or not a plain word");
        }
        return value;
    }

    /**
     * Sends a PNG from the studio folder; {@code download} is the file name for a download, or null
     * to show it. The path was built by {@code StudioHome} from checked values.
     */
    public static void sendPng(Context ctx, Path file, String download) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundResponse("no such image");
        }
        ctx.contentType("image/png");
        if (download != null) {
            ctx.header(
                    "Content-Disposition",
                    "attachment; filename=\"" + download.replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        }
        ctx.result(Files.readAllBytes(file));
    }
}
