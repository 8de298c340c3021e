package dev.atelier.core.run;

import dev.atelier.core.aggregate.Aggregator;
import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.filter.ValidationFilter;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.transport.Transport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's side of one exchange (training or evaluation): the one place replies are validated
 * and taken, for every transport. A training reply must match the global model that was sent
 * ({@link ValidationFilter}: names, shapes, dtypes, size, NaN/Inf), then pass the run's inbound
 * filter, and is folded into the round's aggregator; an evaluation reply must carry metrics only.
 * Either must report at least one example, since it is weighted by that count.
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
    private final MetricMean metrics = new MetricMean();
    private final List<Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong examples = new AtomicLong();
    private volatile String aggregateBroken;

    private ReplyIntake(PayloadFilter validate, Aggregator aggregator) {
        this.validate = validate;
        this.aggregator = aggregator;
    }

    /** Training replies: validated against {@code sent}, then {@code inbound}, then aggregated. */
    static ReplyIntake training(ParamSet sent, PayloadFilter inbound, Aggregator aggregator) {
        return new ReplyIntake(new ValidationFilter(sent).then(inbound), aggregator);
    }

    /** Evaluation replies: metrics only. */
    static ReplyIntake evaluation() {
        return new ReplyIntake(null, null);
    }

    @Override
    public void onReply(Reply reply) throws RejectedPayloadException {
        try {
            if (reply.numExamples() == 0) {
                throw new RejectedPayloadException("reply reports 0 examples, so it has no weight; a node without"
                        + " data for this task must fail it with a reason instead");
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
            failures.add(new Failure(reply.nodeId(), Failure.Kind.REJECTED, e.getMessage()));
            throw e;
        } catch (RuntimeException e) {
            String reason = "coordinator error while taking the reply: " + describe(e);
            failures.add(new Failure(reply.nodeId(), Failure.Kind.ERROR, reason));
            throw new RejectedPayloadException(reason);
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
