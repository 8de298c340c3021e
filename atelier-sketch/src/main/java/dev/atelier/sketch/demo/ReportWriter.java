package dev.atelier.sketch.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.atelier.sketch.privacy.AuditReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a {@link DemoReport} as {@code report.json} ({@link ReportJson}) and {@code report.html} ({@link ReportHtml}). */
public final class ReportWriter {
    private ReportWriter() {}

    /** Writes both files where {@code layout} puts them; report.json is replaced atomically. */
    public static void write(DemoReport r, DemoLayout layout) throws IOException {
        write(r, layout, null);
    }

    /**
     * As {@link #write(DemoReport, DemoLayout)}, with the privacy audit ({@code --privacy}) as
     * report.json's {@code privacy} key and a section at the end of report.html; null for none.
     */
    public static void write(DemoReport r, DemoLayout layout, AuditReport privacy) throws IOException {
        write(r, layout, privacy, null);
    }

    /**
     * As {@link #write(DemoReport, DemoLayout, AuditReport)}, with the private federated regime
     * ({@code --privacy}) as report.json's {@code privacy_regime} key and a section before the
     * audit's; null for none.
     */
    static void write(DemoReport r, DemoLayout layout, AuditReport privacy, PrivateRegimeReport regime)
            throws IOException {
        Path json = layout.reportJson();
        Files.createDirectories(json.getParent());
        Path tmp = json.resolveSibling(json.getFileName() + ".partial");
        Map<String, Object> tree = new LinkedHashMap<>(ReportJson.tree(r));
        String html = ReportHtml.render(r);
        if (regime != null) {
            tree.put("privacy_regime", regime.toMap());
            int end = html.lastIndexOf("</html>");
            html = html.substring(0, end) + regime.html() + html.substring(end);
        }
        if (privacy != null) {
            tree.put("privacy", privacy.toMap());
            int end = html.lastIndexOf("</html>");
            html = html.substring(0, end) + PrivacySection.html(privacy) + html.substring(end);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), tree);
        Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(layout.reportHtml(), html, StandardCharsets.UTF_8);
    }
}
