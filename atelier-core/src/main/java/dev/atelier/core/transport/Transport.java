package dev.atelier.core.transport;

import dev.atelier.core.filter.RejectedPayloadException;
import dev.atelier.core.message.Failure;
import dev.atelier.core.message.Instruction;
import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.message.Reply;
import java.time.Duration;
import java.util.List;

/**
 * How instructions reach nodes and replies come back (Flower's Grid). The in-process
 * implementation runs virtual nodes in this JVM; the gRPC one reaches real nodes. {@code Run} is
 * written against this interface only.
 */
public interface Transport extends AutoCloseable {
    /**
     * Nodes currently available, waiting up to {@code timeout} for at least {@code min} of them.
     * Returns what is available at the deadline, possibly fewer.
     */
    List<NodeInfo> awaitNodes(int min, Duration timeout) throws InterruptedException;

    /**
     * Delivers the instructions and reports each outcome to {@code sink} as it arrives, from any
     * thread. Returns when every instruction has a reply or failure, or at {@code deadline}, after
     * reporting the missing ones as {@link Failure.Kind#TIMEOUT}.
     */
    void sendAndReceive(List<Instruction> instructions, ReplySink sink, Duration deadline) throws InterruptedException;

    /** Byte counts per node and payload kind, for the wire audit; empty when not tracked. */
    default WireLedger ledger() {
        return WireLedger.NONE;
    }

    @Override
    default void close() {}

    /** Receives outcomes; must be thread-safe. */
    interface ReplySink {
        /**
         * Takes one reply. Returns normally when the reply was accepted; throws when the receiver
         * refused it (validation) or could not fold it in. The receiver has then already recorded
         * the node's {@link Failure}; the transport must not record another one, and relays the
         * exception's message to the node as the reason (gRPC answers REJECTED).
         */
        void onReply(Reply reply) throws RejectedPayloadException;

        void onFailure(Failure failure);
    }
}
