package dev.atelier.core.run;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.filter.ValidationFilter;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.Transport;
import dev.atelier.core.util.UntrustedText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's side of one exchange (training or evaluation): the one place replies are validated
 * and taken, for every transport. A training reply must match the global model that was sent
 * ({@link ValidationFilter}: names, shapes, dtypes, size, NaN/Inf), then pass the run's inbound
 * filter, and is folded into the round's aggregator; an evaluation reply must carry metrics only.
 * Either must report at least one example, since it is weighted by that count.
 *
 * <p>Nothing a node sends is trusted: a reply must answer one of this exchange's instructions
 * (same node and round, one reply per instruction; the exchange belongs to one run), claim at most
 * {@link ReplyLimits#maxExamplesFor} examples, carry at most {@link UntrustedText#MAX_METRICS}
 * finite metrics with safe names, and (training) an update within {@link ReplyLimits}'s norm
 * bound. Failure reasons are sanitised by {@link Failure} itself, and the reason relayed to the
 * transport is the sanitised one.
 *
 * <p>A refusal ({@link RejectedPayloadException}) is recorded as a REJECTED failure; any other
 * exception while taking a reply is a coordinator-side ERROR failure for that node. Either way
 * {@link #onReply} records the failure and rethrows it as a {@link RejectedPayloadException}, so
 * the transport can tell the node why. If the aggregator itself failed, the round's aggregate may
 * hold part of that reply and {@link #aggregateBroken()} says so: the run then keeps the global
 * model. Thread-safe (transports call it from their own threads).
 */
final class ReplyIntake implements Transport.ReplySink {
    private final PayloadFilter validate;
    private final Aggregator aggregator;
    /** Instructed node → the round its instruction is for. */
    private final Map<String, Integer> expected;
    /** Instructed node → its example cap. */
    private final Map<String, Long> caps;

    private final Set<String> declared;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final MetricMean metrics = new MetricMean();
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong examples = new AtomicLong();
    private volatile String aggregateBroken;

    private ReplyIntake(
            List<Instruction> instructions,
            List<NodeInfo> nodes,
            ReplyLimits limits,
            PayloadFilter validate,
            Aggregator aggregator) {
        this.validate = validate;
        this.aggregator = aggregator;
        Map<String, NodeInfo> byId = new HashMap<>();
        nodes.forEach(n -> byId.put(n.nodeId(), n));
        Map<String, Integer> rounds = new HashMap<>();
        Map<String, Long> c = new HashMap<>();
        Set<String> d = new java.util.HashSet<>();
        for (Instruction ins : instructions) {
            rounds.put(ins.nodeId(), ins.round());
            long cap = limits.maxExamplesFor(byId.get(ins.nodeId()));
            c.put(ins.nodeId(), cap);
            if (cap < limits.maxExamples()) {
                d.add(ins.nodeId());
            }
        }
        this.expected = Map.copyOf(rounds);
        this.caps = Map.copyOf(c);
        this.declared = Set.copyOf(d);
    }

    /**
     * Training replies to {@code instructions}: validated against {@code sent}, bounded by
     * {@code limits}, then {@code inbound}, then aggregated.
     *
     * @param nodes the nodes instructed (their declared properties lower the example cap)
     */
    static ReplyIntake training(
            List<Instruction> instructions,
            List<NodeInfo> nodes,
            ReplyLimits limits,
            ParamSet sent,
            PayloadFilter inbound,
            Aggregator aggregator) {
        PayloadFilter bounded = p -> {
            limits.checkUpdate(sent, p);
            return p;
        };
        return new ReplyIntake(
                instructions,
                nodes,
                limits,
                new ValidationFilter(sent).then(bounded).then(inbound),
                aggregator);
    }

    /** Evaluation replies to {@code instructions}: metrics only, example counts capped by {@code limits}. */
    static ReplyIntake evaluation(List<Instruction> instructions, List<NodeInfo> nodes, ReplyLimits limits) {
        return new ReplyIntake(instructions, nodes, limits, null, null);
    }

    /** Refuses a reply that answers no instruction of this exchange, or answers one twice. */
    private void checkAnswers(Reply reply) throws RejectedPayloadException {
        Integer round = expected.get(reply.nodeId());
        if (round == null) {
            throw new RejectedPayloadException("node " + reply.nodeId() + " was not asked in this exchange");
        }
        if (round != reply.round()) {
            throw new RejectedPayloadException("reply claims round " + reply.round() + " but the instruction to "
                    + reply.nodeId() + " is for round " + round);
        }
        if (!answered.add(reply.nodeId())) {
            throw new RejectedPayloadException("node " + reply.nodeId() + " already answered round " + round);
        }
    }

    @Override
    public void onReply(Reply reply) throws RejectedPayloadException {
        try {
            checkAnswers(reply);
            if (reply.numExamples() == 0) {
                throw new RejectedPayloadException("reply reports 0 examples, so it has no weight; a node without"
                        + " data for this task must fail it with a reason instead");
            }
            ReplyLimits.checkExamples(reply.numExamples(), caps.get(reply.nodeId()), declared.contains(reply.nodeId()));
            var badMetrics = UntrustedText.checkMetrics(reply.metrics());
            if (badMetrics.isPresent()) {
                throw new RejectedPayloadException(badMetrics.get());
            }
            if (aggregator == null) {
                if (!reply.params().isEmpty()) {
                    throw new RejectedPayloadException("an evaluate reply carries metrics only, got "
                            + reply.params().size() + " tensors");
                }
            } else {
                Reply valid = reply.withParams(validate.process(reply.params()));
                try {
                    aggregator.accept(valid); // a RejectedPayloadException here left no trace: a plain refusal
                } catch (RuntimeException e) {
                    aggregateBroken = "the aggregator failed on " + reply.nodeId() + "'s reply (" + describe(e)
                            + "); the round's aggregate may hold part of it and is discarded";
                    throw e;
                }
            }
            metrics.add(reply.metrics(), reply.numExamples());
            examples.addAndGet(reply.numExamples());
            accepted.incrementAndGet();
        } catch (RejectedPayloadException e) {
            Failure f = new Failure(reply.nodeId(), Failure.Kind.REJECTED, e.getMessage());
            failures.add(f);
            throw f.reason().equals(e.getMessage()) ? e : new RejectedPayloadException(f.reason());
        } catch (RuntimeException e) {
            Failure f = new Failure(
                    reply.nodeId(), Failure.Kind.ERROR, "coordinator error while taking the reply: " + describe(e));
            failures.add(f);
            throw new RejectedPayloadException(f.reason());
        }
    }

    @Override
    public void onFailure(Failure failure) {
        failures.add(failure);
    }

    int accepted() {
        return accepted.get();
    }

    long examples() {
        return examples.get();
    }

    MetricMean metrics() {
        return metrics;
    }

    List<Failure> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** The training aggregate (see {@link Aggregator#result()}). */
    ParamSet aggregate() {
        return aggregator.result();
    }

    /** Why the aggregate cannot be trusted, or null when it can. */
    String aggregateBroken() {
        return aggregateBroken;
    }

    /** A message-less exception (NullPointerException...) still needs a useful reason. */
    static String describe(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
