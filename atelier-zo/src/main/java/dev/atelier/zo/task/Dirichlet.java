package dev.atelier.zo.task;

import java.util.SplittableRandom;

/**
 * Dirichlet(α, ..., α) draws from a {@link SplittableRandom} with {@link StrictMath} only, so a seed
 * gives the same store split on every JVM. Gamma(a) by Marsaglia and Tsang (2000), with the
 * Gamma(a + 1)·U^(1/a) boost for a < 1; Gaussians by Box-Muller. Not thread-safe (the random
 * source is not).
 */
final class Dirichlet {
    private final SplittableRandom rng;

    Dirichlet(long seed) {
        this.rng = new SplittableRandom(seed);
    }

    double[] draw(double alpha, int k) {
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("Dirichlet alpha must be a finite number > 0, got " + alpha);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) {
            p[i] = gamma(alpha);
            sum += p[i];
        }
        if (!(sum > 0)) { // every draw underflowed (tiny alpha): put all mass on one component
            p[rng.nextInt(k)] = 1;
            return p;
        }
        for (int i = 0; i < k; i++) {
            p[i] /= sum;
        }
        return p;
    }

    double gamma(double a) {
        if (a < 1) {
            return gamma(a + 1) * StrictMath.pow(open(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / StrictMath.sqrt(9 * d);
        while (true) {
            double x = gaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = open();
            if (StrictMath.log(u) < 0.5 * x * x + d - d * v + d * StrictMath.log(v)) {
                return d * v;
            }
        }
    }

    private double gaussian() {
        return StrictMath.sqrt(-2 * StrictMath.log(open())) * StrictMath.cos(2 * StrictMath.PI * rng.nextDouble());
    }

    /** Uniform in (0, 1). */
    private double open() {
        double u;
        do {
            u = rng.nextDouble();
        } while (u == 0);
        return u;
    }
}
