package dev.atelier.transport.coordinator;

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
 * Turns a committed upload (checksums, chunk order and declared size already verified while
 * staging) into a {@link Reply} for the run: maps the safetensors file (no copy onto the heap),
 * checks that it parses, and hands the reply to the sink. Whether the reply fits the model (names,
 * shapes, dtypes, NaN/Inf, examples) is the run's decision, made once for every transport; this
 * class relays the run's verdict so the node learns the reason. Thread-safe.
 */
final class ReplyDelivery {
    /** What the node is told about its upload. */
    record Verdict(Outcome outcome, String reason) {}

    Verdict deliver(PendingInstruction p, ReplyHeader h, Path file) {
        RoundBook book = p.round;
        try {
            if (!book.startDelivery(p)) {
                return new Verdict(Outcome.DUPLICATE, "instruction " + p.id + " already has an outcome");
            }
            String node = p.nodeId();
            Reply reply;
            try {
                ParamSet params = Files.size(file) == 0 ? ParamSet.empty() : Safetensors.read(file);
                reply = new Reply(
                        node,
                        h.getRound(), // the node's claim: the run checks it against the instruction
                        params,
                        h.getNumExamples(),
                        h.getMetricsMap(),
                        h.getCompactPayload().toByteArray());
            } catch (IOException | IllegalArgumentException e) {
                // Not a safetensors file, or a header the Reply record refuses (examples beyond 2^63).
                String reason = "malformed reply: " + e.getMessage();
                book.failClaimed(p, new Failure(node, Failure.Kind.REJECTED, reason));
                return new Verdict(Outcome.REJECTED, reason);
            }
            String refused = book.deliver(p, reply);
            return refused == null
                    ? new Verdict(Outcome.ACCEPTED, "accepted into round " + p.roundNumber())
                    : new Verdict(Outcome.REJECTED, refused);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // staging is swept at start
            }
        }
    }
}
