package dev.atelier.core.privacy;

/**
 * What central noise did to one aggregate: the diagnostic the issue asks to report next to epsilon.
 *
 * @param signalNorm L2 norm of the clean sum (the coordinator holds it in central DP; do not
 *     publish it beyond the trusted coordinator — publish {@link #snr()} rounded, or the bound)
 * @param noiseNorm L2 norm of the noise actually added
 * @param noiseStddev per-coordinate standard deviation {@code z C}
 * @param clipNorm the clip norm {@code C}
 * @param dimension number of coordinates
 */
public record NoiseReport(double signalNorm, double noiseNorm, double noiseStddev, double clipNorm, long dimension) {
    /** Signal-to-noise ratio of the noisy sum: {@code ||sum|| / ||noise||}. */
    public double snr() {
        return noiseNorm == 0 ? Double.POSITIVE_INFINITY : signalNorm / noiseNorm;
    }

    /** Noise norm in units of the clip norm; ~{@code z sqrt(d)}, "hundreds of C" for real models. */
    public double noiseNormOverClip() {
        return noiseNorm / clipNorm;
    }

    /** The best possible SNR given the clip: {@code n C / (z C sqrt(d))} for {@code n} agreeing clipped updates. */
    public static double snrBound(int contributors, double noiseMultiplier, long dimension) {
        return contributors / (noiseMultiplier * Math.sqrt(dimension));
    }
}
