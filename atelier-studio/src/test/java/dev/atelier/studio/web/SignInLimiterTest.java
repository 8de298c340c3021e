package dev.atelier.studio.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Exponential back-off of wrong passwords, per address and across all addresses, on a test clock. */
class SignInLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SignInLimiter limiter = new SignInLimiter(now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void anAddressBacksOffExponentiallyAfterItsFreeAttemptsAndSuccessClearsIt() {
        for (int i = 0; i < SignInLimiter.FREE_PER_ADDRESS; i++) {
            assertThat(limiter.wait("10.0.0.1")).isZero();
            limiter.failed("10.0.0.1");
        }
        assertThat(limiter.wait("10.0.0.1")).isZero();
        limiter.failed("10.0.0.1"); // 4th: 1 s
        assertThat(limiter.wait("10.0.0.1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(limiter.wait("10.0.0.2"))
                .as("another address is not held up")
                .isZero();
        advance(Duration.ofSeconds(1));
        assertThat(limiter.wait("10.0.0.1")).isZero();
        limiter.failed("10.0.0.1"); // 5th: 2 s
        assertThat(limiter.wait("10.0.0.1")).isEqualTo(Duration.ofSeconds(2));
        advance(Duration.ofSeconds(2));
        limiter.failed("10.0.0.1"); // 6th: 4 s
        assertThat(limiter.wait("10.0.0.1")).isEqualTo(Duration.ofSeconds(4));
        advance(Duration.ofSeconds(4));
        limiter.succeeded("10.0.0.1");
        limiter.failed("10.0.0.1");
        assertThat(limiter.wait("10.0.0.1"))
                .as("a success starts the count again")
                .isZero();
    }

    @Test
    void theLockIsCappedAndOldFailuresAreForgotten() {
        for (int i = 0; i < 40; i++) {
            advance(limiter.wait("a"));
            limiter.failed("a");
        }
        assertThat(limiter.wait("a")).isEqualTo(SignInLimiter.MAX_LOCK);
        advance(SignInLimiter.FORGET.plusSeconds(1));
        assertThat(limiter.wait("a")).isZero();
        limiter.failed("a");
        assertThat(limiter.wait("a")).isZero();
    }

    @Test
    void failuresSpreadOverManyAddressesLockEveryone() {
        for (int i = 0; i < SignInLimiter.FREE_GLOBAL; i++) {
            limiter.failed("192.168.0." + i); // one failure each: no address is locked
        }
        assertThat(limiter.wait("192.168.1.1")).isZero();
        limiter.failed("192.168.1.1");
        assertThat(limiter.wait("192.168.1.2")).isEqualTo(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));
        limiter.failed("192.168.1.3");
        assertThat(limiter.wait("192.168.1.4")).isEqualTo(Duration.ofSeconds(2));
    }
}
