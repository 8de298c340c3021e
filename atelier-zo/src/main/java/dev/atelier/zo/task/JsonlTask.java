package dev.atelier.zo.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user's task from JSON Lines: one object per line, either {@code {"text": ..., "label": ...}}
 * or {@code {"prompt": ..., "completion": ...}} (the completion, stripped, is the label word);
 * blank lines are skipped, other fields ignored. Labels become the label words in order of first
 * appearance; a label must be a non-empty string of at most {@value #MAX_LABEL_CHARS} characters,
 * a text at most {@value #MAX_TEXT_CHARS}. Any other line fails with {@code file:line: reason}.
 * The test split is by a hash of the normalised text ({@link GarmentTask#isTest}, same per mille),
 * so duplicates share a side. Stateless.
 */
public final class JsonlTask {
    static final int MAX_TEXT_CHARS = 20_000;
    static final int MAX_LABEL_CHARS = 100;
    static final int MAX_LINES = 1_000_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlTask() {}

    public static TextTask read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such file");
        }
        Map<String, Integer> labels = new LinkedHashMap<>();
        List<TaskItem> train = new ArrayList<>();
        List<TaskItem> test = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (n > MAX_LINES) {
                    throw new IllegalArgumentException(file + ": more than " + MAX_LINES + " lines");
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] tl = parse(line, file + ":" + n);
                int label = labels.computeIfAbsent(tl[1], k -> labels.size());
                String group = GarmentItems.normalise(tl[0]);
                TaskItem it = new TaskItem(tl[0], label, file.getFileName().toString(), group);
                (GarmentTask.isTest(group) ? test : train).add(it);
            }
        }
        if (labels.size() < 2) {
            throw new IllegalArgumentException(file + ": needs at least two distinct labels, found " + labels.keySet());
        }
        return new TextTask(file.getFileName().toString(), List.copyOf(labels.keySet()), train, test);
    }

    /** {text, label} of one line, or an exception naming {@code where}. */
    static String[] parse(String line, String where) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object");
        }
        boolean textForm = o.has("text") || o.has("label");
        boolean promptForm = o.has("prompt") || o.has("completion");
        if (textForm == promptForm) {
            throw new IllegalArgumentException(
                    where + ": expected either \"text\" and \"label\" or \"prompt\" and \"completion\"");
        }
        String text = string(o, textForm ? "text" : "prompt", where, MAX_TEXT_CHARS);
        String label = string(o, textForm ? "label" : "completion", where, MAX_LABEL_CHARS)
                .strip();
        if (label.isEmpty()) {
            throw new IllegalArgumentException(where + ": the label is blank");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException(where + ": the text is blank");
        }
        return new String[] {text, label};
    }

    private static String string(JsonNode o, String field, String where, int max) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string");
        }
        if (v.asText().length() > max) {
            throw new IllegalArgumentException(
                    where + ": \"" + field + "\" has " + v.asText().length() + " characters (at most " + max + ")");
        }
        return v.asText();
    }
}
