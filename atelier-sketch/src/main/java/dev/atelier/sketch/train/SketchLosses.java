package dev.atelier.sketch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.pooling.Pool;
import dev.atelier.ml.nn.layers.InstanceNorm;
import dev.atelier.ml.nn.layers.Scalars;
import java.util.List;

/**
 * The sketch GAN's loss terms, each a scalar NDArray (mean over the batch). Images are in
 * {@code [-1, 1]}; feature maps and Gram matrices come from the frozen encoder. Stateless.
 */
public final class SketchLosses {
    private static final double NORM_EPS = 1e-3;

    private SketchLosses() {}

    /** Critic hinge loss {@code mean(relu(1 − D(real))) + mean(relu(1 + D(fake)))} (Lim and Ye, 2017). */
    public static NDArray criticHinge(NDArray realScore, NDArray fakeScore) {
        return Activation.relu(realScore.neg().add(1f))
                .mean()
                .add(Activation.relu(fakeScore.add(1f)).mean());
    }

    /** Generator hinge loss {@code −mean(D(fake))}. */
    public static NDArray generatorHinge(NDArray fakeScore) {
        return fakeScore.mean().neg();
    }

    /** Gram loss: {@code Σ_s mean((G_s(generated) − G_s(reference))²)} over the encoder scales. */
    public static NDArray gram(List<NDArray> generated, List<NDArray> reference) {
        return gram(generated, reference, null);
    }

    /**
     * Weighted Gram loss {@code Σ_s f_s · mean((G_s(generated) − G_s(reference))²)}; {@code factors}
     * has one entry per scale (see {@link GramBalance}), null means 1 everywhere.
     */
    public static NDArray gram(List<NDArray> generated, List<NDArray> reference, float[] factors) {
        if (factors != null && factors.length != generated.size()) {
            throw new IllegalArgumentException(
                    "Gram loss needs one factor per scale, got " + factors.length + " for " + generated.size());
        }
        if (generated.size() != reference.size()) {
            throw new IllegalArgumentException("Gram loss needs as many scales on both sides, got " + generated.size()
                    + " and " + reference.size());
        }
        NDArray total = null;
        for (int s = 0; s < generated.size(); s++) {
            NDArray term = generated.get(s).sub(reference.get(s)).square().mean();
            if (factors != null && factors[s] != 1f) {
                term = Scalars.mul(term, factors[s]);
            }
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    /**
     * Semantic loss in the encoder's embedding (standing in for FedGAI's CLIP loss):
     * {@code mean(1 − cos(e_generated, e_target))} over the batch; embeddings {@code [B, D]}.
     */
    public static NDArray semantic(NDArray generated, NDArray target) {
        // x / max(‖x‖, ε): the gradient of a plain x/‖x‖ explodes for a near-zero embedding, which a
        // ReLU encoder produces for an almost blank sketch.
        NDArray g = generated.normalize(2, 1, NORM_EPS);
        NDArray t = target.normalize(2, 1, NORM_EPS);
        return g.mul(t).sum(new int[] {1}).neg().add(1f).mean();
    }

    /**
     * Content preservation: {@code mean((IN(f_generated) − IN(f_input))²)} at a shallow encoder
     * scale. Instance normalisation first, so the sketch is asked to keep the garment's spatial
     * structure, not its brightness (a sketch is mostly white paper, a garment mostly dark).
     *
     * @param generatedFeatures {@code f_generated [B, C, H, W]}
     * @param normalizedInput   {@code IN(f_input)}, already instance-normalised (a per-designer constant)
     */
    public static NDArray content(NDArray generatedFeatures, NDArray normalizedInput) {
        return InstanceNorm.normalize(generatedFeatures, InstanceNorm.DEFAULT_EPSILON)
                .sub(normalizedInput)
                .square()
                .mean();
    }

    /** Pixel L1 {@code mean(|generated − reference|)} in the images' [-1, 1] units. */
    public static NDArray l1(NDArray generated, NDArray reference) {
        return generated.sub(reference).abs().mean();
    }

    /** Windows per canvas side of {@link #densityL1}: 4 px at the demo's 32 px canvas. */
    public static final int DENSITY_WINDOWS = 8;

    /**
     * Ink-density L1: {@link #l1} between the local means of the two images over non-overlapping
     * windows of side {@code max(1, side / }{@value #DENSITY_WINDOWS}{@code )} (the canvas in
     * eighths, so it scales with the canvas; a remainder at the right and bottom edge is left out).
     * Where her marks fall at random (stipple dots placed by chance, chalk grain), pixel L1 is
     * minimised by leaving paper and says nothing about how much ink a region should hold; the
     * window means of random dots are predictable from the garment, so this term is. Never larger
     * than {@link #l1} of the same pair. Images {@code [B, C, H, W]} of equal shape.
     */
    public static NDArray densityL1(NDArray generated, NDArray reference) {
        if (!generated.getShape().equals(reference.getShape())) {
            throw new IllegalArgumentException(
                    "ink density needs equal shapes, got " + generated.getShape() + " and " + reference.getShape());
        }
        long side = Math.min(generated.getShape().get(2), generated.getShape().get(3));
        int k = (int) Math.max(1, side / DENSITY_WINDOWS);
        Shape window = new Shape(k, k);
        Shape none = new Shape(0, 0);
        return l1(
                Pool.avgPool2d(generated, window, window, none, false, true),
                Pool.avgPool2d(reference, window, window, none, false, true));
    }

    /**
     * Ink-distribution loss: per sketch, {@code mean(|sort(generated) − sort(reference)|)} over its
     * pixels, the 1-D Wasserstein-1 distance between the two grey-level distributions, averaged over
     * the batch. Position-free, unlike {@link #l1}: where a stroke's place is uncertain (faint
     * interior lines, dashes), pixel L1 is minimised by leaving paper (the median), while this term
     * asks for the same amount of each grey wherever the other terms put it. Never larger than
     * {@link #l1} of the same pair. Images {@code [B, C, H, W]} of equal shape.
     */
    public static NDArray inkDistribution(NDArray generated, NDArray reference) {
        if (!generated.getShape().equals(reference.getShape())) {
            throw new IllegalArgumentException("ink distribution needs equal shapes, got " + generated.getShape()
                    + " and " + reference.getShape());
        }
        long b = generated.getShape().get(0);
        return generated
                .reshape(b, -1)
                .sort(1)
                .sub(reference.reshape(b, -1).sort(1))
                .abs()
                .mean();
    }
}
