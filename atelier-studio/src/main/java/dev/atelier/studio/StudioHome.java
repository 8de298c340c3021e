package dev.atelier.studio;

import dev.atelier.sketch.model.ModelDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The studio's folder (default {@code ~/.atelier/studio}) and the only place it writes to:
 *
 * <pre>
 * studio-db.mv.db          history, versions, timings, settings (embedded H2; unless --jdbc-url)
 * folders/f&lt;N&gt;/images/   uploaded garments of upload N   (sketches/: her drawings of them)
 * models/v&lt;N&gt;/           model version N in the model-directory layout (ModelDir) + preview.png, train.log
 * inputs/&lt;id&gt;.png        garments uploaded on the Create page
 * sketches/&lt;id&gt;.png      generated sketches
 * cache/                   the public feature network, trained once
 * tmp/                     multipart uploads in flight
 * </pre>
 *
 * Request values never become paths directly: every accessor takes a number or an id checked
 * against {@link #ID}, and the result is checked to stay under the home folder. Immutable.
 */
public record StudioHome(Path root) {
    /** Ids of generated files: 1..64 of [a-z0-9-]. */
    public static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");

    public StudioHome {
        root = root.toAbsolutePath().normalize();
    }

    /** Creates the folders. */
    public StudioHome create() throws IOException {
        for (String d : new String[] {"folders", "models", "inputs", "sketches", "cache", "tmp"}) {
            Files.createDirectories(root.resolve(d));
        }
        return this;
    }

    public Path folder(int n) {
        return inside(root.resolve("folders").resolve("f" + positive(n)));
    }

    public ModelDir model(int version) {
        return new ModelDir(inside(root.resolve("models").resolve("v" + positive(version))));
    }

    public Path preview(int version) {
        return model(version).root().resolve("preview.png");
    }

    public Path input(String id) {
        return inside(root.resolve("inputs").resolve(checkId(id) + ".png"));
    }

    public Path sketch(String id) {
        return inside(root.resolve("sketches").resolve(checkId(id) + ".png"));
    }

    public Path cache() {
        return root.resolve("cache");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    /** {@code id} when it matches {@link #ID}; otherwise an {@link IllegalArgumentException}. */
    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a valid id");
        }
        return id;
    }

    private static int positive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("numbers start at 1, got " + n);
        }
        return n;
    }

    /** {@code p} normalised, refused unless it lies under the home folder. */
    public Path inside(Path p) {
        Path n = p.toAbsolutePath().normalize();
        if (!n.startsWith(root) || n.equals(root)) {
            throw new IllegalArgumentException("path outside the studio folder refused");
        }
        return n;
    }
}
