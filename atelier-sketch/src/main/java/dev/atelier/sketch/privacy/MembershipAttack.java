package dev.atelier.sketch.privacy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.ml.nn.Images;
import dev.atelier.sketch.model.SketchGan;
import dev.atelier.sketch.model.SketchGanConfig;
import java.util.List;
import java.util.Objects;

/**
 * The coordinator's membership-inference attack on the critics it receives (a white-box,
 * loss-trajectory attack in the spirit of Nasr et al. 2019 and Liu et al. 2022): for every round
 * it knows the critic the designer started from ({@code before}, the previous global) and the
 * critic it got back ({@code after}: her own update, or under secure aggregation only the new
 * aggregate), and a candidate sketch's score is
 * <pre>  Σ_rounds  D_after(Gram(E(s))) − D_before(Gram(E(s)))</pre>
 * with {@code D} the critic's mean score map: how much the round's training raised the critic's
 * "real" verdict on that very sketch. A critic that memorised her training sketches raises theirs
 * more than those of unseen sketches of the same style.
 *
 * <p>The coordinator has the public encoder and the shared critic weights but not the designers'
 * BatchNorm (it never leaves a node): the attack model keeps its initial BatchNorm affine weights
 * and normalises with the statistics of the candidate batch (training-mode forward, all candidates
 * of one designer at once, so every candidate is normalised alike). Owns a model ({@link #close()}).
 * Not thread-safe.
 */
public final class MembershipAttack implements AutoCloseable {
    /** Batch size of a candidate's gradient forward (a training batch of 8 real + 8 fake). */
    static final int CONTEXT = 16;

    private final SketchGan model;
    private final long seed;

    /** @param encoder the public feature network; {@code config} and {@code seed} as the federation's */
    public MembershipAttack(ParamSet encoder, SketchGanConfig config, long seed) {
        this.model = SketchGan.create(Objects.requireNonNull(encoder, "encoder"), config, seed);
        this.seed = seed;
    }

    /**
     * Gradient-alignment scores (white box, Nasr et al. 2019) for several views of the same rounds
     * at once: per round, the cosine between the update {@code after − before} and each candidate's
     * gradient of its critic score at {@code before}, centred by the candidates' mean gradient
     * (which removes the direction every sketch of the style shares and keeps what is specific to
     * the sketch), summed over rounds. An update computed from a sketch carries that sketch's own
     * gradient direction; in ~10^4 dimensions an unseen sketch's is nearly orthogonal to it.
     * Candidate {@code i}'s gradient is that of its own score in a training-mode forward of a batch of
     * {@value #CONTEXT} candidates (see {@link #candidateGradient}), one gradient collector and
     * NDManager sub-manager per candidate.
     *
     * @param before the critic each round started from
     * @param after  per view, the critic each round ended with (same length as {@code before})
     * @return per view, one score per candidate
     */
    public GradientScores gradientScores(List<float[]> candidates, List<ParamSet> before, List<List<ParamSet>> after) {
        int n = candidates.size();
        if (n < 2) {
            throw new IllegalArgumentException("the attack needs >= 2 candidates, got " + n);
        }
        int adamViews = Math.min(ADAM_VIEWS, after.size());
        double[][] cosine = new double[after.size()][n];
        double[][] weight = new double[after.size()][n];
        double[][] standardised = new double[after.size()][n];
        double[][] adam = new double[adamViews][n];
        try (NDManager m = model.manager().newSubManager()) {
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            NDArray input = model.criticInput(model.encode(Images.batch(m, candidates, idx)));
            Shape shape = input.getShape();
            float[] host = input.toFloatArray();
            int[] ring = ring(n);
            for (int r = 0; r < before.size(); r++) {
                List<String> names = List.copyOf(before.get(r).asMap().keySet());
                double[][] g = gradients(before.get(r), host, shape, ring, names);
                double[] mean = new double[g[0].length];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < mean.length; k++) {
                        mean[k] += g[i][k] / n;
                    }
                }
                double[][] c = new double[n][];
                for (int i = 0; i < n; i++) {
                    c[i] = new double[mean.length];
                    for (int k = 0; k < mean.length; k++) {
                        c[i][k] = g[i][k] - mean[k];
                    }
                }
                RidgeRegression ridge = RidgeRegression.of(g);
                for (int v = 0; v < after.size(); v++) {
                    double[] delta = flatDifference(after.get(v).get(r), before.get(r), names);
                    double dd = dot(delta, delta);
                    for (int i = 0; i < n; i++) {
                        double gg = dot(c[i], c[i]);
                        cosine[v][i] += gg == 0 || dd == 0 ? 0 : dot(c[i], delta) / Math.sqrt(gg * dd);
                    }
                    double[] w = ridge.weights(delta);
                    for (int i = 0; i < n; i++) {
                        weight[v][i] += w[i];
                    }
                    addStandardised(standardised[v], w);
                }
                for (int v = 0; v < adamViews; v++) {
                    ParamSet mid = midpoint(before.get(r), after.get(v).get(r), names);
                    double[][] h = preconditioned(gradients(mid, host, shape, ring, names));
                    double[] delta = flatDifference(after.get(v).get(r), before.get(r), names);
                    addStandardised(adam[v], RidgeRegression.of(h).weights(delta));
                }
            }
        }
        return new GradientScores(cosine, weight, standardised, adam);
    }

    /** How many leading views get the Adam-preconditioned regression (her own update and the aggregate). */
    static final int ADAM_VIEWS = 2;

    /**
     * Per view, one score per candidate from each gradient attack.
     *
     * @param alignment    summed centred cosines
     * @param regression   summed ridge weights of the candidates' gradients in the update
     * @param standardised the same ridge weights z-scored over the candidates in each round before
     *                     summing, so every round counts alike (the raw sum is dominated by the
     *                     first, largest update)
     * @param adam         for the first {@value #ADAM_VIEWS} views only: z-scored ridge weights of the
     *                     update on the candidates' gradients at the round's midpoint critic,
     *                     Adam-preconditioned ({@link #preconditioned})
     */
    public record GradientScores(
            double[][] alignment, double[][] regression, double[][] standardised, double[][] adam) {}

    /** Every candidate's score gradient at {@code critic} (see {@link #candidateGradient}). */
    private double[][] gradients(ParamSet critic, float[] host, Shape shape, int[] ring, List<String> names) {
        model.loadDiscriminator(critic);
        int n = ring.length;
        double[][] g = new double[n][];
        for (int pos = 0; pos < n; pos++) {
            g[ring[pos]] = candidateGradient(host, shape, ring, pos, names);
        }
        return g;
    }

    /**
     * The candidates' gradients divided, per weight, by their root mean square over the candidates.
     * A node's critic steps with Adam, whose update is roughly {@code lr · Σ_t g_t / √v} per weight
     * with {@code v} the running mean of squared gradients: a weight whose gradients are large
     * moves no more than one whose gradients are small. The coordinator does not see {@code v}; the
     * candidates (sketches of her style, drawn as her training sketches are) estimate it up to a
     * common factor, which the ridge's relative penalty ignores. Modifies and returns {@code g}.
     */
    static double[][] preconditioned(double[][] g) {
        int d = g[0].length;
        for (int k = 0; k < d; k++) {
            double ss = 0;
            for (double[] gi : g) {
                ss += gi[k] * gi[k];
            }
            double rms = Math.sqrt(ss / g.length);
            for (double[] gi : g) {
                gi[k] = rms == 0 ? 0 : gi[k] / rms;
            }
        }
        return g;
    }

    /** Adds {@code w}, z-scored over its entries, to {@code acc} (nothing if all entries are equal). */
    static void addStandardised(double[] acc, double[] w) {
        double mean = 0;
        for (double x : w) {
            mean += x / w.length;
        }
        double var = 0;
        for (double x : w) {
            var += (x - mean) * (x - mean) / w.length;
        }
        if (!(var > 0)) {
            return;
        }
        double sd = Math.sqrt(var);
        for (int i = 0; i < w.length; i++) {
            acc[i] += (w[i] - mean) / sd;
        }
    }

    /**
     * The critic halfway between {@code before} and {@code after}: over a round of many Adam steps
     * the critic moves far, and the gradients that made the update were taken along the way, not
     * at its start (the midpoint rule for the path integral of the gradient).
     */
    private static ParamSet midpoint(ParamSet before, ParamSet after, List<String> names) {
        ParamSet.Builder b = ParamSet.builder();
        for (String name : names) {
            float[] x = before.get(name).toFloats();
            float[] y = after.get(name).toFloats();
            float[] z = new float[x.length];
            for (int j = 0; j < x.length; j++) {
                z[j] = (x[j] + y[j]) / 2;
            }
            b.put(name, Tensor.f32(before.get(name).shape(), z));
        }
        return b.build();
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }

    /**
     * A seeded random order of the {@code n} candidates, independent of which are members: the
     * BatchNorm context of a candidate's gradient is the next candidates in this order. With the
     * input order (members first) a member's context was other members and a non-member's other
     * non-members, so any chance difference between the halves shifted every member's score alike
     * and the scores were not exchangeable under the permutation null.
     */
    private int[] ring(int n) {
        int[] ring = new int[n];
        for (int i = 0; i < n; i++) {
            ring[i] = i;
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = ring[i];
            ring[i] = ring[j];
            ring[j] = t;
        }
        return ring;
    }

    /**
     * The score gradient of candidate {@code ring[k0]} in a training-mode batch of {@value #CONTEXT}
     * candidates (it and the next ones in {@code ring}, cyclically): BatchNorm statistics over a
     * batch the size of a training batch, the gradient of that candidate's score alone.
     */
    private double[] candidateGradient(float[] host, Shape shape, int[] ring, int k0, List<String> names) {
        var params = model.discriminatorParameters();
        for (var p : params.values()) {
            NDArray a = p.getArray();
            if (a.hasGradient()) {
                try (NDArray gr = a.getGradient()) {
                    gr.subi(gr);
                }
            }
        }
        int n = Math.toIntExact(shape.get(0));
        int b = Math.min(CONTEXT, n);
        int width = host.length / n;
        float[] rows = new float[b * width];
        for (int k = 0; k < b; k++) {
            System.arraycopy(host, ring[(k0 + k) % n] * width, rows, k * width, width);
        }
        try (NDManager em = model.manager().newSubManager()) {
            NDArray in = em.create(rows, new Shape(b).addAll(shape.slice(1)));
            try (ai.djl.training.GradientCollector gc =
                    ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray score = model.criticize(in, true).get(0);
                gc.backward(score.get("0:1").mean());
            }
        }
        int total = 0;
        for (String name : names) {
            total += Math.toIntExact(params.get(name).getArray().size());
        }
        double[] flat = new double[total];
        int off = 0;
        for (String name : names) {
            NDArray a = params.get(name).getArray();
            int len = Math.toIntExact(a.size());
            if (a.hasGradient()) {
                try (NDArray gr = a.getGradient()) {
                    float[] f = gr.toFloatArray();
                    for (int j = 0; j < len; j++) {
                        flat[off + j] = f[j];
                    }
                }
            }
            off += len;
        }
        return flat;
    }

    private static double[] flatDifference(ParamSet after, ParamSet before, List<String> names) {
        int total = 0;
        for (String name : names) {
            total += Math.toIntExact(before.get(name).numElements());
        }
        double[] d = new double[total];
        int off = 0;
        for (String name : names) {
            float[] a = after.get(name).toFloats();
            float[] b = before.get(name).toFloats();
            for (int j = 0; j < b.length; j++) {
                d[off + j] = (double) a[j] - b[j];
            }
            off += b.length;
        }
        return d;
    }

    /**
     * Score-trajectory scores for several views of the same rounds: per round and view, the rise
     * {@code D_after(s) − D_before(s)} of each candidate's mean critic score (training-mode forward
     * of all candidates at once), summed over rounds.
     *
     * @param before the critic each round started from
     * @param after  per view, the critic each round ended with (same length as {@code before})
     * @return per view, one score per candidate
     */
    public double[][] trajectoryScores(List<float[]> candidates, List<ParamSet> before, List<List<ParamSet>> after) {
        if (candidates.size() < 2) {
            throw new IllegalArgumentException("the attack needs >= 2 candidates, got " + candidates.size());
        }
        double[][] out = new double[after.size()][candidates.size()];
        try (NDManager m = model.manager().newSubManager()) {
            NDArray input = model.criticInput(model.encode(Images.batch(m, candidates, range(candidates.size()))));
            for (int r = 0; r < before.size(); r++) {
                double[] b = criticScores(input, before.get(r), true);
                for (int v = 0; v < after.size(); v++) {
                    double[] a = criticScores(input, after.get(v).get(r), true);
                    for (int i = 0; i < b.length; i++) {
                        out[v][i] += a[i] - b[i];
                    }
                }
            }
        }
        return out;
    }

    /**
     * Diagnostic, not a coordinator view: the designer's own critic's mean score of each candidate
     * ({@code gan} is her trained model, with her BatchNorm, in inference mode). If even this does
     * not separate her members, her critic did not memorise them and no attack on it can.
     */
    public static double[] ownCriticScores(SketchGan gan, List<float[]> candidates) {
        try (NDManager m = gan.manager().newSubManager()) {
            NDArray input = gan.criticInput(gan.encode(Images.batch(m, candidates, range(candidates.size()))));
            return meanScores(gan.criticize(input, false).get(0));
        }
    }

    private static int[] range(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private static double[] meanScores(NDArray score) {
        long b = score.getShape().get(0);
        float[] flat = score.reshape(b, -1).mean(new int[] {1}).toFloatArray();
        double[] out = new double[flat.length];
        for (int i = 0; i < flat.length; i++) {
            out[i] = flat[i];
        }
        return out;
    }

    private double[] criticScores(NDArray input, ParamSet critic, boolean training) {
        model.loadDiscriminator(critic);
        try (NDManager sm = model.manager().newSubManager()) {
            NDArray in = input.duplicate();
            in.attach(sm);
            return meanScores(model.criticize(in, training).get(0));
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
