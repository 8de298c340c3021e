package dev.atelier.core.privacy;

import java.math.BigDecimal;
import java.math.BigInteger;

/** An exact fraction for the discrete Gaussian sampler's rejection step; always reduced, {@code den > 0}. */
record Rational(BigInteger num, BigInteger den) {
    Rational {
        if (den.signum() <= 0) {
            throw new IllegalArgumentException("denominator must be > 0");
        }
        BigInteger g = num.gcd(den);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            num = num.divide(g);
            den = den.divide(g);
        }
    }

    static Rational of(long num, long den) {
        return new Rational(BigInteger.valueOf(num), BigInteger.valueOf(den));
    }

    /** The exact value of a finite double (every double is a dyadic rational). */
    static Rational exact(double x) {
        BigDecimal d = new BigDecimal(x);
        return d.scale() <= 0
                ? new Rational(d.toBigIntegerExact(), BigInteger.ONE)
                : new Rational(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
    }

    Rational minus(Rational o) {
        return new Rational(num.multiply(o.den).subtract(o.num.multiply(den)), den.multiply(o.den));
    }

    Rational times(Rational o) {
        return new Rational(num.multiply(o.num), den.multiply(o.den));
    }

    Rational divide(Rational o) {
        return new Rational(num.multiply(o.den), den.multiply(o.num));
    }

    Rational divide(BigInteger k) {
        return new Rational(num, den.multiply(k));
    }
}
