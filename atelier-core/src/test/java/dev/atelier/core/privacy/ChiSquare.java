package dev.atelier.core.privacy;

/** Chi-square goodness of fit for the sampler and masking tests. */
final class ChiSquare {
    private ChiSquare() {}

    /** Pearson's statistic for observed counts against expected probabilities (summing to 1). */
    static double statistic(long[] observed, double[] probabilities) {
        long n = 0;
        for (long o : observed) {
            n += o;
        }
        double chi2 = 0;
        for (int i = 0; i < observed.length; i++) {
            double e = n * probabilities[i];
            chi2 += (observed[i] - e) * (observed[i] - e) / e;
        }
        return chi2;
    }

    /**
     * The upper critical value at significance 1e-4 (z = 3.719) by the Wilson–Hilferty
     * approximation {@code df (1 - 2/(9 df) + z sqrt(2/(9 df)))^3}, accurate to ~1% for df >= 3.
     */
    static double critical(int df) {
        double z = 3.719;
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }
}
