package dev.atelier.zo.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A model folder's {@code tokenizer.json}, run by DJL's binding of Hugging Face tokenizers (native
 * library shipped in its jar). Encoding adds the special tokens the tokenizer's post-processor
 * defines (Llama's BOS, none for GPT-2), like {@code tokenizer(text)} in Python; never truncates
 * or pads. Decoding skips special tokens. Holds a native handle: close it. Thread-safe per the
 * underlying library.
 */
public final class LmTokenizer implements AutoCloseable {
    public static final String FILE = "tokenizer.json";

    private final HuggingFaceTokenizer tokenizer;

    private LmTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** The folder's tokenizer, or empty when it has no {@code tokenizer.json}. */
    public static Optional<LmTokenizer> find(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LmTokenizer(HuggingFaceTokenizer.newInstance(
                    file,
                    Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false", "maxLength", "-1"))));
        } catch (RuntimeException e) {
            throw new CheckpointException(
                    file + ": cannot be read as a Hugging Face tokenizer (" + e.getMessage() + ")");
        }
    }

    public int[] encode(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    public String decode(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return tokenizer.decode(l, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
