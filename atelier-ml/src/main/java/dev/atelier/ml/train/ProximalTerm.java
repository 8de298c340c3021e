package dev.atelier.ml.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.ml.nn.layers.Arrays4d;
import dev.atelier.ml.nn.layers.Scalars;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * FedProx's proximal term (Li et al., MLSys 2020):
 * {@code (μ/2) · Σ_k ‖θ_k − θ_k^global‖²} over the parameters the round's global model holds (for
 * the sketch GAN: the shared, non-BatchNorm critic weights; for the classifier: every trainable weight). The anchor is a copy of the global values received at the
 * start of the round, so the term is 0 at the first step and grows as local steps drift.
 * Owns the anchor copies ({@link #close()}). Not thread-safe.
 */
public final class ProximalTerm implements AutoCloseable {
    private final NDManager manager;
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> anchors = new ArrayList<>();

    /**
     * @param model  name → parameter of the model (e.g. the critic's)
     * @param global the round's global values; every name must exist in {@code model}
     * @param owner  manager under which the anchor copies are allocated
     */
    public ProximalTerm(Map<String, Parameter> model, ParamSet global, NDManager owner) {
        this.manager = owner.newSubManager();
        for (Map.Entry<String, Tensor> e : global.asMap().entrySet()) {
            Parameter p = model.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("global parameter '" + e.getKey() + "' is not in the model");
            }
            params.add(p);
            anchors.add(manager.create(
                    e.getValue().toFloats(), new Shape(e.getValue().shape())));
        }
    }

    /** Anchored at the parameters' current values (the global model the round started from). */
    public static ProximalTerm atCurrentValues(Map<String, Parameter> model, NDManager owner) {
        ParamSet.Builder b = ParamSet.builder();
        model.forEach((name, p) -> {
            if (p.requiresGradient()) {
                NDArray a = p.getArray();
                b.putF32(name, a.getShape().getShape(), a.toFloatArray());
            }
        });
        return new ProximalTerm(model, b.build(), owner);
    }

    /** {@code (μ/2)·Σ‖θ − θ_global‖²} as a differentiable scalar owned by {@code stepArray}'s manager. */
    public NDArray compute(float mu, NDArray stepArray) {
        NDArray total = null;
        for (int i = 0; i < params.size(); i++) {
            // anchor first: the difference then lives in the anchor's manager, moved to the step's.
            NDArray diff = Arrays4d.scoped(anchors.get(i).sub(params.get(i).getArray()), stepArray);
            NDArray sq = diff.square().sum();
            total = total == null ? sq : total.add(sq);
        }
        if (total == null) {
            return stepArray.getManager().create(0f);
        }
        return Scalars.mul(total, mu / 2f);
    }

    /** {@code Σ‖θ − θ_global‖²} now (no gradient). */
    public double squaredDistance() {
        double sum = 0;
        try (NDManager m = manager.newSubManager()) {
            for (int i = 0; i < params.size(); i++) {
                NDArray diff = anchors.get(i).sub(params.get(i).getArray());
                diff.attach(m);
                sum += diff.square().sum().getFloat();
            }
        }
        return sum;
    }

    @Override
    public void close() {
        manager.close();
    }
}
