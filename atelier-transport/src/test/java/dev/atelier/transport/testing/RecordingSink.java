package dev.atelier.transport.testing;

import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Reply;
import dev.atelier.core.transport.Transport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A thread-safe sink that keeps every outcome. */
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
}
