package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParentWatchdogTest {
    @Test
    void theEndOfThePipeFiresOnceAndBytesOnItDoNot() throws Exception {
        PipedOutputStream parent = new PipedOutputStream();
        PipedInputStream child = new PipedInputStream(parent);
        AtomicInteger fired = new AtomicInteger();
        ParentWatchdog w = ParentWatchdog.watch(child, null, Duration.ofMillis(10), fired::incrementAndGet);
        parent.write(new byte[] {1, 2, 3});
        parent.flush();
        assertThat(w.awaitOrphaned(Duration.ofMillis(300))).isFalse();
        assertThat(fired).hasValue(0);
        parent.close();
        assertThat(w.awaitOrphaned(Duration.ofSeconds(5))).isTrue();
        assertThat(fired).hasValue(1);
    }

    @Test
    void aParentNoLongerAliveFiresWhileThePipeStaysOpen() throws Exception {
        PipedOutputStream parent = new PipedOutputStream();
        PipedInputStream child = new PipedInputStream(parent);
        AtomicBoolean alive = new AtomicBoolean(true);
        AtomicInteger fired = new AtomicInteger();
        ParentWatchdog w = ParentWatchdog.watch(child, alive::get, Duration.ofMillis(10), fired::incrementAndGet);
        assertThat(w.awaitOrphaned(Duration.ofMillis(300))).isFalse();
        alive.set(false);
        assertThat(w.awaitOrphaned(Duration.ofSeconds(5))).isTrue();
        // the pipe's end afterwards does not fire again
        parent.close();
        Thread.sleep(100);
        assertThat(fired).hasValue(1);
    }

    @Test
    void somethingMustBeWatched() {
        assertThatThrownBy(() -> ParentWatchdog.watch(null, null, Duration.ofMillis(10), () -> {}))
                .hasMessageContaining("nothing to watch");
    }
}
