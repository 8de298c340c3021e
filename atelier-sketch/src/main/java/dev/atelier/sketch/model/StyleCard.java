package dev.atelier.sketch.model;

import dev.atelier.core.aggregate.AggregationMath;
import dev.atelier.core.params.ParamSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A designer's <em>style card</em>: per encoder scale, the channel means and standard deviations of
 * the encoder features of the designer's real sketches, pooled over all sketches and positions.
 * AdaIN_SD re-scales garment features with these statistics, so the card is what makes the
 * generator draw in this designer's style; cards can be shared (opt-in) and blended.
 *
 * <p>As a {@link ParamSet}: {@code style.s1.mean [C1]}, {@code style.s1.std [C1]}, ...,
 * {@code style.sK.std [CK]}, scale 1 the finest. Immutable, thread-safe.
 */
public final class StyleCard {
    public static final String PREFIX = "style";
    private final float[][] means;
    private final float[][] stds;

    /**
     * @param means per scale, channel means
     * @param stds  per scale, channel standard deviations ({@code >= 0}), same shapes as {@code means}
     */
    public StyleCard(List<float[]> means, List<float[]> stds) {
        if (means.isEmpty() || means.size() != stds.size()) {
            throw new IllegalArgumentException(
                    "a style card needs the same non-zero number of mean and std vectors, got " + means.size() + " and "
                            + stds.size());
        }
        this.means = new float[means.size()][];
        this.stds = new float[stds.size()][];
        for (int s = 0; s < means.size(); s++) {
            float[] m = means.get(s).clone();
            float[] d = stds.get(s).clone();
            if (m.length != d.length || m.length == 0) {
                throw new IllegalArgumentException(
                        "scale " + (s + 1) + ": " + m.length + " means but " + d.length + " stds");
            }
            for (int c = 0; c < m.length; c++) {
                if (!Float.isFinite(m[c]) || !Float.isFinite(d[c]) || d[c] < 0) {
                    throw new IllegalArgumentException("scale " + (s + 1) + " channel " + c + ": mean " + m[c]
                            + ", std " + d[c] + " (must be finite, std >= 0)");
                }
            }
            this.means[s] = m;
            this.stds[s] = d;
        }
    }

    /** Reads {@code style.s1.mean ... style.sK.std}; other names are ignored. */
    public static StyleCard fromParamSet(ParamSet params) {
        List<float[]> m = new ArrayList<>();
        List<float[]> d = new ArrayList<>();
        for (int s = 1; params.contains(name(s, "mean")); s++) {
            m.add(params.get(name(s, "mean")).toFloats());
            if (!params.contains(name(s, "std"))) {
                throw new IllegalArgumentException(
                        "style card has '" + name(s, "mean") + "' but no '" + name(s, "std") + "'");
            }
            d.add(params.get(name(s, "std")).toFloats());
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException(
                    "no style card in the parameter set (expected '" + name(1, "mean") + "')");
        }
        return new StyleCard(m, d);
    }

    private static String name(int scale, String stat) {
        return PREFIX + ".s" + scale + "." + stat;
    }

    public ParamSet toParamSet() {
        ParamSet.Builder b = ParamSet.builder();
        for (int s = 0; s < means.length; s++) {
            b.putF32(name(s + 1, "mean"), new long[] {means[s].length}, means[s]);
            b.putF32(name(s + 1, "std"), new long[] {stds[s].length}, stds[s]);
        }
        return b.build();
    }

    public int scales() {
        return means.length;
    }

    /** Channel means of scale {@code s} (0 = finest), a copy. */
    public float[] mean(int s) {
        return means[s].clone();
    }

    /** Channel standard deviations of scale {@code s} (0 = finest), a copy. */
    public float[] std(int s) {
        return stds[s].clone();
    }

    /** Channels per scale. */
    public int[] channels() {
        return Arrays.stream(means).mapToInt(m -> m.length).toArray();
    }

    /**
     * {@code a·this + (1−a)·other}, component-wise for means and standard deviations: {@code a = 1}
     * is this card, {@code a = 0} the other (e.g. the federation's average card).
     */
    public StyleCard blend(StyleCard other, double a) {
        if (!(a >= 0 && a <= 1)) {
            throw new IllegalArgumentException("blend weight must be in [0, 1], got " + a);
        }
        return average(List.of(this, other), new double[] {a, 1 - a});
    }

    /**
     * The weighted mean of cards with equal channel layouts, per scale for means and standard
     * deviations ({@link AggregationMath#weightedMean(List, double[])}); weights {@code >= 0} with a
     * positive sum.
     */
    public static StyleCard average(List<StyleCard> cards, double[] weights) {
        if (cards.isEmpty() || cards.size() != weights.length) {
            throw new IllegalArgumentException(
                    "need one weight per card, got " + cards.size() + " cards and " + weights.length + " weights");
        }
        int[] layout = cards.get(0).channels();
        for (int k = 0; k < cards.size(); k++) {
            if (!Arrays.equals(cards.get(k).channels(), layout)) {
                throw new IllegalArgumentException("style card " + k + " has channels "
                        + Arrays.toString(cards.get(k).channels()) + ", expected " + Arrays.toString(layout));
            }
        }
        List<float[]> m = new ArrayList<>();
        List<float[]> d = new ArrayList<>();
        for (int s = 0; s < layout.length; s++) {
            int scale = s;
            m.add(AggregationMath.weightedMean(
                    cards.stream().map(c -> c.means[scale]).toList(), weights));
            d.add(AggregationMath.weightedMean(
                    cards.stream().map(c -> c.stds[scale]).toList(), weights));
        }
        return new StyleCard(m, d);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StyleCard c && Arrays.deepEquals(means, c.means) && Arrays.deepEquals(stds, c.stds);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.deepHashCode(means) + Arrays.deepHashCode(stds);
    }

    @Override
    public String toString() {
        return "StyleCard" + Arrays.toString(channels());
    }
}
