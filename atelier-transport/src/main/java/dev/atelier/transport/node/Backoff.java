package dev.atelier.transport.node;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential reconnect delay: starts at {@code initial}, doubles per failure up to {@code max},
 * with ±20% jitter so many nodes do not reconnect in lockstep after a coordinator restart.
 * Not thread-safe.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** The delay to wait now; the following one doubles. */
    public Duration nextDelay() {
        Duration d = next;
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis(Math.max(1, (long) (d.toMillis() * jitter)));
    }

    /** After a success: start from {@code initial} again. */
    public void reset() {
        next = initial;
    }
}
