package dev.atelier.core.aggregate;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps every accepted update and combines them all at once with a {@link Rule}: the
 * orchestration for order-statistic and distance-based aggregation (median, trimmed mean, Krum)
 * that cannot be streamed.
 *
 * <p><b>Memory is O(n × d)</b> for n replies of a d-element model: each reply's parameters are
 * flattened (in the first reply's name order) into one {@code float[d]} and held until
 * {@link #result()}; the replies themselves are not retained. Use it only where robustness is
 * worth that cost; FedAvg streams in O(d) with {@link WeightedMeanAggregator}.
 *
 * <p>Each reply must have the first reply's names, shapes and dtypes, else {@link #accept} refuses
 * it with {@link RejectedPayloadException} and stores nothing. The result keeps each tensor's
 * dtype. The rules work on float32, which holds integers exactly only up to 2^24 in magnitude, so
 * an integer (I32/I64) element beyond ±2^24 is refused the same way rather than silently rounded
 * (use FedAvg, whose integer means are exact, for such models). Thread-safe.
 */
public final class CollectingAggregator implements Aggregator {
    /**
     * A combination of n update vectors of equal length into one. Implementations are pure and
     * throw {@link IllegalArgumentException} when they cannot combine this many updates.
     */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param updates flattened updates, in arrival order (must not be modified)
         * @param weights each update's example count, index-aligned with {@code updates}
         * @return the combined vector, of the updates' common length
         */
        float[] combine(List<float[]> updates, double[] weights);
    }

    private final String ruleName;
    private final Rule rule;
    private final Map<String, TensorSpec> specs = new LinkedHashMap<>();
    private final List<float[]> updates = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private int length = -1;

    /**
     * @param ruleName how errors name the rule, e.g. {@code krum(f=1)}
     * @param rule     the combination applied in {@link #result()}
     */
    public CollectingAggregator(String ruleName, Rule rule) {
        this.ruleName = Objects.requireNonNull(ruleName, "ruleName");
        this.rule = Objects.requireNonNull(rule, "rule");
    }

    @Override
    public synchronized void accept(Reply reply) throws RejectedPayloadException {
        ParamSet p = reply.params();
        if (length < 0) {
            if (p.isEmpty()) {
                throw new RejectedPayloadException(
                        "reply from " + reply.nodeId() + " carries no parameters to aggregate");
            }
            long total = p.numElements();
            if (total > Integer.MAX_VALUE - 8) {
                throw new RejectedPayloadException(
                        ruleName + " aggregation holds each update as one float[]; a model of " + total
                                + " elements is too large");
            }
            p.asMap().forEach((name, t) -> specs.put(name, TensorSpec.of(t)));
            length = (int) total;
        } else {
            checkSpec(reply.nodeId(), p);
        }
        for (String name : specs.keySet()) {
            checkFloatExact(reply.nodeId(), name, p.get(name));
        }
        float[] flat = new float[length];
        int pos = 0;
        for (String name : specs.keySet()) {
            float[] v = p.get(name).toFloats();
            System.arraycopy(v, 0, flat, pos, v.length);
            pos += v.length;
        }
        updates.add(flat);
        weights.add((double) reply.numExamples());
    }

    /** Largest integer magnitude float32 represents exactly. */
    static final long FLOAT_EXACT = 1L << 24;

    private void checkFloatExact(String nodeId, String name, Tensor t) throws RejectedPayloadException {
        if (t.dtype().isFloating()) {
            return;
        }
        java.nio.ByteBuffer b = t.data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long n = t.numElements();
        for (int i = 0; i < n; i++) {
            long v = t.dtype() == dev.atelier.core.params.DType.I64 ? b.getLong(i * 8) : b.getInt(i * 4);
            if (v > FLOAT_EXACT || v < -FLOAT_EXACT) {
                throw new RejectedPayloadException("reply from " + nodeId + ": integer '" + name + "' holds " + v
                        + " at element " + i + ", beyond the ±2^24 that " + ruleName
                        + " can combine exactly (it works in float32)");
            }
        }
    }

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
        return updates.size();
    }

    /**
     * @throws IllegalStateException when nothing was accepted or the rule cannot combine this many
     *                               updates (e.g. Krum with n ≤ 2f + 2); the message says why
     */
    @Override
    public synchronized ParamSet result() {
        if (updates.isEmpty()) {
            throw new IllegalStateException("no replies to aggregate");
        }
        double[] w = weights.stream().mapToDouble(Double::doubleValue).toArray();
        float[] combined;
        try {
            combined = rule.combine(List.copyOf(updates), w);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    ruleName + " cannot aggregate " + updates.size() + " replies: " + e.getMessage(), e);
        }
        if (combined.length != length) {
            throw new IllegalStateException(
                    ruleName + " returned " + combined.length + " values for a model of " + length);
        }
        ParamSet.Builder b = ParamSet.builder();
        int pos = 0;
        for (var e : specs.entrySet()) {
            int n = (int) e.getValue().numElements();
            float[] part = new float[n];
            System.arraycopy(combined, pos, part, 0, n);
            pos += n;
            b.put(e.getKey(), e.getValue().encode(part));
        }
        return b.build();
    }
}
