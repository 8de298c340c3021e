package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RoundWatchdogTest {
    private final AtomicLong now = new AtomicLong(1_000);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private RoundWatchdog watchdog() {
        return new RoundWatchdog(Duration.ofSeconds(100), Duration.ofSeconds(300), now::get);
    }

    @Test
    void aRoundPastBothDeadlinesAndTheGraceIsStuck() {
        RoundWatchdog w = watchdog();
        w.roundStarted(1);
        advance(Duration.ofSeconds(200 + 60)); // training + evaluation deadlines + grace: still fine
        assertThat(w.stuck()).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(w.stuck()).hasValue("round loop stuck in round 1: no progress for 261 s (limit 260 s)");
        w.roundEnded(); // progress clears it
        assertThat(w.stuck()).isEmpty();
    }

    @Test
    void waitingForNodesIsProgressButALoopThatNeverStartsTheNextRoundIsStuck() {
        RoundWatchdog w = watchdog();
        w.roundStarted(3);
        for (int i = 0; i < 10; i++) { // ten attempts that found too few nodes: 1000 s, healthy throughout
            advance(Duration.ofSeconds(100));
            w.roundWaited();
            assertThat(w.stuck()).isEmpty();
        }
        w.roundEnded();
        advance(Duration.ofSeconds(61));
        assertThat(w.stuck()).hasValue("round loop stuck after round 3: no progress for 61 s (limit 60 s)");
    }

    @Test
    void startupMayTakeTheStartupWaitAndOneDeadlineAndAnEndedRunIsNeverStuck() {
        RoundWatchdog w = watchdog();
        advance(Duration.ofSeconds(300 + 100 + 60));
        assertThat(w.stuck()).isEmpty();
        advance(Duration.ofSeconds(1));
        assertThat(w.stuck()).hasValueSatisfying(s -> assertThat(s).startsWith("round loop stuck before round 1"));
        w.runEnded();
        advance(Duration.ofDays(30));
        assertThat(w.stuck()).isEmpty();
    }

    @Test
    void healthzAnswers503WithTheReasonWhenStuck() throws Exception {
        RoundWatchdog w = watchdog();
        CoordinatorMetrics metrics = new CoordinatorMetrics("r", "linear", 5, List::of);
        metrics.watch(w);
        try (MetricsServer server = new MetricsServer("127.0.0.1", 0, metrics, Map::of, w::stuck)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                    .build();
            metrics.roundStarted(2);
            HttpResponse<String> ok = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok\n");
            advance(Duration.ofSeconds(300));
            HttpResponse<String> stuck = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(stuck.statusCode()).isEqualTo(503);
            assertThat(stuck.body())
                    .isEqualTo("unhealthy: round loop stuck in round 2: no progress for 300 s (limit 260 s)\n");
        }
    }
}
