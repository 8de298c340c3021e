package dev.atelier.core.aggregate;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streaming example-weighted mean (FedAvg, McMahan et al. 2017): {@code sum_k n_k w_k / sum_k n_k}.
 *
 * <p>Each reply is added into one double-precision accumulator per tensor the moment it arrives
 * and no reference to it is kept, so memory is one model (in doubles) regardless of the number of
 * replies. Replies with zero examples count with weight 1 when {@code uniform} is set, otherwise
 * they are ignored (and not counted by {@link #accepted()}). A reply whose names, shapes or dtypes
 * differ from the first accepted one is refused with {@link RejectedPayloadException} before any of
 * it is folded in, so a refused reply never leaves a partial trace in the sum. The result keeps
 * each tensor's dtype. Integer tensors (I32, I64: step counters, BatchNorm's
 * {@code num_batches_tracked}) are summed exactly from their integer values in 128-bit
 * accumulators ({@link ExactIntegerSum}) and the mean rounded half to even, never through float
 * (float32 is exact only to 2^24); floating tensors accumulate in double. Thread-safe.
 */
public final class WeightedMeanAggregator implements Aggregator {
    private final boolean uniform;
    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private final Map<String, ExactIntegerSum> integerSums = new LinkedHashMap<>();
    /** Dtype and shape only: keeping the first reply's tensors would pin its data in memory. */
    private final Map<String, TensorSpec> specs = new LinkedHashMap<>();

    private long totalWeight;
    private int accepted;

    /** @param uniform weight every reply 1 instead of by its example count */
    public WeightedMeanAggregator(boolean uniform) {
        this.uniform = uniform;
    }

    public WeightedMeanAggregator() {
        this(false);
    }

    @Override
    public synchronized void accept(Reply reply) throws RejectedPayloadException {
        long w = uniform ? 1 : reply.numExamples();
        if (w <= 0) {
            return;
        }
        ParamSet p = reply.params();
        if (specs.isEmpty()) {
            if (p.isEmpty()) {
                throw new RejectedPayloadException(
                        "reply from " + reply.nodeId() + " carries no parameters to average");
            }
            p.asMap().forEach((name, t) -> {
                specs.put(name, TensorSpec.of(t));
                int n = Math.toIntExact(t.numElements());
                if (t.dtype().isFloating()) {
                    sums.put(name, new double[n]);
                } else {
                    integerSums.put(name, new ExactIntegerSum(n));
                }
            });
        } else {
            checkSpec(reply.nodeId(), p);
        }
        long newTotal = Math.addExact(totalWeight, w);
        for (var e : sums.entrySet()) {
            Tensor t = p.get(e.getKey());
            AggregationMath.addScaled(e.getValue(), t.data(), t.dtype(), w);
        }
        for (var e : integerSums.entrySet()) {
            Tensor t = p.get(e.getKey());
            e.getValue().add(t.data(), t.dtype(), w);
        }
        totalWeight = newTotal;
        accepted++;
    }

    /** Whole-reply check first: a mismatch must not leave half a reply in the sums. */
    private void checkSpec(String nodeId, ParamSet p) throws RejectedPayloadException {
        if (!p.names().equals(specs.keySet())) {
            throw new RejectedPayloadException("reply from " + nodeId + " has parameter names " + p.names()
                    + " but earlier replies had " + specs.keySet());
        }
        for (var e : specs.entrySet()) {
            Tensor t = p.get(e.getKey());
            if (!e.getValue().matches(t)) {
                throw new RejectedPayloadException("reply from " + nodeId + ": '" + e.getKey() + "' is "
                        + TensorSpec.of(t) + ", expected " + e.getValue());
            }
        }
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
        for (var e : specs.entrySet()) {
            String name = e.getKey();
            double[] sum = sums.get(name);
            if (sum != null) {
                b.put(name, e.getValue().encode(AggregationMath.scaledCopy(sum, 1.0 / totalWeight)));
            } else {
                b.put(name, integerSums.get(name).mean(e.getValue(), totalWeight));
            }
        }
        return b.build();
    }

    /** Sum of weights folded in so far. */
    public synchronized long totalWeight() {
        return totalWeight;
    }
}
