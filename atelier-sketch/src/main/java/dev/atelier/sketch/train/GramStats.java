package dev.atelier.sketch.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.GramMatrix;
import dev.atelier.sketch.model.SketchGan;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Per-scale statistics of the normalised Gram matrices of one designer's own sketches under the
 * frozen encoder (what {@link GramBalance} derives the per-scale Gram loss factors from): for scale
 * {@code s} with Gram matrices {@code G_s(y_i) ∈ R^{C×C}} of her {@code n} sketches,
 * <pre>
 *   energy_s = (1/n) Σ_i mean(G_s(y_i)²)                 how large her style statistics are
 *   spread_s = (1/n) Σ_i mean((G_s(y_i) − Ḡ_s)²)         how much they vary between her sketches
 * </pre>
 * ({@code mean} over the {@code C²} entries, {@code Ḡ_s} her mean Gram matrix). Both are in the
 * Gram loss's own units (a squared normalised Gram entry), so {@code mse_s / energy_s} is a relative
 * error. Computed from the data only, never from a style's name. Immutable.
 *
 * @param energy per scale, finest first, {@code > 0} unless every feature is zero
 * @param spread per scale, finest first, {@code >= 0}
 */
public record GramStats(double[] energy, double[] spread) {
    private static final int CHUNK = 64;

    public GramStats {
        if (energy.length != spread.length || energy.length == 0) {
            throw new IllegalArgumentException("Gram statistics need one energy and one spread per scale, got "
                    + energy.length + " and " + spread.length);
        }
        energy = energy.clone();
        spread = spread.clone();
    }

    /** Encodes {@code sketches} (the model's canvas, [0,1]) in chunks and measures every scale. */
    public static GramStats of(SketchGan gan, List<float[]> sketches) {
        if (sketches.isEmpty()) {
            throw new IllegalArgumentException("Gram statistics need at least one sketch");
        }
        int n = sketches.size();
        double[] energy = null;
        NDArray[] sum = null;
        try (NDManager m = gan.manager().newSubManager()) {
            // Two passes over chunks: means first, then squared deviations from them.
            for (int start = 0; start < n; start += CHUNK) {
                try (NDManager chunk = m.newSubManager()) {
                    List<NDArray> grams = grams(gan, chunk, sketches, start, n);
                    if (energy == null) {
                        energy = new double[grams.size()];
                        sum = new NDArray[grams.size()];
                    }
                    for (int s = 0; s < grams.size(); s++) {
                        NDArray g = grams.get(s);
                        energy[s] += g.square().mean().getFloat() * g.getShape().get(0);
                        NDArray part = g.sum(new int[] {0});
                        if (sum[s] == null) {
                            sum[s] = part;
                            part.attach(m);
                        } else {
                            NDArray next = sum[s].add(part);
                            next.attach(m);
                            sum[s] = next;
                        }
                    }
                }
            }
            double[] spread = new double[energy.length];
            NDArray[] mean = new NDArray[sum.length];
            for (int s = 0; s < sum.length; s++) {
                mean[s] = sum[s].div(n);
                energy[s] /= n;
            }
            for (int start = 0; start < n; start += CHUNK) {
                try (NDManager chunk = m.newSubManager()) {
                    List<NDArray> grams = grams(gan, chunk, sketches, start, n);
                    for (int s = 0; s < grams.size(); s++) {
                        NDArray g = grams.get(s);
                        spread[s] += g.sub(mean[s]).square().mean().getFloat()
                                * g.getShape().get(0);
                    }
                }
            }
            for (int s = 0; s < spread.length; s++) {
                spread[s] /= n;
            }
            return new GramStats(energy, spread);
        }
    }

    private static List<NDArray> grams(SketchGan gan, NDManager chunk, List<float[]> sketches, int start, int n) {
        int len = Math.min(CHUNK, n - start);
        int[] idx = new int[len];
        for (int i = 0; i < len; i++) {
            idx[i] = start + i;
        }
        NDList f = gan.encode(Images.batch(chunk, sketches, idx));
        return GramMatrix.ofAll(f);
    }

    public int scales() {
        return energy.length;
    }

    @Override
    public double[] energy() {
        return energy.clone();
    }

    @Override
    public double[] spread() {
        return spread.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "GramStats[energy=%s, spread=%s]", fmt(energy), fmt(spread));
    }

    private static String fmt(double[] v) {
        return Arrays.stream(v)
                .mapToObj(x -> String.format(Locale.ROOT, "%.3g", x))
                .toList()
                .toString();
    }
}
