package dev.atelier.core.run;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;

/**
 * Bounds on what one authenticated node can do to the global model with one training reply
 * (model poisoning): its weight and the size of its update. A reply beyond either bound is
 * REJECTED with a reason (never clamped or clipped: the node is told the truth and the round's
 * failures in {@code metrics.jsonl} and {@code /status} show it); it never touches the model.
 *
 * <ul>
 *   <li><b>Weight.</b> A reply may claim at most {@code maxExamples} examples (default
 *       {@value #DEFAULT_MAX_EXAMPLES}), and at most the dataset size the node declared at
 *       registration in property {@value #DECLARED_EXAMPLES} when it declared one (a malformed or
 *       non-positive declaration is ignored, the run's cap still holds).
 *   <li><b>Update norm.</b> The update is the reply minus the global model that was sent, over
 *       the floating tensors (integer counters are averaged exactly and not bounded here). Its L2
 *       norm must be at most {@code maxUpdateNormRatio × max(‖global‖, normFloorRms × √n)}, n the
 *       number of floating elements; the floor keeps a near-zero global (a zero-initialised
 *       model) from refusing every honest first update. Default ratio
 *       {@value #DEFAULT_MAX_UPDATE_NORM_RATIO}, floor {@value #DEFAULT_NORM_FLOOR_RMS} per element
 *       in RMS terms; {@code maxUpdateNormRatio = +∞} turns the bound off. Like DP clipping, but a
 *       refusal: with both bounds a reply's contribution to the double accumulators is at most
 *       {@code maxExamples × (|global| + bound)}, finite.
 * </ul>
 *
 * @param maxExamples        largest example count (weight) a reply may claim, ≥ 1
 * @param maxUpdateNormRatio largest update norm relative to the global's, > 0 (+∞ = off)
 * @param normFloorRms       smallest global norm used, per element RMS, ≥ 0
 */
public record ReplyLimits(long maxExamples, double maxUpdateNormRatio, double normFloorRms) {
    public static final long DEFAULT_MAX_EXAMPLES = 1_000_000;
    public static final double DEFAULT_MAX_UPDATE_NORM_RATIO = 10.0;
    public static final double DEFAULT_NORM_FLOOR_RMS = 1.0;
    /** Node property (registration) declaring its local dataset size, a positive integer. */
    public static final String DECLARED_EXAMPLES = "num_examples";

    /** Which bound a refused reply exceeded, read back from its {@link Failure} (for metrics and status). */
    public enum Bound {
        EXAMPLES("reply claims "),
        UPDATE_NORM("update norm ");

        private final String reasonPrefix;

        Bound(String reasonPrefix) {
            this.reasonPrefix = reasonPrefix;
        }

        /** Metric label and status key: {@code examples}, {@code update_norm}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The bound a REJECTED failure exceeded, if it is one of these refusals. */
        public static java.util.Optional<Bound> of(Failure f) {
            if (f.kind() != Failure.Kind.REJECTED) {
                return java.util.Optional.empty();
            }
            for (Bound b : values()) {
                if (f.reason().startsWith(b.reasonPrefix)) {
                    return java.util.Optional.of(b);
                }
            }
            return java.util.Optional.empty();
        }
    }

    public static final ReplyLimits DEFAULT =
            new ReplyLimits(DEFAULT_MAX_EXAMPLES, DEFAULT_MAX_UPDATE_NORM_RATIO, DEFAULT_NORM_FLOOR_RMS);

    public ReplyLimits {
        if (maxExamples < 1) {
            throw new IllegalArgumentException("maxExamples must be >= 1, got " + maxExamples);
        }
        if (!(maxUpdateNormRatio > 0)) {
            throw new IllegalArgumentException(
                    "maxUpdateNormRatio must be > 0 (+Infinity = off), got " + maxUpdateNormRatio);
        }
        if (!(normFloorRms >= 0) || Double.isInfinite(normFloorRms)) {
            throw new IllegalArgumentException("normFloorRms must be finite and >= 0, got " + normFloorRms);
        }
    }

    /** The same weight cap without the update-norm bound. */
    public ReplyLimits withoutNormBound() {
        return new ReplyLimits(maxExamples, Double.POSITIVE_INFINITY, normFloorRms);
    }

    /** The cap for {@code node}: the run's, lowered to the node's declared dataset size if any. */
    public long maxExamplesFor(NodeInfo node) {
        String declared = node == null ? null : node.properties().get(DECLARED_EXAMPLES);
        if (declared != null) {
            try {
                long d = Long.parseLong(declared.trim());
                if (d > 0) {
                    return Math.min(d, maxExamples);
                }
            } catch (NumberFormatException ignored) {
                // not a number: the run's cap holds
            }
        }
        return maxExamples;
    }

    /** Refuses {@code examples} above {@code cap}. */
    static void checkExamples(long examples, long cap, boolean declared) throws RejectedPayloadException {
        if (examples > cap) {
            throw new RejectedPayloadException(Bound.EXAMPLES.reasonPrefix + examples + " examples, above the cap of "
                    + cap + (declared ? " (the dataset size this node declared at registration)" : " (the run's cap)"));
        }
    }

    /** Refuses {@code reply} (already validated against {@code sent}) when its update is too large. */
    void checkUpdate(ParamSet sent, ParamSet reply) throws RejectedPayloadException {
        if (maxUpdateNormRatio == Double.POSITIVE_INFINITY) {
            return;
        }
        double global = 0;
        double update = 0;
        long n = 0;
        for (var e : reply.asMap().entrySet()) {
            Tensor r = e.getValue();
            Tensor s = sent.get(e.getKey());
            if (s == null || !r.dtype().isFloating() || !s.dtype().isFloating()) {
                continue;
            }
            float[] rv = r.toFloats();
            float[] sv = s.toFloats();
            for (int i = 0; i < rv.length; i++) {
                double d = (double) rv[i] - sv[i];
                update += d * d;
                global += (double) sv[i] * sv[i];
            }
            n += rv.length;
        }
        double bound = maxUpdateNormRatio * Math.max(Math.sqrt(global), normFloorRms * Math.sqrt(n));
        double norm = Math.sqrt(update);
        if (!(norm <= bound)) {
            throw new RejectedPayloadException(String.format(
                    Bound.UPDATE_NORM.reasonPrefix
                            + "%.4g exceeds the bound %.4g (%.3g x max(global norm %.4g, floor %.4g))",
                    norm,
                    bound,
                    maxUpdateNormRatio,
                    Math.sqrt(global),
                    normFloorRms * Math.sqrt(n)));
        }
    }
}
