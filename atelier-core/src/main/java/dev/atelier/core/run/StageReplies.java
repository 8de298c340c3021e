package dev.atelier.core.run;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.Reply;
import dev.atelier.core.transport.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run's side of one exchange of a secure-aggregation round: refuses a reply that answers none
 * of the stage's instructions (node, round) or answers twice, hands the others to the stage's
 * {@link Taker}, and records every refusal and transport failure with the stage named, as
 * {@link ReplyIntake} does for training. Thread-safe (transports call it from their threads; the
 * taker must be too).
 */
final class StageReplies implements Transport.ReplySink {
    /** Takes one reply of the stage; throws to refuse it (the node then dropped out of the round). */
    @FunctionalInterface
    interface Taker {
        void take(Reply reply) throws RejectedPayloadException;
    }

    private final String stage;
    private final Map<String, Integer> expected = new ConcurrentHashMap<>();
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final Taker taker;

    StageReplies(String stage, List<Instruction> instructions, Taker taker) {
        this.stage = stage;
        this.taker = taker;
        instructions.forEach(i -> expected.put(i.nodeId(), i.round()));
    }

    @Override
    public void onReply(Reply reply) throws RejectedPayloadException {
        try {
            Integer round = expected.get(reply.nodeId());
            if (round == null) {
                throw new RejectedPayloadException("node " + reply.nodeId() + " was not asked in " + stage);
            }
            if (round != reply.round()) {
                throw new RejectedPayloadException("reply claims round " + reply.round() + " but the " + stage
                        + " instruction to " + reply.nodeId() + " is for round " + round);
            }
            if (!answered.add(reply.nodeId())) {
                throw new RejectedPayloadException("node " + reply.nodeId() + " already answered " + stage);
            }
            taker.take(reply);
            taken.add(reply.nodeId());
        } catch (RejectedPayloadException e) {
            Failure f = new Failure(reply.nodeId(), Failure.Kind.REJECTED, stage + ": " + e.getMessage());
            failures.add(f);
            throw new RejectedPayloadException(f.reason());
        } catch (RuntimeException e) {
            Failure f = new Failure(
                    reply.nodeId(),
                    Failure.Kind.ERROR,
                    stage + ": coordinator error while taking the reply: " + ReplyIntake.describe(e));
            failures.add(f);
            throw new RejectedPayloadException(f.reason());
        }
    }

    @Override
    public void onFailure(Failure failure) {
        failures.add(new Failure(failure.nodeId(), failure.kind(), stage + ": " + failure.reason()));
    }

    /** Nodes whose reply was taken. */
    Set<String> taken() {
        return Set.copyOf(taken);
    }

    List<Failure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }
}
