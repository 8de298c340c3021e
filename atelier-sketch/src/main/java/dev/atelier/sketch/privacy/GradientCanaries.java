package dev.atelier.sketch.privacy;

import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gradient canaries, the worst-case records of DP auditing: records whose critic gradient is a
 * fixed random direction of norm {@code C} (the DP-SGD clip norm) over the shared critic, each put
 * in its designer's training by a seeded fair coin. Nasr et al. 2023 ("Tight auditing of
 * differentially private machine learning") audit DP-SGD with such "Dirac"/gradient canaries; Andrew
 * et al. 2024 ("One-shot empirical privacy estimation for federated learning") estimate the privacy
 * of federated training from random canary updates and the cosine of the model's change with each.
 *
 * <p>What they show differs from sample canaries ({@link Canaries}): whether what the coordinator
 * sees (each designer's update, or only the aggregate) carries a record-level signal the size the
 * clip norm allows, and how much of it DP-SGD removes — an upper bound on what any record can leak
 * through the same view, not whether FedGAI's critic memorises sketches (a real sketch's gradient is
 * neither this large nor this persistent). Under DP-SGD each is an ordinary record (sampled at the
 * same rate, clipped, noised, accounted), so the one-run epsilon lower bound on them
 * ({@link OneRunAudit}) must stay below the accountant's epsilon.
 *
 * @param in  the directions (scaled to norm {@code C}) of the canaries she trains on
 * @param out directions drawn alike that she does not
 */
public record GradientCanaries(List<ParamSet> in, List<ParamSet> out) {
    /** No gradient canaries. */
    public static final GradientCanaries NONE = new GradientCanaries(List.of(), List.of());

    public GradientCanaries {
        in = List.copyOf(in);
        out = List.copyOf(out);
        if (!in.isEmpty() || !out.isEmpty()) {
            if (in.size() < 2 || out.size() < 2) {
                throw new IllegalArgumentException(
                        "gradient canaries need >= 2 in and >= 2 out, got " + in.size() + " and " + out.size());
            }
        }
    }

    /** Total canaries. */
    public int count() {
        return in.size() + out.size();
    }

    /**
     * {@code count} random directions over the float tensors of {@code sharedCritic} (Gaussian
     * entries from a seeded {@link SplittableRandom}, scaled to L2 norm {@code norm}), each in with
     * probability 1/2, the coins drawn again until at least 2 are in and 2 out.
     *
     * @throws IllegalArgumentException if {@code count < 4} or {@code norm} is not positive
     */
    public static GradientCanaries draw(ParamSet sharedCritic, int count, double norm, long seed) {
        if (count < 4) {
            throw new IllegalArgumentException("need >= 4 gradient canaries per designer, got " + count);
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("the gradient canaries' norm must be > 0, got " + norm);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<ParamSet> all = new ArrayList<>();
        List<ParamSet> in = new ArrayList<>();
        List<ParamSet> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ParamSet u = direction(sharedCritic, norm, rng.split());
            all.add(u);
            (rng.nextBoolean() ? in : out).add(u);
        }
        // Coins again until at least 2 are in and 2 out (an audit needs both; with 16 canaries that
        // happens for ~1 designer in 2000). The condition is symmetric in the canaries, so in and
        // out stay exchangeable, which is what the permutation null needs.
        while (in.size() < 2 || out.size() < 2) {
            in = new ArrayList<>();
            out = new ArrayList<>();
            for (ParamSet u : all) {
                (rng.nextBoolean() ? in : out).add(u);
            }
        }
        return new GradientCanaries(in, out);
    }

    private static ParamSet direction(ParamSet like, double norm, SplittableRandom rng) {
        Map<String, Tensor> tensors = like.asMap();
        List<float[]> values = new ArrayList<>();
        double sq = 0;
        for (Tensor t : tensors.values()) {
            float[] v = new float[Math.toIntExact(t.numElements())];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) rng.nextGaussian();
                sq += (double) v[k] * v[k];
            }
            values.add(v);
        }
        double scale = norm / Math.sqrt(sq);
        ParamSet.Builder b = ParamSet.builder();
        int i = 0;
        for (var e : tensors.entrySet()) {
            float[] v = values.get(i++);
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) (v[k] * scale);
            }
            b.put(e.getKey(), Tensor.f32(e.getValue().shape(), v));
        }
        return b.build();
    }

    /**
     * The coordinator's statistic for every canary (in first, then out): over rounds, the cosine of
     * the round's descent {@code before_r − after_r} with the canary's direction, summed. A record's
     * gradient pushes the weights against it, so an in-canary's cosines lean positive (Adam scales
     * each weight's step by a positive factor, which keeps the sign); an out-canary's are chance.
     */
    public double[] scores(List<ParamSet> before, List<ParamSet> after) {
        if (before.size() != after.size()) {
            throw new IllegalArgumentException(before.size() + " critics before rounds, " + after.size() + " after");
        }
        List<ParamSet> all = new ArrayList<>(in);
        all.addAll(out);
        List<Map<String, float[]>> directions =
                all.stream().map(GradientCanaries::floats).toList();
        double[] norms =
                directions.stream().mapToDouble(u -> Math.sqrt(dot(u, u))).toArray();
        double[] s = new double[all.size()];
        for (int r = 0; r < before.size(); r++) {
            Map<String, float[]> descent = descent(before.get(r), after.get(r), all.get(0));
            double descentNorm = Math.sqrt(dot(descent, descent));
            if (descentNorm == 0) {
                continue;
            }
            for (int c = 0; c < all.size(); c++) {
                s[c] += dot(descent, directions.get(c)) / (descentNorm * norms[c]);
            }
        }
        return s;
    }

    private static Map<String, float[]> descent(ParamSet before, ParamSet after, ParamSet names) {
        Map<String, float[]> d = new java.util.LinkedHashMap<>();
        for (String name : names.names()) {
            float[] b = before.get(name).toFloats();
            float[] a = after.get(name).toFloats();
            float[] v = new float[b.length];
            for (int k = 0; k < v.length; k++) {
                v[k] = b[k] - a[k];
            }
            d.put(name, v);
        }
        return d;
    }

    private static Map<String, float[]> floats(ParamSet p) {
        Map<String, float[]> m = new java.util.LinkedHashMap<>();
        p.asMap().forEach((k, t) -> m.put(k, t.toFloats()));
        return m;
    }

    private static double dot(Map<String, float[]> a, Map<String, float[]> b) {
        double s = 0;
        for (var e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            for (int k = 0; k < x.length; k++) {
                s += (double) x[k] * y[k];
            }
        }
        return s;
    }
}
