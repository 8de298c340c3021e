package dev.atelier.cli.lm;

import dev.atelier.zo.model.CausalLm;
import dev.atelier.zo.model.LmTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The options {@code lm eval} and {@code lm generate} share: the model folder and the input,
 * either token ids or text (text needs the folder's tokenizer.json).
 */
final class ModelInput {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "Hugging Face model folder: config.json + model.safetensors (or model.safetensors.index.json"
                    + " and its shards); tokenizer.json for --text.")
    Path model;

    @ArgGroup(multiplicity = "1")
    Input input;

    static final class Input {
        @Option(
                names = "--ids",
                paramLabel = "IDS",
                description = "Token ids: ',' between ids, ';' between rows, e.g. \"195,104,381;32,482,191\".")
        String ids;

        @Option(
                names = "--text",
                paramLabel = "TEXT",
                description = "Text to tokenize with the model's tokenizer.json (repeat for several rows in lm eval).")
        List<String> texts;
    }

    /**
     * The model, the tokenizer (present for --text) and the input rows; closing it closes the
     * tokenizer. Not thread-safe.
     */
    record Loaded(CausalLm lm, Optional<LmTokenizer> tokenizer, int[][] rows) implements AutoCloseable {
        @Override
        public void close() {
            tokenizer.ifPresent(LmTokenizer::close);
        }
    }

    /** Loads the model, opens the tokenizer when --text was given and reads the rows. */
    Loaded open() throws IOException {
        CausalLm lm = load();
        Optional<LmTokenizer> tokenizer = tokenizer();
        try {
            return new Loaded(lm, tokenizer, rows(lm, tokenizer));
        } catch (RuntimeException e) {
            tokenizer.ifPresent(LmTokenizer::close);
            throw e;
        }
    }

    private CausalLm load() throws IOException {
        if (!Files.isDirectory(model)) {
            throw new IllegalArgumentException("--model " + model + " is not a directory");
        }
        return CausalLm.load(model);
    }

    /** The tokenizer when --text was given (refused when the folder has none), else empty. */
    private Optional<LmTokenizer> tokenizer() throws IOException {
        if (input.texts == null) {
            return Optional.empty();
        }
        Optional<LmTokenizer> t = LmTokenizer.find(model);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--text needs a tokenizer, but " + model + " has no " + LmTokenizer.FILE
                    + "; pass token ids with --ids instead");
        }
        return t;
    }

    /** The input rows: parsed --ids, or each --text encoded by {@code tokenizer}. */
    private int[][] rows(CausalLm lm, Optional<LmTokenizer> tokenizer) {
        int vocab = lm.config().dims().vocabSize();
        if (input.ids != null) {
            return TokenRows.parse(input.ids, vocab);
        }
        int[][] rows = new int[input.texts.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = tokenizer.orElseThrow().encode(input.texts.get(i));
            if (rows[i].length == 0) {
                throw new IllegalArgumentException("--text \"" + input.texts.get(i) + "\" encodes to no tokens");
            }
            for (int id : rows[i]) {
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException(
                            "the tokenizer produced id " + id + ", outside the model's vocabulary [0, " + vocab
                                    + "): tokenizer.json does not fit the model");
                }
            }
        }
        return rows;
    }
}
