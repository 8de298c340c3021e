package dev.atelier.core.util;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * A cancellation token for long work that cannot be pre-empted (FLARE's {@code abort_signal}): a
 * DJL step runs to its end, so a workload checks {@link #throwIfCancelled()} between steps and
 * stops early when the round's deadline has passed or its runtime stops.
 *
 * <p>A token is cancelled when {@link #cancel} was called on it, when its deadline passed, or
 * when the token it was derived from ({@link #withDeadline}) is cancelled. Cancellation is
 * one-way and the first reason sticks. Deadlines use {@link System#nanoTime()}, so they do not
 * move with the wall clock. Thread-safe: one thread may cancel while another checks.
 */
public final class Cancellation {
    /** Longer waits count as no deadline (nanoTime differences overflow after 292 years). */
    private static final Duration FOREVER = Duration.ofDays(365L * 100);

    private final Cancellation parent;
    private final long deadlineNanos;
    /** Null when this token has no deadline of its own. */
    private final String deadlineReason;

    private volatile String reason;

    private Cancellation(Cancellation parent, long deadlineNanos, String deadlineReason) {
        this.parent = parent;
        this.deadlineNanos = deadlineNanos;
        this.deadlineReason = deadlineReason;
    }

    /** A new token without deadline: cancelled only by {@link #cancel}. */
    public static Cancellation none() {
        return new Cancellation(null, 0, null);
    }

    /**
     * A new token cancelled once {@code within} has passed from now.
     *
     * @param reason the reason reported once the deadline passed, e.g. "round deadline of 60 s passed"
     */
    public static Cancellation after(Duration within, String reason) {
        return none().withDeadline(within, reason);
    }

    /** A token cancelled when this one is or once {@code within} has passed from now. */
    public Cancellation withDeadline(Duration within, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (within.compareTo(FOREVER) > 0) {
            return new Cancellation(this, 0, null);
        }
        long nanos = within.isNegative() ? 0 : within.toNanos();
        return new Cancellation(this, System.nanoTime() + nanos, reason);
    }

    /** Cancels this token (and every token derived from it); later calls keep the first reason. */
    public void cancel(String why) {
        Objects.requireNonNull(why, "why");
        synchronized (this) {
            if (reason == null) {
                reason = why;
            }
        }
    }

    /** Why the work should stop, or empty while it may go on. */
    public Optional<String> reason() {
        String r = reason;
        if (r != null) {
            return Optional.of(r);
        }
        if (deadlineReason != null && System.nanoTime() - deadlineNanos >= 0) {
            return Optional.of(deadlineReason);
        }
        return parent == null ? Optional.empty() : parent.reason();
    }

    public boolean isCancelled() {
        return reason().isPresent();
    }

    /** Throws {@link CancellationException} carrying the reason when the work should stop. */
    public void throwIfCancelled() {
        Optional<String> r = reason();
        if (r.isPresent()) {
            throw new CancellationException(r.get());
        }
    }
}
