package dev.atelier.core.privacy;

/**
 * Clipping to an L2 ball: {@code x * min(1, C / ||x||)}, the step that bounds one contribution's
 * sensitivity to {@code C} (Abadi et al. 2016 per example; McMahan et al. 2018, "Learning
 * Differentially Private Recurrent Language Models", per user). Stateless.
 */
public final class L2Clip {
    private L2Clip() {}

    /** The factor that brings a vector of norm {@code norm} inside the ball of radius {@code clipNorm}. */
    public static double factor(double norm, double clipNorm) {
        requireClipNorm(clipNorm);
        if (!(norm >= 0)) {
            throw new IllegalArgumentException("norm must be >= 0, got " + norm);
        }
        return norm <= clipNorm ? 1.0 : clipNorm / norm;
    }

    static void requireClipNorm(double clipNorm) {
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be finite and > 0, got " + clipNorm);
        }
    }
}
