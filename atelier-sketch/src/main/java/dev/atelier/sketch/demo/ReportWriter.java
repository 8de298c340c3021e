package dev.atelier.sketch.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a {@link DemoReport} as {@code report.json} ({@link ReportJson}) and {@code report.html} ({@link ReportHtml}). */
public final class ReportWriter {
    private ReportWriter() {}

    /** Writes both files where {@code layout} puts them; report.json is replaced atomically. */
    public static void write(DemoReport r, DemoLayout layout) throws IOException {
        Path json = layout.reportJson();
        Files.createDirectories(json.getParent());
        Path tmp = json.resolveSibling(json.getFileName() + ".partial");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), ReportJson.tree(r));
        Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(layout.reportHtml(), ReportHtml.render(r), StandardCharsets.UTF_8);
    }
}
