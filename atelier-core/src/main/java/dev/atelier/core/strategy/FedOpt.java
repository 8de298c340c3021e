package dev.atelier.core.strategy;

import dev.atelier.core.aggregate.TensorSpec;
import dev.atelier.core.message.Config;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Adaptive server optimization (Reddi, Charles, Zaheer, Garrett, Rush, Konečný, Kumar, McMahan,
 * "Adaptive Federated Optimization", ICLR 2021, Algorithm 2): replies are averaged as in FedAvg,
 * then the server treats {@code Δ = aggregate − previous} as a pseudo-gradient and steps with an
 * Adam-like rule, element-wise per tensor:
 * <pre>
 *   m ← β₁ m + (1 − β₁) Δ
 *   v ← secondMoment(v, Δ²)          (Adam, Yogi: see subclasses)
 *   x ← x + η m / (√v + τ)
 * </pre>
 * Moments start at zero and are kept per tensor name (float32, 2 × model memory). As in the
 * paper and Flower's FedYogi there is no bias correction (Flower's FedAdam adds one; here both
 * differ only in the second-moment rule). Integer tensors (e.g. counters) take the aggregate as
 * is. The result keeps each tensor's dtype. The moments are the strategy's {@link #serverState()},
 * which {@link dev.atelier.core.run.Run} checkpoints next to the global model and restores on resume.
 * Not thread-safe (see {@link Strategy}).
 */
public abstract class FedOpt extends FedAvg {
    private static final String M = "fedopt.m.";
    private static final String V = "fedopt.v.";
    private final FedOptSettings settings;
    private final Map<String, float[]> m = new HashMap<>();
    private final Map<String, float[]> v = new HashMap<>();

    protected FedOpt(Sampling sampling, Config trainConfig, FedOptSettings settings) {
        super(sampling, trainConfig);
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public final FedOptSettings settings() {
        return settings;
    }

    /**
     * The new second moment of one element.
     *
     * @param v        the previous second moment (≥ 0)
     * @param gradSq   Δ² for this element
     * @param beta2    β₂
     */
    protected abstract double secondMoment(double v, double gradSq, double beta2);

    @Override
    public final ParamSet update(int round, ParamSet previous, ParamSet aggregate) {
        if (!previous.names().equals(aggregate.names())) {
            throw new IllegalArgumentException(name() + ": aggregate names " + aggregate.names()
                    + " differ from the global model's " + previous.names());
        }
        ParamSet.Builder b = ParamSet.builder();
        for (String name : previous.names()) {
            Tensor x = previous.get(name);
            Tensor a = aggregate.get(name);
            if (!x.sameSpec(a)) {
                throw new IllegalArgumentException(name() + ": aggregate '" + name + "' is " + TensorSpec.of(a)
                        + ", global is " + TensorSpec.of(x));
            }
            b.put(name, x.dtype().isFloating() ? step(name, x, a) : a);
        }
        return b.build();
    }

    private Tensor step(String name, Tensor previous, Tensor aggregate) {
        float[] x = previous.toFloats();
        float[] agg = aggregate.toFloats();
        float[] mt = moment(m, name, x.length);
        float[] vt = moment(v, name, x.length);
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double delta = (double) agg[i] - x[i];
            double mi = b1 * mt[i] + (1 - b1) * delta;
            double vi = secondMoment(vt[i], delta * delta, b2);
            mt[i] = (float) mi;
            vt[i] = (float) vi;
            out[i] = (float) (x[i] + settings.eta() * mi / (Math.sqrt(vi) + settings.tau()));
        }
        return TensorSpec.of(previous).encode(out);
    }

    private static float[] moment(Map<String, float[]> moments, String name, int length) {
        float[] mo = moments.computeIfAbsent(name, k -> new float[length]);
        if (mo.length != length) {
            throw new IllegalStateException("'" + name + "' changed size from " + mo.length + " to " + length
                    + " elements; server optimizer moments no longer apply");
        }
        return mo;
    }

    /**
     * The moments as F32 tensors named {@code fedopt.m.<name>} and {@code fedopt.v.<name>}, flat
     * (shape {@code [numElements]}); empty before the first update.
     */
    public final ParamSet optimizerState() {
        ParamSet.Builder b = ParamSet.builder();
        m.keySet().stream().sorted().forEach(name -> {
            b.put(M + name, Tensor.f32(new long[] {m.get(name).length}, m.get(name)));
            b.put(V + name, Tensor.f32(new long[] {v.get(name).length}, v.get(name)));
        });
        return b.build();
    }

    /** Replaces the moments with a state saved by {@link #optimizerState()}. */
    public final void restoreOptimizerState(ParamSet state) {
        Map<String, float[]> newM = new HashMap<>();
        Map<String, float[]> newV = new HashMap<>();
        for (var e : state.asMap().entrySet()) {
            String key = e.getKey();
            if (key.startsWith(M)) {
                newM.put(key.substring(M.length()), e.getValue().toFloats());
            } else if (key.startsWith(V)) {
                newV.put(key.substring(V.length()), e.getValue().toFloats());
            } else {
                throw new IllegalArgumentException("'" + key + "' is not a " + name() + " optimizer state tensor");
            }
        }
        if (!newM.keySet().equals(newV.keySet())) {
            throw new IllegalArgumentException("optimizer state has first moments for " + newM.keySet()
                    + " but second moments for " + newV.keySet());
        }
        m.clear();
        v.clear();
        m.putAll(newM);
        v.putAll(newV);
    }

    @Override
    public ParamSet serverState() {
        return optimizerState();
    }

    @Override
    public void restoreServerState(ParamSet state) {
        restoreOptimizerState(state);
    }
}
