package dev.atelier.ml.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.SplittableRandom;

/**
 * A 2-D convolution whose kernel is divided by its largest singular value (spectral normalisation,
 * Miyato, Kataoka, Koyama, Yoshida, "Spectral Normalization for Generative Adversarial Networks",
 * ICLR 2018), re-estimated on every forward pass, which bounds the layer's Lipschitz constant by 1.
 *
 * <p>Math: with {@code W} reshaped to {@code [F, C·kh·kw]} and a persistent vector {@code u ∈ R^F},
 * each forward runs {@code n} power iterations {@code v = Wᵀu/‖Wᵀu‖, u = Wv/‖Wv‖} without gradient,
 * then {@code σ = uᵀWv} (with gradient w.r.t. {@code W}) and convolves with {@code W/σ}. In training
 * mode the new {@code u} is kept for the next pass (one iteration per step then tracks the slowly
 * changing weights, as in the paper); in inference mode it is not stored.
 *
 * <p>Parameters: {@code weight [F, C, kh, kw]} and {@code bias [F]} (both trained and shared like a
 * plain conv's); {@code u} is a node-local buffer, not a parameter, so it never appears in a
 * ParamSet. It starts from a fixed pseudo-random unit vector, so a fresh block is deterministic.
 * Input {@code [B, C, H, W]}, output {@code [B, F, H', W']} as for {@link Conv2d}. Not thread-safe.
 */
public final class SpectralNormConv2d extends AbstractBlock {
    private final int filters;
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;
    private final int powerIterations;
    private final float epsilon;
    private final Parameter weight;
    private final Parameter bias;
    private NDArray u;

    private SpectralNormConv2d(Builder b) {
        this.filters = b.filters;
        this.kernel = b.kernel;
        this.stride = b.stride;
        this.padding = b.padding;
        this.powerIterations = b.powerIterations;
        this.epsilon = b.epsilon;
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .build());
        this.bias = b.bias
                ? addParameter(Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .build())
                : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        long in = inputShapes[0].get(1);
        weight.setShape(new Shape(filters, in, kernel.get(0), kernel.get(1)));
        if (bias != null) {
            bias.setShape(new Shape(filters));
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        float[] start = new float[filters];
        SplittableRandom rng = new SplittableRandom(0x5eed_5eedL + filters);
        double norm = 0;
        for (int i = 0; i < filters; i++) {
            start[i] = (float) (rng.nextDouble() * 2 - 1);
            norm += start[i] * start[i];
        }
        for (int i = 0; i < filters; i++) {
            start[i] /= (float) Math.sqrt(norm);
        }
        u = manager.create(start, new Shape(filters, 1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray matrix = Arrays4d.scoped(w.reshape(filters, -1), x);
        NDArray frozen = matrix.stopGradient();
        NDArray uk = Arrays4d.scoped(u.duplicate(), x);
        NDArray v = null;
        for (int i = 0; i < powerIterations; i++) {
            v = unit(frozen.transpose().matMul(uk));
            uk = unit(frozen.matMul(v));
        }
        NDArray sigma = uk.mul(matrix.matMul(v)).sum();
        if (training) {
            NDArray kept = uk.duplicate();
            kept.attach(u.getManager());
            u.close();
            u = kept;
        }
        NDArray normalized = matrix.div(sigma).reshape(w.getShape());
        NDArray b = bias == null ? null : ps.getValue(bias, x.getDevice(), training);
        return Conv2d.conv2d(x, normalized, b, stride, padding, new Shape(1, 1));
    }

    private NDArray unit(NDArray vector) {
        return vector.div(vector.norm().add(epsilon));
    }

    /** Current estimate of the kernel's largest singular value, {@code uᵀWv} (no gradient). */
    public float sigma() {
        NDArray w = weight.getArray();
        try (NDManager m = w.getManager().newSubManager()) {
            NDArray matrix = w.reshape(filters, -1);
            matrix.attach(m);
            NDArray uk = u.duplicate();
            uk.attach(m);
            NDArray v = unit(matrix.transpose().matMul(uk));
            return uk.mul(matrix.matMul(v)).sum().getFloat();
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = (s.get(2) + 2 * padding.get(0) - kernel.get(0)) / stride.get(0) + 1;
        long w = (s.get(3) + 2 * padding.get(1) - kernel.get(1)) / stride.get(1) + 1;
        return new Shape[] {new Shape(s.get(0), filters, h, w)};
    }

    /** Builds a {@link SpectralNormConv2d}; filters and kernel are required. */
    public static final class Builder {
        private int filters;
        private Shape kernel;
        private Shape stride = new Shape(1, 1);
        private Shape padding = new Shape(0, 0);
        private boolean bias = true;
        private int powerIterations = 1;
        private float epsilon = 1e-12f;

        private Builder() {}

        public Builder setFilters(int filters) {
            this.filters = filters;
            return this;
        }

        public Builder setKernelShape(Shape kernel) {
            this.kernel = kernel;
            return this;
        }

        public Builder optStride(Shape stride) {
            this.stride = stride;
            return this;
        }

        public Builder optPadding(Shape padding) {
            this.padding = padding;
            return this;
        }

        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Power iterations per forward pass (default 1). */
        public Builder optPowerIterations(int n) {
            this.powerIterations = n;
            return this;
        }

        public SpectralNormConv2d build() {
            if (filters < 1) {
                throw new IllegalArgumentException("SpectralNormConv2d needs filters >= 1, got " + filters);
            }
            if (kernel == null || kernel.dimension() != 2) {
                throw new IllegalArgumentException("SpectralNormConv2d needs a 2-D kernel shape, got " + kernel);
            }
            if (stride.dimension() != 2 || padding.dimension() != 2) {
                throw new IllegalArgumentException("stride and padding must be 2-D, got " + stride + " and " + padding);
            }
            if (powerIterations < 1) {
                throw new IllegalArgumentException("power iterations must be >= 1, got " + powerIterations);
            }
            return new SpectralNormConv2d(this);
        }
    }

    /** The current power-iteration vector {@code u} ({@code [F, 1]}, a copy); null before initialisation. */
    public float[] powerIterationVector() {
        return u == null ? null : u.toFloatArray();
    }
}
