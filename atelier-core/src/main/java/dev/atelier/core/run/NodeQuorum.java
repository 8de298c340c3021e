package dev.atelier.core.run;

import dev.atelier.core.message.NodeInfo;
import dev.atelier.core.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a round's quorum ({@code Sampling.minAvailable} nodes) under the round rules (see
 * {@link Run}): each attempt has one deadline of the round timeout; an attempt that ends with too
 * few nodes is reported to the listener, its deadline is waited out (so a transport that answers at
 * once cannot spin) and the same round is attempted again, until the run is cancelled or, when
 * bounded, {@code maxWaits} attempts failed. Used by the run's thread only.
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
            return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        }
    }

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
            Attempt attempt = new Attempt(transport.awaitNodes(min, timeout), deadline, waits);
            int have = attempt.nodes().size();
            if (have >= min) {
                return attempt;
            }
            waits++;
            listener.onRoundWaiting(round, waits, have, min);
            if (maxWaits > 0 && waits >= maxWaits) {
                throw new IllegalStateException("round " + round + ": only " + have + " of the required " + min
                        + " nodes were available in " + waits + " waits of " + timeout + "; giving up");
            }
            if (cancelled.await(attempt.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                return null;
            }
        }
    }
}
