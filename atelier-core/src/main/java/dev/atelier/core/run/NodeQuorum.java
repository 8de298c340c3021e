package dev.atelier.core.run;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a round's quorum ({@code Sampling.minAvailable} nodes) under the round rules (see
 * {@link Run}): each attempt has one deadline of the round timeout, during which the transport is
 * asked again every second (a transport that answers at once is paced, not spun); an attempt that
 * reaches its deadline with too few nodes is reported to the listener and the same round is
 * attempted again, until the run is cancelled (noticed within a second) or, when bounded,
 * {@code maxWaits} attempts failed. Used by the run's thread only.
 */
final class NodeQuorum {
    /**
     * A successful attempt: the nodes available and the attempt's deadline (System.nanoTime), which
     * the training exchange shares.
     *
     * @param waits failed attempts before this one
     */
    record Attempt(List<NodeInfo> nodes, long deadlineNanos, int waits) {
        Duration remaining() {
            return NodeQuorum.remaining(deadlineNanos);
        }
    }

    private static final Duration SLICE = Duration.ofSeconds(1);
    private final Transport transport;
    private final Duration timeout;
    private final int maxWaits;
    private final RunListener listener;
    private final CountDownLatch cancelled;

    /** @param maxWaits failed attempts after which {@link #await} throws; 0 = unbounded */
    NodeQuorum(Transport transport, Duration timeout, int maxWaits, RunListener listener, CountDownLatch cancelled) {
        this.transport = transport;
        this.timeout = timeout;
        this.maxWaits = maxWaits;
        this.listener = listener;
        this.cancelled = cancelled;
    }

    /**
     * @return the first attempt with at least {@code min} nodes, or null when cancelled meanwhile
     * @throws IllegalStateException after {@code maxWaits} failed attempts
     */
    Attempt await(int round, int min) throws InterruptedException {
        for (int waits = 0; ; ) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<NodeInfo> nodes = List.of();
            while (true) {
                // In slices, so cancel() is seen within a second even while a transport blocks.
                Duration left = remaining(deadline);
                Duration slice = left.compareTo(SLICE) < 0 ? left : SLICE;
                long sliceEnd = System.nanoTime() + slice.toNanos();
                nodes = transport.awaitNodes(min, slice);
                if (nodes.size() >= min) {
                    return new Attempt(nodes, deadline, waits);
                }
                // A transport that answered before the slice ended (a fixed in-process node set) is
                // paced to the slice, not spun.
                long rest = sliceEnd - System.nanoTime();
                if ((rest > 0 && cancelled.await(rest, TimeUnit.NANOSECONDS)) || cancelled.getCount() == 0) {
                    return null;
                }
                if (remaining(deadline).isZero()) {
                    break;
                }
            }
            waits++;
            listener.onRoundWaiting(round, waits, nodes.size(), min);
            if (maxWaits > 0 && waits >= maxWaits) {
                throw new IllegalStateException("round " + round + ": only " + nodes.size() + " of the required " + min
                        + " nodes were available in " + waits + " waits of " + timeout + "; giving up");
            }
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
