package dev.atelier.sketch.train;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the Gram loss is weighted for one designer, derived from her own sketches ({@link GramStats}),
 * never from a style's name. The trainer multiplies scale {@code s}'s
 * {@code mean((G_s(fake) − G_s(y))²)} by {@code factors(stats)[s]} before summing; the loss weight
 * {@code w_gram} multiplies the sum.
 *
 * <ul>
 *   <li>{@link #NONE}: factor 1 for every scale (the plain sum of squared errors).
 *   <li>{@link #SPREAD}: one factor for all scales, {@code REFERENCE_SPREAD / Σ_s spread_s}: the
 *       error is measured against how much her own sketches' Gram statistics vary. A designer whose
 *       sketches share one tight texture (regular dots, a constant wobble) must match it closely; one
 *       whose strokes vary a lot with the garment (hatching follows the garment's shape) is held to
 *       less, so her pixel and semantic terms keep their say. The scales keep their plain balance.
 *   <li>{@link #SCALE_SPREAD}: per scale, {@code REFERENCE_SPREAD / (K · spread_s)} for {@code K}
 *       scales: as {@link #SPREAD}, but each scale is normalised by its own spread, which also lifts
 *       the coarse scales (whose normalised Gram entries are small) to the fine ones' weight.
 * </ul>
 * {@link #REFERENCE_SPREAD} is a fixed constant, so the factor is a property of her data alone.
 */
public enum GramBalance {
    NONE,
    SPREAD,
    SCALE_SPREAD;

    /** A fixed scale, in Gram-entry² units, for the spread-based factors. */
    public static final double REFERENCE_SPREAD = 1e-4;

    /**
     * Bounds of a factor. The built-in designers' {@link #SPREAD} factors lie in 0.39–7.75 with the
     * default encoder at 32 px; outside this band the statistics are those of an unfamiliar encoder,
     * canvas or a handful of near-identical sketches, and an unbounded factor would let the Gram term
     * swamp every other loss (a 128 px folder of four sketches drove the generator to blank paper).
     */
    public static final float MIN_FACTOR = 0.1f;

    public static final float MAX_FACTOR = 10f;

    /** Floor on a spread, so identical sketches (zero spread) give a finite factor before clamping. */
    private static final double MIN_SPREAD = 1e-12;

    /** Per-scale factors for these statistics (finest first), each in {@code [MIN_FACTOR, MAX_FACTOR]}. */
    public float[] factors(GramStats stats) {
        int k = stats.scales();
        float[] f = new float[k];
        double[] v = stats.spread();
        double total = Arrays.stream(v).sum();
        for (int s = 0; s < k; s++) {
            double raw = switch (this) {
                case NONE -> 1;
                case SPREAD -> REFERENCE_SPREAD / Math.max(total, MIN_SPREAD);
                case SCALE_SPREAD -> REFERENCE_SPREAD / (k * Math.max(v[s], MIN_SPREAD));
            };
            f[s] = (float) Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, raw));
        }
        return f;
    }

    /** Lower-case name, as in settings and command lines. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #key()} (case-insensitive); a clear error names the choices. */
    public static GramBalance parse(String s) {
        for (GramBalance b : values()) {
            if (b.key().equalsIgnoreCase(s.strip())) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown Gram balance '" + s + "', expected one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT));
    }
}
