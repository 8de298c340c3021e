package dev.atelier.zo.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
    private final Map<String, Path> fileOf = new HashMap<>();
    private final Map<Path, Map<String, long[]>> headerOffsets = new HashMap<>();
    private final Map<String, Param> taken = new HashMap<>();
    private final List<String> skipped = new ArrayList<>();

    private HfTensors(Path dir, Map<String, Tensor> tensors) {
        this.dir = dir;
        this.tensors = tensors;
    }

    static HfTensors open(Path dir) throws IOException {
        Path single = dir.resolve(SINGLE);
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(single)) {
            HfTensors t = new HfTensors(
                    dir, new LinkedHashMap<>(Safetensors.read(single).asMap()));
            t.tensors.keySet().forEach(name -> t.fileOf.put(name, single));
            return t;
        }
        if (Files.isRegularFile(index)) {
            HfTensors t = new HfTensors(dir, sharded(dir, index));
            JsonNode map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
            t.tensors
                    .keySet()
                    .forEach(
                            name -> t.fileOf.put(name, dir.resolve(map.get(name).asText())));
            return t;
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
        Param p = new Param(name, shape, floats(name, t));
        taken.put(name, p);
        return p;
    }

    /**
     * F32 tensors are read with positional reads in 1 MiB chunks, not through the core reader's
     * mapped buffer: mapped pages stay in this process's resident set until a GC collects the
     * buffer, which would double the peak while loading; read pages stay in the kernel's page
     * cache only. F16/BF16 widen through the core reader.
     */
    private float[] floats(String name, Tensor t) {
        if (t.dtype() != DType.F32) {
            return t.toFloats();
        }
        float[] out = new float[Math.toIntExact(t.numElements())];
        readF32(name, out);
        return out;
    }

    /**
     * Overwrites {@code into} (the storage of a tensor of the same shape) with tensor {@code name},
     * checked like {@link #take}: streaming reuses one block's arrays for every block.
     */
    void takeInto(String name, int[] shape, float[] into) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException(dir + ": missing tensor '" + name + "'");
        }
        if (!Arrays.equals(t.shape(), Arrays.stream(shape).asLongStream().toArray())) {
            throw new CheckpointException(dir + ": tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but config.json implies " + Arrays.toString(shape));
        }
        if (t.dtype() == DType.F32) {
            readF32(name, into);
        } else if (t.dtype().isFloating()) {
            float[] v = t.toFloats();
            System.arraycopy(v, 0, into, 0, v.length);
        } else {
            throw new CheckpointException(
                    dir + ": tensor '" + name + "' has dtype " + t.dtype() + " (weights must be F32, F16 or BF16)");
        }
    }

    private void readF32(String name, float[] out) {
        Path file = fileOf.get(name);
        try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long[] at = dataOffset(ch, name);
            if (at[1] != 4L * out.length) {
                throw new CheckpointException(
                        file + ": tensor '" + name + "' has " + at[1] + " bytes, expected " + 4L * out.length);
            }
            var buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int done = 0;
            while (done < out.length) {
                int floats = Math.min(buf.capacity() / 4, out.length - done);
                buf.clear().limit(floats * 4);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, at[0] + 4L * done + buf.position()) < 0) {
                        throw new CheckpointException(file + ": tensor '" + name + "' is truncated");
                    }
                }
                buf.flip().asFloatBuffer().get(out, done, floats);
                done += floats;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": reading tensor '" + name + "'", e);
        }
    }

    /** Absolute byte offset and length of tensor {@code name}'s data in a safetensors file. */
    private long[] dataOffset(FileChannel ch, String name) throws IOException {
        Map<String, long[]> offsets = headerOffsets.get(fileOf.get(name));
        if (offsets == null) {
            var len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long n = len.flip().getLong();
            // The core reader has already validated this header; here only the offsets are needed.
            var header = ByteBuffer.allocate(Math.toIntExact(n));
            while (header.hasRemaining() && ch.read(header, 8 + header.position()) > 0) {}
            JsonNode root = new ObjectMapper().readTree(header.array());
            offsets = new HashMap<>();
            for (var it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                JsonNode o = e.getValue().get("data_offsets");
                if (o != null) {
                    long begin = o.get(0).asLong();
                    offsets.put(e.getKey(), new long[] {8 + n + begin, o.get(1).asLong() - begin});
                }
            }
            headerOffsets.put(fileOf.get(name), offsets);
        }
        return offsets.get(name);
    }

    /**
     * Accounts for every tensor whose name starts with {@code prefix} (a decoder block left on
     * disk) without reading it; {@link #requireAllTaken} then accepts them.
     */
    void skip(String prefix) {
        skipped.add(prefix);
    }

    /**
     * Refuses tensors nobody took or skipped, except {@code ignorable} buffers (names ending with one of
     * them) that carry no parameters, such as GPT-2's causal-mask {@code attn.bias}.
     */
    void requireAllTaken(String family, List<String> ignorable) {
        var left = new TreeSet<String>();
        for (String name : tensors.keySet()) {
            if (!taken.containsKey(name)
                    && ignorable.stream().noneMatch(name::endsWith)
                    && skipped.stream().noneMatch(name::startsWith)) {
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
