package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.message.Failure;
import dev.atelier.core.run.RoundRecord;
import dev.atelier.core.run.RoundRecordCodec;
import dev.atelier.core.testing.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The coordinator's state on embedded H2 (default) and on a real PostgreSQL server. The PostgreSQL
 * case needs {@code ATELIER_TEST_POSTGRES_URL} (and {@code _USER}, {@code _PASSWORD}); .ci/run
 * installs Debian's postgresql, starts it and sets them (it fails when it cannot). Without them the
 * case fails under CI and is skipped elsewhere ({@link TestDatabases}).
 */
class StateStoreTest {
    @TempDir
    Path tmp;

    private String[] database(String kind) throws Exception {
        TestDatabases.Db db = TestDatabases.of(
                kind, tmp.resolve("state"), List.of("atelier_runs", "atelier_rounds", "atelier_nodes", "atelier_wire"));
        return new String[] {db.url(), db.user(), db.password()};
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void runsRoundsNodesAndWireAuditSurviveReopeningAndResume(String kind) throws Exception {
        String[] db = database(kind);
        RoundRecord r1 = new RoundRecord(
                1,
                3,
                2,
                List.of(new Failure("c", Failure.Kind.DISCONNECTED, "lost")),
                true,
                Map.of("loss", 0.5),
                Map.of("accuracy", 0.8),
                1.25);
        try (StateStore s = StateStore.open(db[0], db[1], db[2])) {
            s.startRun("r", "classifier", "fedavg", 3, 0);
            s.upsertNode("a", "10.0.0.1:5000", Map.of("memory_gb", "16"), "CONNECTED");
            s.upsertNode("a", "10.0.0.1:5001", Map.of("memory_gb", "16"), "CONNECTED");
            s.setNodeStatus("a", "DISCONNECTED");
            s.recordRound("r", r1);
            s.recordRound("r", new RoundRecord(2, 3, 3, List.of(), true, Map.of(), Map.of(), 2.0));
            s.addWire("r", 1, "a", "FROM_NODE", "PARAMETERS", 1000);
            s.addWire("r", 1, "a", "FROM_NODE", "PARAMETERS", 24);
            s.addWire("r", 1, "a", "FROM_NODE", "METRICS", 40);
        }
        try (StateStore s = StateStore.open(db[0], db[1], db[2])) {
            assertThat(s.runs()).singleElement().satisfies(run -> {
                assertThat(run.get("workload")).isEqualTo("classifier");
                assertThat(((Number) run.get("last_round")).intValue()).isEqualTo(2);
            });
            assertThat(s.nodes()).singleElement().satisfies(n -> {
                assertThat(n.get("address")).isEqualTo("10.0.0.1:5001");
                assertThat(n.get("status")).isEqualTo("DISCONNECTED");
            });
            assertThat(s.rounds("r"))
                    .extracting(x -> ((Number) x.get("replies")).intValue())
                    .containsExactly(2, 3);
            assertThat((String) s.rounds("r").get(0).get("failures_json"))
                    .contains("DISCONNECTED")
                    .contains("lost");
            assertThat(s.wire("r"))
                    .extracting(w -> w.get("kind") + "=" + ((Number) w.get("bytes")).longValue())
                    .containsExactly("METRICS=40", "PARAMETERS=1024");

            // A coordinator restarted after round 1 drops the later round and backfills from metrics.jsonl.
            s.startRun("r", "classifier", "fedavg", 3, 1);
            assertThat(s.rounds("r"))
                    .extracting(x -> ((Number) x.get("round")).intValue())
                    .containsExactly(1);
            RoundRecord r2 = new RoundRecord(
                    2, 3, 3, List.of(new Failure("d", Failure.Kind.TIMEOUT, "late")), true, Map.of(), Map.of(), 2.0);
            s.backfillRound("r", r2);
            s.backfillRound("r", new RoundRecord(2, 9, 9, List.of(), true, Map.of(), Map.of(), 2.0));
            assertThat(s.rounds("r"))
                    .extracting(x -> ((Number) x.get("replies")).intValue())
                    .containsExactly(2, 3);
            assertThat(RoundRecordCodec.failuresFromJson(
                            (String) s.rounds("r").get(1).get("failures_json")))
                    .isEqualTo(r2.failures());
            assertThat(RoundRecordCodec.metricsFromJson(
                            (String) s.rounds("r").get(0).get("fit_json")))
                    .isEqualTo(r1.fit());
            assertThat(s.runStatus("r")).hasValue(RunStatus.RUNNING);
            s.setRunStatus("r", RunStatus.COMPLETE);
            assertThat(s.runs().get(0).get("status")).isEqualTo("complete");
            assertThat(s.runStatus("r")).hasValue(RunStatus.COMPLETE);
            assertThat(s.runStatus("nope")).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:nosuchdb://x/y"})
    void anUnknownDatabaseGivesAClearError(String url) {
        assertThatThrownBy(() -> StateStore.open(url, "", ""))
                .hasMessageContaining("cannot open the state database " + url)
                .hasMessageContaining("JDBC driver");
    }
}
