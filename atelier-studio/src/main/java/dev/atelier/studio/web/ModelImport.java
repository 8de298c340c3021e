package dev.atelier.studio.web;

import dev.atelier.sketch.model.ModelDir;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.studio.store.Version;
import io.javalin.http.BadRequestResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Imports a model directory from elsewhere on her machine as a new version: a demo's federated
 * model ({@code models/<designer>/federated/}, with its edge student and the federation's style
 * card) or a node's {@code --state-dir}. The typed path is the one request value that names a
 * place outside the studio folder, so it is only <em>read</em>: it must be absolute, a directory
 * holding {@code model.safetensors} that loads as a sketch model, and only the three fixed file
 * names of the model-directory layout are copied from it. Stateless apart from the context.
 */
final class ModelImport {
    private final Context cx;

    ModelImport(Context cx) {
        this.cx = cx;
    }

    int importDir(String typed) throws IOException, SQLException {
        if (typed == null || typed.isBlank() || typed.length() > 1000 || typed.indexOf('\0') >= 0) {
            throw new BadRequestResponse("type the absolute path of a model directory");
        }
        Path src = Path.of(typed.strip());
        if (!src.isAbsolute()) {
            throw new BadRequestResponse("the model directory must be an absolute path");
        }
        ModelDir from;
        try {
            from = ModelDir.existing(src.normalize());
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse(e.getMessage());
        }
        try {
            SketchGan.readMetadata(from.model());
        } catch (IOException e) {
            throw new BadRequestResponse(from.model() + " is not a sketch model: " + e.getMessage());
        }
        int v;
        synchronized (cx.store()) {
            v = cx.store().nextVersion();
            cx.store()
                    .putVersion(new Version(
                            v,
                            Instant.now(),
                            "imported " + src.getFileName(),
                            0,
                            Version.Status.QUEUED,
                            0,
                            0,
                            Double.NaN,
                            ""));
        }
        ModelDir to = cx.home().model(v);
        Files.createDirectories(to.root());
        Files.copy(from.model(), to.model(), StandardCopyOption.REPLACE_EXISTING);
        StringBuilder note = new StringBuilder("teacher");
        if (Files.isRegularFile(from.student())) {
            Files.copy(from.student(), to.student(), StandardCopyOption.REPLACE_EXISTING);
            note.append(", edge student");
        }
        if (Files.isRegularFile(from.federationCard())) {
            Files.copy(from.federationCard(), to.federationCard(), StandardCopyOption.REPLACE_EXISTING);
            note.append(", federation style card");
        }
        cx.store()
                .putVersion(new Version(
                        v,
                        Instant.now(),
                        "imported " + src.getFileName(),
                        0,
                        Version.Status.DONE,
                        0,
                        0,
                        Double.NaN,
                        "imported: " + note));
        return v;
    }
}
