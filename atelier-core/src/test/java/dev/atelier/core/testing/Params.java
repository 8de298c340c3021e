package dev.atelier.core.testing;

import dev.atelier.core.aggregate.TensorSpec;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.Map;

/** Small parameter sets and element-wise maps for tests. */
public final class Params {
    private Params() {}

    @FunctionalInterface
    public interface FloatOp {
        float apply(float x);
    }

    /** A two-tensor model: {@code layer.w} [2, 3] = 1..6 and {@code layer.b} [3] = -1, 0, 0.5. */
    public static ParamSet small() {
        return ParamSet.builder()
                .putF32("layer.w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})
                .putF32("layer.b", new long[] {3}, new float[] {-1, 0, 0.5f})
                .build();
    }

    /** One flat F32 tensor named {@code w}. */
    public static ParamSet vector(float... values) {
        return ParamSet.builder()
                .putF32("w", new long[] {values.length}, values)
                .build();
    }

    /** {@code op} applied to every element, dtypes and shapes kept. */
    public static ParamSet map(ParamSet p, FloatOp op) {
        ParamSet.Builder b = ParamSet.builder();
        p.asMap().forEach((name, t) -> {
            float[] v = t.toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] = op.apply(v[i]);
            }
            b.put(name, TensorSpec.of(t).encode(v));
        });
        return b.build();
    }

    /** All elements in parameter order. */
    public static float[] flat(ParamSet p) {
        float[] out = new float[Math.toIntExact(p.numElements())];
        int pos = 0;
        for (Tensor t : p.asMap().values()) {
            float[] v = t.toFloats();
            System.arraycopy(v, 0, out, pos, v.length);
            pos += v.length;
        }
        return out;
    }

    public static Reply reply(String node, ParamSet params, long examples) {
        return new Reply(node, 1, params, examples, Map.of(), null);
    }
}
