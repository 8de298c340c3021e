package dev.atelier.zo.fed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmLoss;
import dev.atelier.zo.model.LmTokenizer;
import java.io.IOException;
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
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String where = f.getFileName() + ":" + lineNo;
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
        }
        return rows;
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
            throw new IllegalArgumentException(where + ": not a JSON object");
        }
        String text;
        if (n.hasNonNull("text")) {
            text = n.get("text").asText();
        } else if (n.hasNonNull("prompt") && n.hasNonNull("completion")) {
            text = n.get("prompt").asText() + n.get("completion").asText();
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
