package dev.atelier.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class CancellationTest {
    @Test
    void noneRunsUntilCancelledAndKeepsTheFirstReason() {
        Cancellation c = Cancellation.none();
        assertThat(c.isCancelled()).isFalse();
        c.throwIfCancelled();
        c.cancel("node stopping");
        c.cancel("second reason");
        assertThat(c.reason()).contains("node stopping");
        assertThatThrownBy(c::throwIfCancelled)
                .isInstanceOf(CancellationException.class)
                .hasMessage("node stopping");
    }

    @Test
    void deadlinePassesAfterItsDuration() throws InterruptedException {
        Cancellation c = Cancellation.after(Duration.ofMillis(50), "round deadline passed");
        assertThat(c.isCancelled()).isFalse();
        Thread.sleep(80);
        assertThat(c.reason()).contains("round deadline passed");
        assertThat(Cancellation.after(Duration.ofMillis(-5), "already late").reason())
                .contains("already late");
    }

    @Test
    void derivedTokenFollowsItsParentButNotTheOtherWay() {
        Cancellation runtime = Cancellation.none();
        Cancellation instruction = runtime.withDeadline(Duration.ofHours(1), "deadline");
        Cancellation sibling = runtime.withDeadline(Duration.ofHours(1), "deadline");
        instruction.cancel("only this one");
        assertThat(runtime.isCancelled()).isFalse();
        assertThat(sibling.isCancelled()).isFalse();
        runtime.cancel("runtime stopped");
        assertThat(sibling.reason()).contains("runtime stopped");
        assertThat(instruction.reason()).contains("only this one");
    }

    @Test
    void hugeDeadlinesDoNotOverflow() {
        Cancellation c = Cancellation.after(Duration.ofSeconds(Long.MAX_VALUE), "never");
        assertThat(c.isCancelled()).isFalse();
        Cancellation d = Cancellation.none().withDeadline(Duration.ofDays(365L * 200), "never");
        assertThat(d.isCancelled()).isFalse();
    }
}
