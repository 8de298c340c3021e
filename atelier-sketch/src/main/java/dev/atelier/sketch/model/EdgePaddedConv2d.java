package dev.atelier.sketch.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A stride-1 {@code k×k} convolution ({@code k} odd) that pads its input by replicating the edge
 * pixels ({@link EdgePad}) instead of with zeros, then convolves without padding: output
 * {@code [B, C_out, H, W]} for input {@code [B, C_in, H, W]}, like a same-padded {@link Conv2d}.
 * A {@link Conv2d} itself, so its parameters keep the names {@code weight} and {@code bias} and a
 * following BatchNorm sees only the {@code H×W} output, never a padded ring.
 *
 * <p>Why: a zero-padded 3×3 convolution can tell the canvas border from the interior, and its
 * learned kernels are not mirror-symmetric, so the teacher's generator drew a dark column 0 on
 * uniform input (issue 10; the encoder was fixed the same way in {@link FeatureNetEncoder}). Used
 * with {@link DecoderPadding#EDGE}.
 */
final class EdgePaddedConv2d extends Conv2d {
    private final int margin;

    private EdgePaddedConv2d(Conv2d.Builder builder, int margin) {
        super(builder);
        this.margin = margin;
    }

    /** A stride-1, edge-padded {@code kernel×kernel} convolution to {@code outChannels}. */
    static EdgePaddedConv2d of(int outChannels, int kernel) {
        if (kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("edge-padded convolution needs an odd kernel, got " + kernel);
        }
        Conv2d.Builder b = Conv2d.builder();
        b.setFilters(outChannels).setKernelShape(new Shape(kernel, kernel)).optPadding(new Shape(0, 0));
        return new EdgePaddedConv2d(b, (kernel - 1) / 2);
    }

    /** {@link ConvKind} form ({@code in} is inferred at initialisation). */
    static EdgePaddedConv2d of3(int in, int outChannels, int kernel) {
        return of(outChannels, kernel);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return super.forwardInternal(
                ps, new NDList(EdgePad.replicate(inputs.singletonOrThrow(), margin)), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape s = inputs[0];
        Shape padded = new Shape(s.get(0), s.get(1), s.get(2) + 2L * margin, s.get(3) + 2L * margin);
        return super.getOutputShapes(new Shape[] {padded});
    }
}
