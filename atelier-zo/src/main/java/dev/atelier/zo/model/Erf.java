package dev.atelier.zo.model;

/**
 * The error function in double precision (the JDK has none): its Maclaurin series below |x| = 3,
 * the continued fraction of erfc from 3 to 6, and ±1 beyond (erfc(6) &lt; 3e-17). Accurate to
 * about 1e-13 absolute, far below float32 resolution, which is all {@link Activation#GELU} needs.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private Erf() {}

    static double erf(double x) {
        double a = Math.abs(x);
        double r;
        if (a < 3) {
            double term = a;
            double sum = a;
            double x2 = a * a;
            for (int n = 1; n < 100 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            r = TWO_OVER_SQRT_PI * sum;
        } else if (a < 6) {
            double f = a;
            for (int k = 60; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            r = 1 - Math.exp(-a * a) / (Math.sqrt(Math.PI) * f);
        } else {
            r = 1;
        }
        return x < 0 ? -r : r;
    }
}
