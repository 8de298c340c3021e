package dev.atelier.zo.task;

/**
 * Correct out of n with its 95% Wilson score interval (z = 1.959964), which stays inside [0, 1]
 * and is sensible for small n and accuracies near 0 or 1, unlike the normal approximation.
 */
public record Accuracy(int correct, int n, double low, double high) {
    static final double Z = 1.959963984540054;

    public static Accuracy of(int correct, int n) {
        if (n <= 0 || correct < 0 || correct > n) {
            throw new IllegalArgumentException("accuracy needs 0 ≤ correct ≤ n, n > 0: " + correct + " / " + n);
        }
        double p = (double) correct / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Accuracy(correct, n, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    public double value() {
        return (double) correct / n;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.3f [%.3f, %.3f] (%d/%d)", value(), low, high, correct, n);
    }
}
