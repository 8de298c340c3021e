package dev.atelier.transport.coordinator;

import dev.atelier.core.filter.PayloadFilter;
import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.filter.ValidationFilter;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.params.Safetensors;
import dev.atelier.transport.proto.PushResult.Outcome;
import dev.atelier.transport.proto.ReplyHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a committed upload into a {@link Reply} for the run: maps the safetensors file (no copy
 * onto the heap), validates it against the parameters that were sent with the same rules the
 * run applies ({@link ValidationFilter}: names, shapes, dtypes, size, NaN/Inf) plus the extra
 * inbound filter, and hands it to the sink. Validating here, not only in the run, is what lets
 * the coordinator send the rejection reason back to the node. Thread-safe.
 */
final class ReplyDelivery {
    private final PayloadFilter inbound;

    ReplyDelivery(PayloadFilter inbound) {
        this.inbound = inbound;
    }

    GrpcTransport.Delivery deliver(PendingInstruction p, ReplyHeader h, Path file) {
        RoundBook book = p.round;
        try {
            if (!book.startDelivery(p)) {
                return new GrpcTransport.Delivery(Outcome.DUPLICATE, "instruction " + p.id + " already has an outcome");
            }
            String node = p.nodeId();
            ParamSet params;
            try {
                params = Files.size(file) == 0 ? ParamSet.empty() : Safetensors.read(file);
                ParamSet sent = p.instruction.params();
                if (!sent.isEmpty() || !params.isEmpty()) {
                    params = new ValidationFilter(sent).then(inbound).process(params);
                }
            } catch (RejectedPayloadException | IOException | IllegalArgumentException e) {
                String reason = "invalid reply: " + e.getMessage();
                book.failClaimed(p, new Failure(node, Failure.Kind.REJECTED, reason));
                return new GrpcTransport.Delivery(Outcome.REJECTED, reason);
            }
            Reply reply = new Reply(
                    node,
                    p.roundNumber(),
                    params,
                    h.getNumExamples(),
                    h.getMetricsMap(),
                    h.getCompactPayload().toByteArray());
            try {
                book.deliver(p, reply);
            } catch (RuntimeException e) {
                return new GrpcTransport.Delivery(Outcome.REJECTED, "the run refused the reply: " + e.getMessage());
            }
            return new GrpcTransport.Delivery(Outcome.ACCEPTED, "aggregated into round " + p.roundNumber());
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // staging is swept at start
            }
        }
    }
}
