package dev.atelier.core.privacy;

import java.util.ArrayList;
import java.util.List;

/**
 * Poisson sampling, the sampling the RDP accountant assumes: every candidate joins independently
 * with probability {@code q}, so the number sampled varies (and may be 0). Use it for nodes in
 * DP-FedAvg rounds and for examples in DP-SGD batches. Stateless.
 */
public final class PoissonSampling {
    private PoissonSampling() {}

    /** The candidates that joined, in their order. */
    public static <T> List<T> sample(List<T> candidates, double q, RandomBits bits) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("sampling rate must be in [0, 1], got " + q);
        }
        List<T> out = new ArrayList<>();
        for (T c : candidates) {
            if (bits.nextUnit() < q) {
                out.add(c);
            }
        }
        return out;
    }
}
