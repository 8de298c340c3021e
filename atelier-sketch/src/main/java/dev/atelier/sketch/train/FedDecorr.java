package dev.atelier.sketch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.atelier.ml.nn.layers.Scalars;

/**
 * FedDecorr (Shi, Liang, Zhang, Zhang, Wang, Zhao, "Towards Understanding and Mitigating
 * Dimensional Collapse in Heterogeneous Federated Learning", ICLR 2023): a regulariser that keeps
 * local representations from collapsing onto few dimensions under non-IID data by penalising the
 * correlation between feature dimensions.
 *
 * <p>For features {@code z ∈ R^{N×D}} ({@code N >= 2}): standardise each dimension over the batch,
 * {@code ẑ = (z − mean) / sqrt(var + ε)}; correlation {@code K = ẑᵀẑ / N} ({@code D×D}, unit
 * diagonal); loss {@code = Σ_{i≠j} K_ij² / (D(D−1))}, the mean squared off-diagonal correlation, in
 * [0, 1]. The trainer adds {@code β ·} this (β default 0.1) to the critic loss on its penultimate
 * features. Stateless.
 */
public final class FedDecorr {
    private static final float EPS = 1e-5f;

    private FedDecorr() {}

    /** The loss of {@code z [N, D]}; see the class comment. */
    public static NDArray loss(NDArray z) {
        Shape s = z.getShape();
        if (s.dimension() != 2 || s.get(0) < 2 || s.get(1) < 2) {
            throw new IllegalArgumentException("FedDecorr needs features [N >= 2, D >= 2], got " + s);
        }
        long n = s.get(0);
        long d = s.get(1);
        NDArray centered = z.sub(z.mean(new int[] {0}, true));
        NDArray standardized = centered.div(
                centered.square().mean(new int[] {0}, true).add(EPS).sqrt());
        NDArray corr = Scalars.div(standardized.transpose().matMul(standardized), (float) n);
        NDArray squares = corr.square();
        NDArray diagonal = squares.mul(z.getManager().eye((int) d)).sum();
        return Scalars.div(squares.sum().sub(diagonal), (float) (d * (d - 1)));
    }
}
