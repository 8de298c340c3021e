package dev.atelier.sketch.fed;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.message.TaskKind;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.Transport;
import dev.atelier.sketch.model.StyleCard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The federation's style card: an {@code ANALYTICS} task over the transport; each node replies with
 * its style card, which its outbound filter lets out only if the designer opted in. The cards that
 * arrive are averaged, weighted by the designers' example counts. Stateless.
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
}
