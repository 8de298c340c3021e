package dev.atelier.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Converts between a DJL {@link Block}'s parameters and a {@link ParamSet} with hierarchical,
 * glob-friendly names.
 *
 * <p>Naming: DJL names children {@code 01conv}, {@code 02bn}; the two-digit position prefix is
 * dropped and the rest lower-cased, so a child added as {@code "bn"} appears as {@code bn}
 * ({@code disc.block1.bn.gamma}). Where siblings would collide (a sequential block of several
 * {@code Conv2d}), the position is kept as a suffix: {@code conv2d_1}, {@code conv2d_3}. BatchNorm
 * running statistics ({@code runningMean}, {@code runningVar}) are parameters too and are included.
 */
public final class BlockParams {
    private BlockParams() {}

    /** All initialized parameters of {@code block} under {@code prefix} (may be empty), in block order. */
    public static ParamSet toParamSet(Block block, String prefix) {
        ParamSet.Builder b = ParamSet.builder();
        parameters(block, prefix).forEach((name, p) -> b.put(name, toTensor(p.getArray())));
        return b.build();
    }

    /** A float32 copy of {@code a} (same shape) as a {@link Tensor}. */
    public static Tensor toTensor(NDArray a) {
        return Tensor.f32(a.getShape().getShape(), a.toFloatArray());
    }

    /**
     * Copies values from {@code params} into the block's parameters of the same name, in place.
     * Names in the block but absent from {@code params} are left unchanged (partial loads, e.g.
     * only the shared discriminator); names in {@code params} the block lacks, or shape
     * mismatches, are errors.
     *
     * @return number of tensors loaded
     */
    public static int load(Block block, String prefix, ParamSet params) {
        Map<String, Parameter> mine = parameters(block, prefix);
        int loaded = 0;
        for (var e : params.asMap().entrySet()) {
            Parameter p = mine.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' does not exist in the model (it has "
                        + mine.size() + " parameters under '" + prefix + "')");
            }
            NDArray a = p.getArray();
            Shape want = a.getShape();
            long[] got = e.getValue().shape();
            if (!java.util.Arrays.equals(want.getShape(), got)) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape " + want
                        + " in the model but " + java.util.Arrays.toString(got) + " in the loaded set");
            }
            a.set(e.getValue().toFloats());
            loaded++;
        }
        return loaded;
    }

    /** Hierarchical name → parameter; the block must be initialized. */
    public static Map<String, Parameter> parameters(Block block, String prefix) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(block, prefix, out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getValue().getArray() == null) {
                throw new IllegalStateException("block under '" + prefix + "' is not initialized");
            }
            out.put(join(prefix, p.getKey()), p.getValue());
        }
        var children = block.getChildren();
        Map<String, Integer> counts = new HashMap<>();
        for (Pair<String, Block> c : children) {
            counts.merge(segment(c.getKey()), 1, Integer::sum);
        }
        for (Pair<String, Block> c : children) {
            String seg = segment(c.getKey());
            if (counts.get(seg) > 1) {
                seg = seg + "_" + Integer.parseInt(c.getKey().replaceAll("^(\\d+).*", "$1"));
            }
            collect(c.getValue(), join(prefix, seg), out);
        }
    }

    private static String segment(String childName) {
        return childName.replaceFirst("^\\d+", "").toLowerCase(Locale.ROOT);
    }

    private static String join(String prefix, String name) {
        return prefix == null || prefix.isEmpty() ? name : prefix + "." + name;
    }
}
