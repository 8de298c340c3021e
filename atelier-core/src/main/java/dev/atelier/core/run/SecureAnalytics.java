package dev.atelier.core.run;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.DType;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Tensor;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.transport.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The example-weighted mean of a vector every node computes (an {@link TaskKind#ANALYTICS} reply,
 * e.g. the sketch workload's style card) over the five SecAgg+ exchanges of {@link SecAggRound}:
 * the coordinator learns only the mean over the nodes that finished, never one node's vector.
 * Each node must carry {@code SecAggNode} outermost; its analytics reply must carry exactly the
 * tensors of {@code template} (F32), else that node fails and is not in the mean. The nodes get
 * zeros of the template's shapes as the instruction's parameters, so the node's "update" is its
 * vector itself.
 *
 * <p>The weights are {@code n_i / max_j n_j} with {@code n_i} the reply's example count (which
 * travels in the clear, as in every training round); values are clipped per coordinate to
 * {@code [-clipRange, clipRange]} and quantised to {@code quantizationRange} levels, so the mean is
 * exact up to one step {@code 2 c / L}. Stateless; one call per collection.
 */
public final class SecureAnalytics {
    private SecureAnalytics() {}

    /**
     * What one collection produced.
     *
     * @param mean         the weighted mean, tensors named and shaped as the template; null when
     *                     the round aborted
     * @param contributors nodes whose vector is in the mean
     * @param dropped      nodes that shared keys but sent no masked vector
     * @param aborted      why the round aborted; null when it finished
     * @param failures     per-node failures (refusals, timeouts) and the abort, if any
     */
    public record Result(ParamSet mean, int contributors, int dropped, String aborted, List<Failure> failures) {}

    /**
     * @param id       the collection's run id (part of the SecAgg round id, so masks differ per collection)
     * @param template the vector's tensors; only names, dtypes and shapes are used
     * @param config   sent with every analytics instruction (the workload's own keys)
     */
    public static Result weightedMean(
            String id,
            Transport transport,
            List<NodeInfo> nodes,
            ParamSet template,
            Config config,
            PrivacyOptions.SecAgg options,
            Duration timeout,
            RandomBits bits)
            throws InterruptedException {
        ParamSet zero = zerosOf(Objects.requireNonNull(template, "template"));
        List<Instruction> asks = new ArrayList<>();
        for (NodeInfo n : nodes) {
            asks.add(new Instruction(id, 1, n.nodeId(), TaskKind.ANALYTICS, config, zero, null));
        }
        SecAggRound.Outcome o = new SecAggRound(id, 1, options, null, transport, timeout, bits)
                .play(asks, nodes, ReplyLimits.DEFAULT, zero, timeout);
        return new Result(o.aggregate(), o.contributors(), o.dropped(), o.aborted(), o.failures());
    }

    private static ParamSet zerosOf(ParamSet t) {
        ParamSet.Builder out = ParamSet.builder();
        for (String name : t.names()) {
            Tensor x = t.get(name);
            if (x.dtype() != DType.F32) {
                throw new IllegalArgumentException("secure analytics sums F32 tensors, '" + name + "' is " + x.dtype());
            }
            out.put(name, Tensor.zeros(x.shape()));
        }
        return out.build();
    }
}
