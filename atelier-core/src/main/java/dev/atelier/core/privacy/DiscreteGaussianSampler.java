package dev.atelier.core.privacy;

import java.math.BigInteger;
import java.util.Objects;

/**
 * Exact samples of the discrete Gaussian {@code N_Z(0, sigma^2)}, {@code P[x] ∝ exp(-x^2 / (2 sigma^2))}
 * over the integers, for noise that nodes add to quantised updates under secure aggregation
 * (distributed DP: the sum of the nodes' noise is what protects, so it must be exact integers).
 *
 * <p>Algorithm: Canonne, Kamath, Steinke 2020, "The Discrete Gaussian for Differential Privacy"
 * (NeurIPS; arXiv:2004.00010), Algorithms 1–3: Bernoulli({@code exp(-gamma)}) by the alternating
 * series trick, a discrete Laplace with scale {@code t = floor(sigma) + 1} from geometric draws,
 * then rejection with probability {@code exp(-(|y| - sigma^2/t)^2 / (2 sigma^2))}. All arithmetic is
 * exact ({@link Rational}, {@link BigInteger}) and every coin comes from {@link RandomBits#nextBelow},
 * so the output distribution is exactly the discrete Gaussian (no floating point). Expected cost
 * is a few dozen coins per sample. Not thread-safe (owns its bit source).
 */
public final class DiscreteGaussianSampler {
    private final RandomBits bits;
    private final Rational sigma2;
    private final BigInteger t;
    private final Rational sigma2OverT;
    private final Rational twoSigma2;

    /** @param sigmaSquared the variance parameter {@code sigma^2 > 0}, exactly as the double given */
    public DiscreteGaussianSampler(double sigmaSquared, RandomBits bits) {
        this(requirePositive(sigmaSquared), bits);
    }

    private DiscreteGaussianSampler(Rational sigma2, RandomBits bits) {
        this.bits = Objects.requireNonNull(bits, "bits");
        this.sigma2 = sigma2;
        this.t = floorSqrt(sigma2).add(BigInteger.ONE);
        this.sigma2OverT = sigma2.divide(t);
        this.twoSigma2 = sigma2.times(Rational.of(2, 1));
    }

    private static Rational requirePositive(double s2) {
        if (!(s2 > 0) || Double.isInfinite(s2)) {
            throw new IllegalArgumentException("discrete Gaussian sigma^2 must be finite and > 0, got " + s2);
        }
        return Rational.exact(s2);
    }

    /** One sample. */
    public long next() {
        while (true) {
            long y = discreteLaplace();
            Rational d = Rational.of(Math.abs(y), 1).minus(sigma2OverT);
            Rational bias = d.times(d).divide(twoSigma2);
            if (bernoulliExp(bias)) {
                return y;
            }
        }
    }

    /** The variance parameter as given. */
    public double sigmaSquared() {
        return sigma2.num().doubleValue() / sigma2.den().doubleValue();
    }

    /** Bernoulli(num / den), {@code 0 <= num <= den}: one uniform draw below {@code den}. */
    private boolean bernoulli(BigInteger num, BigInteger den) {
        if (den.bitLength() < 63) {
            return bits.nextBelow(den.longValue()) < num.longValue();
        }
        return bits.nextBelow(den).compareTo(num) < 0;
    }

    /** Bernoulli(exp(-num/den)) for num/den in [0, 1]: K = first k with Bernoulli(gamma/k) = 0; return K odd. */
    private boolean bernoulliExpAtMostOne(BigInteger num, BigInteger den) {
        long k = 1;
        while (bernoulli(num, den.multiply(BigInteger.valueOf(k)))) {
            k++;
        }
        return (k & 1) == 1;
    }

    /** Bernoulli(exp(-gamma)) for gamma >= 0, as a product of exp(-1) coins and one exp(-frac) coin. */
    private boolean bernoulliExp(Rational gamma) {
        BigInteger num = gamma.num();
        BigInteger den = gamma.den();
        while (num.compareTo(den) > 0) {
            if (!bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE)) {
                return false;
            }
            num = num.subtract(den);
        }
        return bernoulliExpAtMostOne(num, den);
    }

    /** Geometric: number of exp(-1) successes before the first failure. */
    private long geometricSlowExpOne() {
        long k = 0;
        while (bernoulliExpAtMostOne(BigInteger.ONE, BigInteger.ONE)) {
            k++;
        }
        return k;
    }

    /** Geometric with parameter 1 - exp(-s/t), s/t > 0 (CKS Algorithm 2's inner loop). */
    private long geometricFast(BigInteger s, BigInteger t) {
        BigInteger u;
        do {
            u = bits.nextBelow(t);
        } while (!bernoulliExpAtMostOne(u, t));
        long v = geometricSlowExpOne();
        return BigInteger.valueOf(v).multiply(t).add(u).divide(s).longValueExact();
    }

    /** Discrete Laplace with {@code P[y] ∝ exp(-|y| / t)} for the integer scale {@code t}. */
    private long discreteLaplace() {
        while (true) {
            boolean negative = (bits.nextLong() & 1) == 1;
            long magnitude = geometricFast(BigInteger.ONE, t);
            if (negative && magnitude == 0) {
                continue;
            }
            return negative ? -magnitude : magnitude;
        }
    }

    /** floor(sqrt(x)) = floor(sqrt(floor(x))) since n <= sqrt(x) iff n^2 <= floor(x) for integers n. */
    private static BigInteger floorSqrt(Rational x) {
        return x.num().divide(x.den()).sqrt();
    }
}
