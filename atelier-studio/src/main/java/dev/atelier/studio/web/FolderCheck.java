package dev.atelier.studio.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.sketch.folder.DesignerFolder;
import dev.atelier.sketch.folder.Problem;
import dev.atelier.studio.upload.PairUpload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the My-style page shows of one upload, saved as {@code folders/f<N>/check.json} so the page
 * need not re-read every image: what happened to each uploaded file and the folder check
 * ({@link DesignerFolder#problems()}), each naming its file.
 *
 * @param notes per uploaded file: stored or refused and why
 * @param problems the folder check's errors and warnings
 * @param heldOut pairs {@code sketch train} will hold out
 * @param invert the garments are inverted (dark garments photographed on white)
 */
public record FolderCheck(List<PairUpload.Note> notes, List<Problem> problems, int heldOut, boolean invert) {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String FILE = "check.json";

    public void write(Path folder) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(FILE).toFile(), this);
    }

    public static FolderCheck read(Path folder) throws IOException {
        return JSON.readValue(folder.resolve(FILE).toFile(), FolderCheck.class);
    }

    public String html() {
        StringBuilder b = new StringBuilder();
        if (!problems.isEmpty()) {
            b.append("<h3>Folder check</h3><ul class=\"problems\">");
            for (Problem p : problems) {
                b.append("<li class=\"")
                        .append(p.severity() == Problem.Severity.ERROR ? "error" : "warn")
                        .append("\"><code>")
                        .append(Html.esc(p.file()))
                        .append("</code> ")
                        .append(Html.esc(p.message()))
                        .append("</li>");
            }
            b.append("</ul>");
        } else {
            b.append(Html.notice("ok", "Folder check: no problems."));
        }
        long refused = notes.stream().filter(n -> !n.accepted()).count();
        b.append("<h3>Files (")
                .append(notes.size() - refused)
                .append(" stored, ")
                .append(refused)
                .append(" refused)</h3><table class=\"files\"><tr><th>file</th><th>result</th></tr>");
        notes.stream()
                .sorted((x, y) -> Boolean.compare(x.accepted(), y.accepted()))
                .forEach(n -> b.append("<tr class=\"")
                        .append(n.accepted() ? "ok" : "refused")
                        .append("\"><td><code>")
                        .append(Html.esc(n.file()))
                        .append("</code></td><td>")
                        .append(Html.esc(n.message()))
                        .append("</td></tr>"));
        return b.append("</table>").toString();
    }
}
