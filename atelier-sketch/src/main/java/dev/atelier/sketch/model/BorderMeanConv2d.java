package dev.atelier.sketch.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.atelier.ml.nn.layers.Arrays4d;

/**
 * A stride-1, same-size {@code k×k} convolution ({@code k} odd) whose padding is each input map's
 * own border mean instead of zero: the padded ring of channel {@code c} of sample {@code b} holds
 * the mean {@code m[b,c]} of that map's outermost row and column pixels. Computed exactly, without
 * building the padded map, by linearity:
 *
 * <pre>
 *   conv_m(x) = conv_0(x − m) + (Σ_{kh,kw} W) · m        m [B, C_in, 1, 1], (Σ W) [C_out, C_in]
 * </pre>
 * i.e. one subtraction on the input, the ordinary zero-padded convolution, and a {@code [B, C_in] ×
 * [C_in, C_out]} product added per output channel. A {@link Conv2d} itself, so its parameters keep
 * the names {@code weight} and {@code bias}, and a following BatchNorm sees the ordinary output.
 *
 * <p>Why: a zero-padded convolution can tell the canvas border from the interior (zero is no
 * feature value in particular) and its learned kernels are not mirror-symmetric, so the teacher's
 * generator drew a darker column on one side of a uniform input (which side depended on the
 * initialisation seed, the same for every designer of a demo). With border-mean padding a
 * spatially uniform map is padded with its own value, so uniform features give a uniform sketch
 * up to the border (like edge replication, {@link EdgePaddedConv2d}, which the border equals
 * wherever the border ring itself is uniform, as on a garment's black ground), at the cost of a
 * few per-channel operations instead of a gather over the whole map (generator forward + backward
 * +22% over zeros, edge replication +47%). Used with {@link DecoderPadding#BORDER_MEAN} (opt-in).
 */
final class BorderMeanConv2d extends Conv2d {
    private BorderMeanConv2d(Conv2d.Builder builder) {
        super(builder);
    }

    /** A stride-1, border-mean-padded {@code kernel×kernel} convolution to {@code outChannels}. */
    static BorderMeanConv2d of(int outChannels, int kernel) {
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("border-mean padded convolution needs an odd kernel, got " + kernel);
        }
        int pad = (kernel - 1) / 2;
        Conv2d.Builder b = Conv2d.builder();
        b.setFilters(outChannels).setKernelShape(new Shape(kernel, kernel)).optPadding(new Shape(pad, pad));
        return new BorderMeanConv2d(b);
    }

    /** {@link ConvKind} form ({@code in} is inferred at initialisation). */
    static BorderMeanConv2d of3(int in, int outChannels, int kernel) {
        return of(outChannels, kernel);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = Arrays4d.require4d(x, "BorderMeanConv2d");
        long b = s.get(0);
        long c = s.get(1);
        NDArray m = borderMean(x); // [B*C, 1]
        NDArray y = super.forwardInternal(ps, new NDList(x.sub(m.reshape(b, c, 1, 1))), training, params)
                .singletonOrThrow();
        // The kernel's spatial sums belong to the parameter's manager: move them to the step's.
        NDArray kernelSums =
                Arrays4d.scoped(ps.getValue(weight, x.getDevice(), training).sum(new int[] {2, 3}), x); // [C_out, C_in]
        NDArray shift = m.reshape(b, c).matMul(kernelSums.transpose()); // [B, C_out]
        return new NDList(y.add(shift.reshape(b, shift.getShape().get(1), 1, 1)));
    }

    /**
     * Mean of the outermost ring of pixels per sample and channel, as {@code [B·C, 1]}: one product
     * of the flattened maps with a {@code [H·W, 1]} vector holding {@code 1/ring size} on the ring and
     * 0 inside (one op forward and backward, where slicing the ring took nine). A map of one row or
     * column is all border.
     */
    static NDArray borderMean(NDArray x) {
        Shape s = Arrays4d.require4d(x, "border mean");
        int h = Math.toIntExact(s.get(2));
        int w = Math.toIntExact(s.get(3));
        float[] ring = new float[h * w];
        int count = h <= 2 || w <= 2 ? h * w : 2 * w + 2 * (h - 2);
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                if (i == 0 || i == h - 1 || j == 0 || j == w - 1) {
                    ring[i * w + j] = 1f / count;
                }
            }
        }
        NDArray weights = x.getManager().create(ring, new Shape((long) h * w, 1));
        return x.reshape(s.get(0) * s.get(1), (long) h * w).matMul(weights);
    }
}
