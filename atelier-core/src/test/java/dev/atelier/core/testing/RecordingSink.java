package dev.atelier.core.testing;

import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Reply;
import dev.atelier.core.transport.Transport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A reply sink that keeps every outcome in arrival order, for tests of any transport. Thread-safe. */
public final class RecordingSink implements Transport.ReplySink {
    public final List<Reply> replies = new CopyOnWriteArrayList<>();
    public final List<Failure> failures = new CopyOnWriteArrayList<>();

    @Override
    public void onReply(Reply reply) {
        replies.add(reply);
    }

    @Override
    public void onFailure(Failure failure) {
        failures.add(failure);
    }

    /** The failures by node id (at most one per node). */
    public Map<String, Failure> failuresByNode() {
        return failures.stream().collect(Collectors.toMap(Failure::nodeId, f -> f));
    }
}
