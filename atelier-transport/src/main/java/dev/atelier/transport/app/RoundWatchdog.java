package dev.atelier.transport.app;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Tells {@code /healthz} whether the round loop is making progress. Progress is a round starting,
 * a round attempt that found too few nodes (a federation waiting for nodes is healthy), or a round
 * ending. The loop is <em>stuck</em> when, since the last progress,
 * <ul>
 *   <li>before round 1: more than {@code startup_wait_s + round_timeout_s + GRACE} passed (the
 *       startup wait, then the first attempt's deadline);
 *   <li>in a round: more than {@code 2 × round_timeout_s + GRACE} (the training deadline, then the
 *       federated evaluation's own deadline);
 *   <li>between rounds: more than {@code GRACE} (checkpoint written, next round not started).
 * </ul>
 * {@link #GRACE} covers aggregation, evaluation and checkpoint writes. Once the run ended it is
 * never stuck. Times in nanoseconds from {@code clock} ({@link System#nanoTime} in production).
 * Thread-safe (volatile fields written by the round loop, read by HTTP threads).
 */
final class RoundWatchdog {
    /** Time beyond the deadlines a healthy round loop may need. */
    static final Duration GRACE = Duration.ofSeconds(60);

    private enum Phase {
        STARTUP,
        IN_ROUND,
        BETWEEN,
        ENDED
    }

    private final LongSupplier clock;
    private final long startupLimit;
    private final long roundLimit;
    private final long betweenLimit;
    private volatile Phase phase = Phase.STARTUP;
    private volatile long last;
    private volatile int round;

    RoundWatchdog(Duration roundTimeout, Duration startupWait, LongSupplier clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startupLimit = startupWait.plus(roundTimeout).plus(GRACE).toNanos();
        this.roundLimit = roundTimeout.multipliedBy(2).plus(GRACE).toNanos();
        this.betweenLimit = GRACE.toNanos();
        this.last = clock.getAsLong();
    }

    void roundStarted(int round) {
        this.round = round;
        progress(Phase.IN_ROUND);
    }

    void roundWaited() {
        progress(Phase.IN_ROUND);
    }

    void roundEnded() {
        progress(Phase.BETWEEN);
    }

    void runEnded() {
        progress(Phase.ENDED);
    }

    private void progress(Phase p) {
        last = clock.getAsLong();
        phase = p;
    }

    /** Why the loop is stuck, or empty when it is healthy. */
    Optional<String> stuck() {
        Phase p = phase;
        long limit = switch (p) {
            case STARTUP -> startupLimit;
            case IN_ROUND -> roundLimit;
            case BETWEEN -> betweenLimit;
            case ENDED -> Long.MAX_VALUE;
        };
        long since = clock.getAsLong() - last;
        if (since <= limit) {
            return Optional.empty();
        }
        String where = switch (p) {
            case STARTUP -> "before round 1";
            case IN_ROUND -> "in round " + round;
            default -> "after round " + round;
        };
        return Optional.of(String.format(
                "round loop stuck %s: no progress for %.0f s (limit %.0f s)", where, since / 1e9, limit / 1e9));
    }
}
