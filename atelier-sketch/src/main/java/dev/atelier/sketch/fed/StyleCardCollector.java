package dev.atelier.sketch.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.privacy.PrivacyOptions;
import dev.atelier.core.privacy.RandomBits;
import dev.atelier.core.run.SecureAnalytics;
import dev.atelier.core.transport.Transport;
import dev.atelier.sketch.model.StyleCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The federation's style card: an {@code ANALYTICS} task over the transport; each node replies with
 * its style card, which its outbound filter lets out only if the designer opted in. The cards are
 * averaged, weighted by the designers' example counts: in the clear ({@link #collect}, the
 * coordinator sees every card) or under SecAgg+ ({@link #collectSecurely}: the cards travel only
 * inside masked vectors and the coordinator learns only the weighted mean card). Stateless.
 */
final class StyleCardCollector {
    private StyleCardCollector() {}

    /** @return the weighted average of the cards received, or null when none was shared */
    static StyleCard collect(Transport transport, List<String> nodeIds) throws InterruptedException {
        List<Instruction> asks = new ArrayList<>();
        for (String id : nodeIds) {
            asks.add(new Instruction("style-cards", 0, id, TaskKind.ANALYTICS, Config.empty(), ParamSet.empty(), null));
        }
        List<StyleCard> cards = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<Failure> failures = new ArrayList<>();
        transport.sendAndReceive(
                asks,
                new Transport.ReplySink() {
                    @Override
                    public synchronized void onReply(Reply reply) {
                        if (!reply.params().isEmpty()) {
                            cards.add(StyleCard.fromParamSet(reply.params()));
                            weights.add((double) reply.numExamples());
                        }
                    }

                    @Override
                    public synchronized void onFailure(Failure failure) {
                        failures.add(failure);
                    }
                },
                Duration.ofMinutes(10));
        if (!failures.isEmpty()) {
            throw new IllegalStateException("style card collection failed: " + failures);
        }
        return cards.isEmpty()
                ? null
                : StyleCard.average(
                        cards, weights.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * SecAgg+ settings of a card collection: complete graph, majority threshold, coordinates clipped
     * to [-256, 256] (card means and stds of encoder features are far inside) on 2^24 levels, so the
     * mean card is exact up to 3.1e-5 per value; at most 2^31 / 2^23 = 256 designers fit 32 bits.
     */
    static final PrivacyOptions.SecAgg CARD_SECAGG = new PrivacyOptions.SecAgg(Integer.MAX_VALUE, 0, 256, 1L << 24);

    /**
     * The weighted mean card of {@code nodeIds} under secure aggregation; every node must carry
     * {@code SecAggNode} outermost and share its card (a node whose filter withholds it fails and is
     * left out). Needs at least 3 contributors (SecAgg+'s minimum).
     *
     * @param shape any card with the federation's channels (only its shapes are used)
     * @throws IllegalStateException when the round aborted
     */
    static StyleCard collectSecurely(Transport transport, List<String> nodeIds, StyleCard shape, RandomBits bits)
            throws InterruptedException {
        SecureAnalytics.Result r = SecureAnalytics.weightedMean(
                "style-cards",
                transport,
                nodeIds.stream().map(NodeInfo::of).toList(),
                shape.toParamSet(),
                Config.empty(),
                CARD_SECAGG,
                Duration.ofMinutes(10),
                bits);
        if (r.mean() == null) {
            throw new IllegalStateException(
                    "secure style card collection aborted: " + r.aborted() + " " + r.failures());
        }
        return StyleCard.fromParamSet(nonNegativeStds(r.mean()));
    }

    /** Rounding can leave a mean std a quantisation step below 0; a std is >= 0. */
    private static ParamSet nonNegativeStds(ParamSet mean) {
        ParamSet.Builder b = ParamSet.builder();
        for (String n : mean.names()) {
            float[] v = mean.get(n).toFloats();
            if (n.endsWith(".std")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.max(0, v[i]);
                }
            }
            b.putF32(n, mean.get(n).shape(), v);
        }
        return b.build();
    }
}
