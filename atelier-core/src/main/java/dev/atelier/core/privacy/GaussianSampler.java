package dev.atelier.core.privacy;

import java.util.Objects;

/**
 * Continuous Gaussian noise from cryptographically secure bits: the Box–Muller transform
 * {@code z0 = sqrt(-2 ln u1) cos(2 pi u2)}, {@code z1 = sqrt(-2 ln u1) sin(2 pi u2)} on two
 * 53-bit uniforms ({@code u1} in (0, 1], {@code u2} in [0, 1)), with {@link StrictMath} so every
 * JVM produces the same numbers from the same bits. Both outputs are used.
 *
 * <p>Caveat (Mironov 2012, "On significance of the least significant bits for differential
 * privacy"): floating-point noise leaks through the pattern of representable values, so the
 * guarantee is the textbook one only up to that effect; where an exact guarantee matters (noise
 * added at nodes under secure aggregation) use {@link DiscreteGaussianSampler} on integers.
 * Not thread-safe (caches the second output): one sampler per thread.
 */
public final class GaussianSampler {
    private final RandomBits bits;
    private double spare;
    private boolean hasSpare;

    public GaussianSampler(RandomBits bits) {
        this.bits = Objects.requireNonNull(bits, "bits");
    }

    /** A sampler over the JDK's DRBG. */
    public static GaussianSampler secure() {
        return new GaussianSampler(RandomBits.secure());
    }

    /** One standard normal draw. */
    public double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(bits.nextOpenUnit()));
        double theta = 2.0 * StrictMath.PI * bits.nextUnit();
        spare = r * StrictMath.sin(theta);
        hasSpare = true;
        return r * StrictMath.cos(theta);
    }

    /** One draw of {@code N(0, stddev^2)}. */
    public double next(double stddev) {
        if (!(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("noise stddev must be finite and >= 0, got " + stddev);
        }
        return stddev * next();
    }
}
