package dev.atelier.zo.fed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmLoss;
import dev.atelier.zo.model.LmTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link StoreData} from a store's files: {@code *.jsonl} lines {@code {"text": ...}} or
 * {@code {"prompt": ..., "completion": ...}} (prompt and completion joined, tokenised with the
 * model's {@code tokenizer.json}), and {@code *.ids} lines of token ids separated by commas or
 * spaces (already tokenised; needs no tokenizer). A folder reads its files in name order. Rows are
 * cut to {@code maxLen} tokens; rows of fewer than 2 tokens predict nothing and are skipped.
 * Held out, as everywhere in Atelier, is every 10th row in file order (positions 9, 19, …); the
 * evaluation is the mean next-token loss over them. Immutable after loading.
 */
public final class TokenRows implements StoreData {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bounds on what a store's file may hold (a row is cut to the model's positions anyway). */
    static final int MAX_LINES = 10_000_000;

    static final int MAX_LINE_CHARS = 1_000_000;

    private final List<int[]> train;
    private final List<int[]> heldOut;

    public TokenRows(List<int[]> rows) {
        List<int[]> t = new ArrayList<>();
        List<int[]> h = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            (i % 10 == 9 ? h : t).add(rows.get(i).clone());
        }
        if (t.isEmpty()) {
            throw new IllegalArgumentException("no training rows (every row has fewer than 2 tokens, or none)");
        }
        this.train = List.copyOf(t);
        this.heldOut = List.copyOf(h);
    }

    /**
     * Reads {@code source} (a file or a folder of files).
     *
     * @param tokenizer the model's tokenizer, or null when it has none (then only {@code .ids} files)
     * @param vocab     ids must be in [0, vocab)
     */
    public static TokenRows load(Path source, LmTokenizer tokenizer, int vocab, int maxLen) throws IOException {
        return new TokenRows(read(source, tokenizer, vocab, maxLen));
    }

    /** The rows of {@code source} in file order, before the held-out split (see {@link #load}). */
    public static List<int[]> read(Path source, LmTokenizer tokenizer, int vocab, int maxLen) throws IOException {
        if (maxLen < 2) {
            throw new IllegalArgumentException("max length must be >= 2 tokens, got " + maxLen);
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(source)) {
            try (Stream<Path> s = Files.list(source)) {
                s.filter(p -> p.toString().endsWith(".jsonl") || p.toString().endsWith(".ids"))
                        .sorted()
                        .forEach(files::add);
            }
        } else if (Files.isRegularFile(source)) {
            files.add(source);
        } else {
            throw new IOException("store data " + source + " does not exist");
        }
        if (files.isEmpty()) {
            throw new IOException("store data folder " + source + " holds no .jsonl or .ids file");
        }
        List<int[]> rows = new ArrayList<>();
        for (Path f : files) {
            int lineNo = 0;
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    String where = f.getFileName() + ":" + lineNo;
                    if (lineNo > MAX_LINES) {
                        throw new IllegalArgumentException(where + ": more than " + MAX_LINES + " lines in one file");
                    }
                    if (line.length() > MAX_LINE_CHARS) {
                        throw new IllegalArgumentException(where + ": a line of " + line.length()
                                + " characters (at most " + MAX_LINE_CHARS + "); split the text into rows");
                    }
                    if (line.isBlank()) {
                        continue;
                    }
                    int[] ids = f.toString().endsWith(".ids") ? ids(line, where) : text(line, where, tokenizer);
                    for (int id : ids) {
                        if (id < 0 || id >= vocab) {
                            throw new IllegalArgumentException(
                                    where + ": token id " + id + " is outside [0, " + vocab + ")");
                        }
                    }
                    if (ids.length >= 2) {
                        rows.add(ids.length > maxLen ? java.util.Arrays.copyOf(ids, maxLen) : ids);
                    }
                }
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(
                        f.getFileName() + ":" + (lineNo + 1) + ": not UTF-8 text; save the file as UTF-8");
            }
        }
        return rows;
    }

    private static String string(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return t.length() > 160 ? t.substring(0, 160) + "…" : t;
    }

    private static int[] ids(String line, String where) {
        String[] parts = line.trim().split("[,\\s]+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ": '" + parts[i] + "' is not a token id");
            }
        }
        return out;
    }

    private static int[] text(String line, String where, LmTokenizer tokenizer) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage()
                    : e.getMessage();
            throw new IllegalArgumentException(where + ": not valid JSON (" + oneLine(why) + ")");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object");
        }
        String text;
        if (n.hasNonNull("text")) {
            text = string(n, "text", where);
        } else if (n.hasNonNull("prompt") && n.hasNonNull("completion")) {
            text = string(n, "prompt", where) + string(n, "completion", where);
        } else {
            throw new IllegalArgumentException(where + ": needs \"text\", or \"prompt\" and \"completion\"");
        }
        if (tokenizer == null) {
            throw new IllegalArgumentException(
                    where + ": text needs the model's tokenizer.json, which this model has none of; give .ids files");
        }
        return tokenizer.encode(text);
    }

    @Override
    public List<int[]> trainRows() {
        return train;
    }

    /** Held-out rows (tests). */
    public List<int[]> heldOutRows() {
        return heldOut;
    }

    @Override
    public Evaluation evaluate(CausalLm model) {
        if (heldOut.isEmpty()) {
            throw new IllegalStateException("this store has fewer than 10 rows, so none is held out for evaluation");
        }
        LmLoss.Sum sum = new LmLoss.Sum(0, 0);
        for (int[] row : heldOut) {
            sum = sum.plus(LmLoss.of(model, row));
        }
        return new Evaluation(heldOut.size(), Map.of("loss", sum.mean()));
    }
}
