package dev.atelier.studio.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing at {@code /login}: per client address and for the whole studio.
 * An address may fail {@link #FREE_PER_ADDRESS} times; each further failure locks it out for
 * twice as long as the one before (1 s, 2 s, 4 s ... at most {@link #MAX_LOCK}). All addresses
 * together may fail {@link #FREE_GLOBAL} times before the same back-off applies to everyone (a
 * guesser spread over many addresses). A locked-out attempt is answered without checking the
 * password and does not count. A correct password clears its address (not the global count);
 * failures older than {@link #FORGET} are forgotten. The client address is the socket's peer,
 * never a forwarded header. At most {@link #MAX_ADDRESSES} addresses are tracked (least recently
 * failed dropped first). Thread-safe.
 */
final class SignInLimiter {
    static final int FREE_PER_ADDRESS = 3;
    static final int FREE_GLOBAL = 20;
    static final Duration FIRST_LOCK = Duration.ofSeconds(1);
    static final Duration MAX_LOCK = Duration.ofMinutes(15);
    static final Duration FORGET = Duration.ofMinutes(30);
    static final int MAX_ADDRESSES = 10_000;
    private static final String GLOBAL = "";

    /** Failures so far, when the last one was, and until when the key is locked (nanos of the clock). */
    private record State(int failures, long last, long lockedUntil) {}

    private final LongSupplier nanos;
    private final Map<String, State> states = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, State> eldest) {
            return size() > MAX_ADDRESSES + 1;
        }
    };

    SignInLimiter() {
        this(System::nanoTime);
    }

    SignInLimiter(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** How long {@code address} must wait before its next attempt; zero when it may try now. */
    synchronized Duration wait(String address) {
        long now = nanos.getAsLong();
        long until = Math.max(lockedUntil(address, now), lockedUntil(GLOBAL, now));
        return until <= now ? Duration.ZERO : Duration.ofNanos(until - now);
    }

    /** A wrong password from {@code address}. */
    synchronized void failed(String address) {
        long now = nanos.getAsLong();
        fail(address, FREE_PER_ADDRESS, now);
        fail(GLOBAL, FREE_GLOBAL, now);
    }

    /** The right password from {@code address}. */
    synchronized void succeeded(String address) {
        states.remove(address);
    }

    private long lockedUntil(String key, long now) {
        State s = current(key, now);
        return s == null ? Long.MIN_VALUE : s.lockedUntil();
    }

    private State current(String key, long now) {
        State s = states.get(key);
        if (s != null && now - s.last() > FORGET.toNanos()) {
            states.remove(key);
            return null;
        }
        return s;
    }

    private void fail(String key, int free, long now) {
        State s = current(key, now);
        int failures = s == null ? 1 : s.failures() + 1;
        long lock = 0;
        if (failures > free) {
            int doublings = Math.min(failures - free - 1, 30);
            lock = Math.min(FIRST_LOCK.toNanos() << doublings, MAX_LOCK.toNanos());
        }
        states.put(key, new State(failures, now, now + lock));
    }
}
