package dev.atelier.core.privacy;

import dev.atelier.core.aggregate.AggregationMath;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's model update {@code updated - base} over the floating-point tensors of
 * {@code updated}, flattened into one vector in the reply's name order: the object DP-FedAvg
 * clips, noises and measures (its L2 norm is the user-level sensitivity). {@link #applyTo}
 * rebuilds full parameters in each tensor's own dtype. Immutable.
 */
public final class ModelDelta {
    private final List<String> names;
    private final List<Tensor> specs;
    private final float[] values;

    private ModelDelta(List<String> names, List<Tensor> specs, float[] values) {
        this.names = names;
        this.specs = specs;
        this.values = values;
    }

    /**
     * @throws IllegalArgumentException when a tensor of {@code updated} is missing from
     *     {@code base}, differs in shape or dtype, or is not floating point (integer parameters
     *     cannot be clipped; leave them out of the shared set)
     */
    public static ModelDelta between(ParamSet updated, ParamSet base) {
        List<String> names = new ArrayList<>(updated.names());
        List<Tensor> specs = new ArrayList<>(names.size());
        long total = updated.numElements();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("update of " + total + " elements is too large to clip in one vector");
        }
        float[] v = new float[(int) total];
        int off = 0;
        for (String name : names) {
            Tensor u = updated.get(name);
            if (!u.dtype().isFloating()) {
                throw new IllegalArgumentException("cannot clip integer parameter '" + name + "' (" + u.dtype()
                        + "): exclude it from the shared set");
            }
            if (!base.contains(name) || !base.get(name).sameSpec(u)) {
                throw new IllegalArgumentException("parameter '" + name + "' of the update has no base of the same"
                        + " shape and dtype in the instruction");
            }
            float[] a = u.toFloats();
            float[] b = base.get(name).toFloats();
            for (int i = 0; i < a.length; i++) {
                v[off + i] = a[i] - b[i];
            }
            off += a.length;
            specs.add(u);
        }
        return new ModelDelta(List.copyOf(names), List.copyOf(specs), v);
    }

    /**
     * {@code updated - base} over exactly {@code base}'s tensors, in {@code base}'s order, so that
     * every node and the coordinator flatten the same model the same way (secure aggregation adds
     * the vectors coordinate by coordinate).
     *
     * @throws IllegalArgumentException when the two sets name different tensors, or as {@link #between}
     */
    public static ModelDelta inOrderOf(ParamSet updated, ParamSet base) {
        if (!updated.names().equals(base.names())) {
            throw new IllegalArgumentException("the update carries " + updated.size() + " tensors, the model "
                    + base.size() + ": every tensor of the model must come back, and no other");
        }
        ParamSet.Builder b = ParamSet.builder();
        base.names().forEach(n -> b.put(n, updated.get(n)));
        return between(b.build(), base);
    }

    /**
     * A delta over {@code base}'s tensors with the given flattened values (e.g. a dequantised sum).
     *
     * @throws IllegalArgumentException when a tensor is not floating point or the length differs
     */
    public static ModelDelta over(ParamSet base, float[] values) {
        if (values.length != base.numElements()) {
            throw new IllegalArgumentException(
                    "delta of " + values.length + " coordinates for a model of " + base.numElements());
        }
        List<Tensor> specs = new ArrayList<>();
        for (String name : base.names()) {
            Tensor t = base.get(name);
            if (!t.dtype().isFloating()) {
                throw new IllegalArgumentException("parameter '" + name + "' (" + t.dtype()
                        + ") is not floating point: exclude it from the shared set");
            }
            specs.add(t);
        }
        return new ModelDelta(List.copyOf(base.names()), List.copyOf(specs), values.clone());
    }

    /** Number of coordinates. */
    public int dimension() {
        return values.length;
    }

    /** A copy of the flattened update. */
    public float[] values() {
        return values.clone();
    }

    public double l2Norm() {
        double s = 0;
        for (float x : values) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    /** This update with every coordinate multiplied by {@code factor} and {@code noise[i]} added (noise may be null). */
    public ModelDelta scaledPlus(double factor, double[] noise) {
        if (noise != null && noise.length != values.length) {
            throw new IllegalArgumentException("noise has " + noise.length + " coordinates, update " + values.length);
        }
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (values[i] * factor + (noise == null ? 0 : noise[i]));
        }
        return new ModelDelta(names, specs, out);
    }

    /** {@code base + this}, for the names of this update, each tensor in its own dtype. */
    public ParamSet applyTo(ParamSet base) {
        ParamSet.Builder b = ParamSet.builder();
        int off = 0;
        for (int t = 0; t < names.size(); t++) {
            Tensor spec = specs.get(t);
            float[] x = base.get(names.get(t)).toFloats();
            for (int i = 0; i < x.length; i++) {
                x[i] += values[off + i];
            }
            off += x.length;
            b.put(names.get(t), AggregationMath.encode(spec.dtype(), spec.shape(), x));
        }
        return b.build();
    }
}
