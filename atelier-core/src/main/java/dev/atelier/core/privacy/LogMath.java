package dev.atelier.core.privacy;

/**
 * Log-space arithmetic and {@code log(erfc(x))} for the RDP accountant. The accountant sums
 * terms like {@code exp(700)} and {@code exp(-700)}, so everything stays in log space; the
 * helpers mirror TF-privacy's / Opacus' {@code _log_add}, {@code _log_sub} and
 * {@code _log_erfc} so the numbers agree with theirs. Stateless, thread-safe.
 */
final class LogMath {
    private static final double LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    /** Below this the series is exact enough (erfc >= 4.7e-3 loses < 3 digits); above, the fraction converges fast. */
    private static final double CF_FROM = 2.0;

    private LogMath() {}

    /** {@code log(exp(x) + exp(y))}; {@code -inf} is log 0. */
    static double logAdd(double x, double y) {
        double a = Math.min(x, y);
        double b = Math.max(x, y);
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        return Math.log1p(Math.exp(a - b)) + b;
    }

    /** {@code log(exp(x) - exp(y))} for {@code x >= y}. */
    static double logSub(double x, double y) {
        if (x < y) {
            throw new ArithmeticException("log-space subtraction would be negative: " + x + " < " + y);
        }
        if (y == Double.NEGATIVE_INFINITY) {
            return x;
        }
        if (x == y) {
            return Double.NEGATIVE_INFINITY;
        }
        double d = Math.expm1(x - y);
        // Python's math.expm1 overflows where Java's returns +inf; both then answer x.
        return Double.isInfinite(d) ? x : Math.log(d) + y;
    }

    /**
     * {@code log(erfc(x))}, accurate (relative error ~1e-13 or better) far into the upper tail
     * where {@code erfc} itself underflows: for {@code x >= 2} the continued fraction
     * {@code erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))} is
     * evaluated without the exponential; below, the all-positive series
     * {@code erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (2n+1)!!} (no cancellation).
     */
    static double logErfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (x >= CF_FROM) {
            return -x * x - LOG_SQRT_PI - Math.log(continuedFraction(x));
        }
        if (x <= -CF_FROM) {
            // erfc(x) = 2 - erfc(-x); erfc(-x) < 4.7e-3 here
            double tail = Math.exp(-x * x - LOG_SQRT_PI) / continuedFraction(-x);
            return Math.log(2.0 - tail);
        }
        double erf = erfSeries(Math.abs(x));
        return x >= 0 ? Math.log1p(-erf) : Math.log1p(erf);
    }

    /** {@code erf(x)} for {@code 0 <= x < 2} by the positive-term series. */
    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 500; n++) {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** {@code x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))} by the modified Lentz method, {@code x >= 2}. */
    private static double continuedFraction(double x) {
        final double tiny = 1e-300;
        double f = x;
        double c = f;
        double d = 0;
        for (int n = 1; n < 10_000; n++) {
            double a = n / 2.0;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            d = 1.0 / d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                return f;
            }
        }
        return f;
    }
}
