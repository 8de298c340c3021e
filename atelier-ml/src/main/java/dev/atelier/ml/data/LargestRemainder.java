package dev.atelier.ml.data;

/** The largest-remainder (Hamilton) method of splitting whole units by weight. Stateless. */
final class LargestRemainder {

    private LargestRemainder() {}

    /**
     * Splits {@code total} units in proportion to non-negative {@code weights} (largest remainder
     * method): every share is the floor of its quota, and the leftover units go to the largest fractional
     * parts, ties to the lower index. The result sums to exactly {@code total}.
     */
    static int[] apportion(double[] weights, int total) {
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
            }
            sum += w;
        }
        int n = weights.length;
        int[] out = new int[n];
        if (total == 0 || n == 0) {
            return out;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("cannot apportion " + total + " units over zero weights");
        }
        double[] frac = new double[n];
        int given = 0;
        for (int i = 0; i < n; i++) {
            double quota = weights[i] / sum * total;
            out[i] = (int) Math.floor(quota);
            frac[i] = quota - out[i];
            given += out[i];
        }
        // floating-point rounding can leave the floors a few units short (never over)
        for (int left = total - given; left > 0; left--) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (frac[i] > frac[best]) {
                    best = i;
                }
            }
            out[best]++;
            frac[best] = -1;
        }
        return out;
    }
}
