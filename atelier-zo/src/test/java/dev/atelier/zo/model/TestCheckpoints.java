package dev.atelier.zo.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.core.params.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test variants of {@link RandomCheckpoint}'s folders: F16/BF16 storage, sharded files, edited
 * tensor lists.
 */
final class TestCheckpoints {
    static final ObjectMapper JSON = new ObjectMapper();

    private TestCheckpoints() {}

    /** Sizes for a random model (see {@link RandomCheckpoint.Spec}). */
    record Spec(int vocab, int hidden, int layers, int heads, int kvHeads, int headDim, int inner, int maxPos) {
        RandomCheckpoint.Spec main() {
            return new RandomCheckpoint.Spec(vocab, hidden, layers, heads, kvHeads, headDim, inner, maxPos);
        }
    }

    static ObjectNode config(Family f, Spec s, boolean tied) {
        return RandomCheckpoint.config(f, s.main(), tied);
    }

    static Map<String, int[]> shapes(Family f, Spec s, boolean tied) {
        return RandomCheckpoint.shapes(f, s.main(), tied);
    }

    /** σ = 0.2: large enough for varied logits in tiny models. */
    static Map<String, float[]> random(Map<String, int[]> shapes, long seed) {
        return RandomCheckpoint.random(shapes, seed, 0.2);
    }

    static Path write(Path dir, ObjectNode config, Map<String, int[]> shapes, Map<String, float[]> values, DType dtype)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        Safetensors.write(
                paramSet(shapes, values, dtype, List.copyOf(shapes.keySet())), dir.resolve("model.safetensors"));
        return dir;
    }

    /** The same tensors split over {@code shards} files plus model.safetensors.index.json. */
    static Path writeSharded(
            Path dir, ObjectNode config, Map<String, int[]> shapes, Map<String, float[]> values, int shards)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config.toPrettyString());
        List<String> names = new ArrayList<>(shapes.keySet());
        ObjectNode index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", 0);
        ObjectNode map = index.putObject("weight_map");
        for (int s = 0; s < shards; s++) {
            String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            List<String> part = new ArrayList<>();
            for (int i = s; i < names.size(); i += shards) {
                part.add(names.get(i));
                map.put(names.get(i), file);
            }
            Safetensors.write(paramSet(shapes, values, DType.F32, part), dir.resolve(file));
        }
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toPrettyString());
        return dir;
    }

    static ParamSet paramSet(Map<String, int[]> shapes, Map<String, float[]> values, DType dtype, List<String> names) {
        ParamSet.Builder b = ParamSet.builder();
        for (String name : names) {
            long[] shape =
                    java.util.Arrays.stream(shapes.get(name)).asLongStream().toArray();
            b.put(name, encode(values.get(name), shape, dtype));
        }
        return b.build();
    }

    static Tensor encode(float[] v, long[] shape, DType dtype) {
        return switch (dtype) {
            case F32 -> Tensor.f32(shape, v);
            case F16, BF16 -> {
                ByteBuffer buf = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                for (float x : v) {
                    buf.putShort(dtype == DType.F16 ? Float.floatToFloat16(x) : toBf16(x));
                }
                yield Tensor.of(dtype, shape, buf.flip());
            }
            default -> throw new IllegalArgumentException(dtype.name());
        };
    }

    /** Round-to-nearest-even float32 → bfloat16, as torch's {@code .to(torch.bfloat16)}. */
    static short toBf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        int rounded = bits + 0x7fff + ((bits >>> 16) & 1);
        return (short) (rounded >>> 16);
    }

    /** The values as the given dtype stores them (rounded), back in float32. */
    static Map<String, float[]> rounded(Map<String, float[]> values, DType dtype) {
        Map<String, float[]> out = new LinkedHashMap<>();
        values.forEach((k, v) ->
                out.put(k, encode(v, new long[] {v.length}, dtype).toFloats()));
        return out;
    }
}
