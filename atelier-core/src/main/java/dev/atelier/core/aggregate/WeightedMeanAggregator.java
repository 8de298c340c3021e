package dev.atelier.core.aggregate;

import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streaming example-weighted mean (FedAvg, McMahan et al. 2017): {@code sum_k n_k w_k / sum_k n_k}.
 *
 * <p>Each reply is added into one double-precision accumulator per tensor the moment it arrives,
 * so memory is one model regardless of the number of replies. Replies with zero examples count
 * with weight 1 when {@code uniform} is set, otherwise they are ignored. Thread-safe.
 */
public final class WeightedMeanAggregator implements Aggregator {
    private final boolean uniform;
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private double totalWeight;
    private int accepted;

    /** @param uniform weight every reply 1 instead of by its example count */
    public WeightedMeanAggregator(boolean uniform) {
        this.uniform = uniform;
    }

    public WeightedMeanAggregator() {
        this(false);
    }

    @Override
    public synchronized void accept(Reply reply) {
        double w = uniform ? 1.0 : reply.numExamples();
        if (w <= 0) {
            return;
        }
        ParamSet p = reply.params();
        if (sums.isEmpty()) {
            p.asMap().forEach((name, t) -> {
                sums.put(name, new double[Math.toIntExact(t.numElements())]);
                shapes.put(name, t.shape());
            });
        } else if (!p.names().equals(sums.keySet())) {
            throw new IllegalArgumentException("reply from " + reply.nodeId() + " has parameter names " + p.names()
                    + " but earlier replies had " + sums.keySet());
        }
        for (var e : sums.entrySet()) {
            Tensor t = p.get(e.getKey());
            if (t.numElements() != e.getValue().length) {
                throw new IllegalArgumentException("reply from " + reply.nodeId() + ": '" + e.getKey() + "' has "
                        + t.numElements() + " elements, expected " + e.getValue().length);
            }
            AggregationMath.addScaled(e.getValue(), t.data(), t.dtype(), w);
        }
        totalWeight += w;
        accepted++;
    }

    @Override
    public synchronized int accepted() {
        return accepted;
    }

    @Override
    public synchronized ParamSet result() {
        if (accepted == 0) {
            throw new IllegalStateException("no replies to aggregate");
        }
        ParamSet.Builder b = ParamSet.builder();
        for (var e : sums.entrySet()) {
            b.put(e.getKey(), Tensor.f32(shapes.get(e.getKey()), AggregationMath.scaledCopy(e.getValue(), 1.0 / totalWeight)));
        }
        return b.build();
    }

    /** Sum of weights folded in so far. */
    public synchronized double totalWeight() {
        return totalWeight;
    }
}
