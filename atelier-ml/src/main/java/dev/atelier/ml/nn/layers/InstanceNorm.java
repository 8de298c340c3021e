package dev.atelier.ml.nn.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Instance normalisation without affine parameters (Ulyanov, Vedaldi, Lempitsky, "Instance
 * Normalization: The Missing Ingredient for Fast Stylization", 2016), which DJL lacks.
 *
 * <p>Every channel of every example is normalised over its spatial positions:
 * {@code y[b,c,h,w] = (x[b,c,h,w] − μ[b,c]) / sqrt(σ²[b,c] + ε)} with {@code μ} the mean and
 * {@code σ²} the biased variance over {@code H·W}. Input and output {@code [B, C, H, W]}.
 * Parameter-free and stateless: training and inference behave the same. Thread-safe.
 */
public final class InstanceNorm extends AbstractBlock {
    /** Default ε, as in PyTorch's {@code InstanceNorm2d}. */
    public static final float DEFAULT_EPSILON = 1e-5f;

    private final float epsilon;

    private InstanceNorm(Builder builder) {
        this.epsilon = builder.epsilon;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The normalisation as a function; see the class comment. */
    public static NDArray normalize(NDArray x, float epsilon) {
        Shape s = Arrays4d.require4d(x, "InstanceNorm");
        // DJL's multi-axis mean fails on PyTorch: flatten space to one axis first.
        NDArray flat = x.reshape(s.get(0), s.get(1), -1);
        NDArray centered = flat.sub(flat.mean(new int[] {2}, true));
        NDArray variance = centered.square().mean(new int[] {2}, true);
        return centered.div(variance.add(epsilon).sqrt()).reshape(s);
    }

    public float epsilon() {
        return epsilon;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(normalize(inputs.singletonOrThrow(), epsilon));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /** Builds an {@link InstanceNorm}. */
    public static final class Builder {
        private float epsilon = DEFAULT_EPSILON;

        private Builder() {}

        /** Added to the variance for stability; must be positive. */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public InstanceNorm build() {
            if (!(epsilon > 0)) {
                throw new IllegalArgumentException("InstanceNorm epsilon must be > 0, got " + epsilon);
            }
            return new InstanceNorm(this);
        }
    }
}
