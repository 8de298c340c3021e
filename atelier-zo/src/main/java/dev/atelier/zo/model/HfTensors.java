package dev.atelier.zo.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tensors of a Hugging Face model folder: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}'s {@code weight_map}. Files are memory-mapped by the core
 * reader; {@link #take} converts one tensor (F32, F16 or BF16) to a float32 array after checking
 * its shape, and remembers it, so {@link #requireAllTaken} can refuse tensors the model would
 * otherwise silently ignore. Single-threaded use.
 */
final class HfTensors {
    static final String SINGLE = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";

    private final Path dir;
    private final Map<String, Tensor> tensors;
    private final Map<String, Param> taken = new HashMap<>();

    private HfTensors(Path dir, Map<String, Tensor> tensors) {
        this.dir = dir;
        this.tensors = tensors;
    }

    static HfTensors open(Path dir) throws IOException {
        Path single = dir.resolve(SINGLE);
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(single)) {
            return new HfTensors(
                    dir, new LinkedHashMap<>(Safetensors.read(single).asMap()));
        }
        if (Files.isRegularFile(index)) {
            return new HfTensors(dir, sharded(dir, index));
        }
        throw new CheckpointException(dir + ": no " + SINGLE + " nor " + INDEX
                + " (only safetensors checkpoints are read; convert pytorch_model.bin first)");
    }

    private static Map<String, Tensor> sharded(Path dir, Path index) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(index + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new CheckpointException(index + ": needs a non-empty weight_map object");
        }
        Map<String, ParamSet> shards = new HashMap<>();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var it = map.fields(); it.hasNext(); ) {
            var e = it.next();
            String file = e.getValue().asText();
            if (!e.getValue().isTextual()
                    || !file.endsWith(".safetensors")
                    || file.contains("/")
                    || file.contains("\\")
                    || file.startsWith(".")) {
                throw new CheckpointException(index + ": tensor '" + e.getKey() + "' maps to '" + e.getValue()
                        + "', not a .safetensors file name in the model folder");
            }
            ParamSet shard = shards.get(file);
            if (shard == null) {
                Path p = dir.resolve(file);
                if (!Files.isRegularFile(p)) {
                    throw new CheckpointException(
                            index + ": shard " + file + " (of tensor '" + e.getKey() + "') is missing");
                }
                shard = Safetensors.read(p);
                shards.put(file, shard);
            }
            Tensor t = shard.asMap().get(e.getKey());
            if (t == null) {
                throw new CheckpointException(index + ": tensor '" + e.getKey() + "' is not in its shard " + file);
            }
            out.put(e.getKey(), t);
        }
        return out;
    }

    boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor as float32, checked to have {@code shape}; a missing tensor is one line naming it. */
    Param take(String name, int... shape) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException(dir + ": missing tensor '" + name + "'");
        }
        if (!t.dtype().isFloating()) {
            throw new CheckpointException(
                    dir + ": tensor '" + name + "' has dtype " + t.dtype() + " (weights must be F32, F16 or BF16)");
        }
        long[] want = Arrays.stream(shape).asLongStream().toArray();
        if (!Arrays.equals(t.shape(), want)) {
            throw new CheckpointException(dir + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but config.json implies " + Arrays.toString(shape));
        }
        Param p = new Param(name, shape, t.toFloats());
        taken.put(name, p);
        return p;
    }

    /**
     * Refuses tensors nobody took, except {@code ignorable} buffers (names ending with one of
     * them) that carry no parameters, such as GPT-2's causal-mask {@code attn.bias}.
     */
    void requireAllTaken(String family, List<String> ignorable) {
        var left = new TreeSet<String>();
        for (String name : tensors.keySet()) {
            if (!taken.containsKey(name) && ignorable.stream().noneMatch(name::endsWith)) {
                left.add(name);
            }
        }
        if (!left.isEmpty()) {
            throw new CheckpointException(dir + ": unexpected tensor '" + left.first() + "'"
                    + (left.size() > 1 ? " and " + (left.size() - 1) + " more" : "")
                    + " (not part of a " + family + " model with this config.json; refusing rather than ignoring it)");
        }
    }
}
