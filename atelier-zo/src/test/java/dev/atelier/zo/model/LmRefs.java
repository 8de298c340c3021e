package dev.atelier.zo.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/**
 * The three reference checkpoints written by {@code transformers} 5.17 (copies of
 * {@code shared/lm-refs}, see its README) in the test resources, with their expected outputs.
 */
public final class LmRefs {
    public static final List<String> NAMES = List.of("tiny-gpt2", "tiny-opt", "tiny-llama");

    private LmRefs() {}

    public static Path dir(String name) {
        try {
            var url = LmRefs.class.getResource("/lm-refs/" + name + "/config.json");
            if (url == null) {
                throw new IllegalStateException("test resource lm-refs/" + name + " is missing");
            }
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** reference.json and reference.safetensors of one reference. */
    public record Expected(int[][] inputIds, float[] logits, double loss, int[] greedyPrompt, int[] greedyOutput) {}

    public static Expected expected(String name) {
        Path d = dir(name);
        try {
            JsonNode j = new ObjectMapper().readTree(d.resolve("reference.json").toFile());
            ParamSet ref = Safetensors.read(d.resolve("reference.safetensors"));
            long[] flat = ref.get("input_ids").toLongs();
            long[] shape = ref.get("input_ids").shape();
            int[][] ids = new int[(int) shape[0]][(int) shape[1]];
            for (int r = 0; r < ids.length; r++) {
                for (int t = 0; t < ids[r].length; t++) {
                    ids[r][t] = (int) flat[r * ids[r].length + t];
                }
            }
            return new Expected(
                    ids,
                    ref.get("logits").toFloats(),
                    j.get("loss").asDouble(),
                    ints(j.get("greedy_prompt")),
                    ints(j.get("greedy_output")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }
}
