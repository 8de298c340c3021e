package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.core.run.ReplyLimits;
import dev.atelier.core.strategy.ReplyMemoryBudget;
import dev.atelier.core.strategy.StrategySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorConfigTest {
    @TempDir
    Path tmp;

    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("run_id", "r1");
        m.put("workload", "classifier");
        m.put("rounds", "5");
        m.put("cert_dir", "certs");
        return m;
    }

    private CoordinatorConfig parse(Map<String, String> m) {
        return CoordinatorConfig.parse(m, tmp);
    }

    @Test
    void aFileIsReadIntoItsGroupsWithDefaultsAndPathsResolvedAgainstItsFolder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(dir.resolve("coordinator.toml"), """
                run_id = "fmnist"
                workload = "classifier"
                rounds = 20
                # a comment
                strategy = "Krum:f=1"   # an inline comment is a comment, not part of the value
                round_timeout_s = 1.5
                cert_dir = "../certs"
                metrics_listen = "off"
                db_password = "hunter2"
                memory_budget_mb = 512

                [sampling]
                min_available = 4
                min_replies = 4

                [train]
                lr = 0.001

                [workload_settings]
                model = "small"
                """);
        CoordinatorConfig c = CoordinatorConfig.load(dir.resolve("coordinator.toml"));
        assertThat(c.federation().runId()).isEqualTo("fmnist");
        assertThat(c.federation().trainConfig().values()).isEqualTo(Map.of("lr", "0.001"));
        assertThat(c.federation().workloadConfig().values()).isEqualTo(Map.of("model", "small"));
        assertThat(c.schedule().strategy()).isEqualTo(new StrategySpec.KrumSpec(1));
        assertThat(c.schedule().startupNodes()).isEqualTo(4);
        assertThat(c.schedule().seed()).isZero();
        assertThat(c.timing().roundTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.timing().liveness()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.tls().certDir()).isEqualTo(tmp.resolve("certs"));
        assertThat(c.tls().insecure()).isFalse();
        assertThat(c.listen().grpc()).isEqualTo(new CoordinatorConfig.HostPort("0.0.0.0", 7443));
        assertThat(c.listen().metrics()).isNull();
        assertThat(c.storage().runDir()).isEqualTo(dir.resolve("runs"));
        assertThat(c.database().url()).isEqualTo("jdbc:h2:file:" + dir.resolve("state/atelier"));
        assertThat(c.database().toString()).doesNotContain("hunter2");
        assertThat(c.limits().chunkBytes()).isEqualTo(2048 * 1024);
        assertThat(c.limits().memoryBudget()).isEqualTo(ReplyMemoryBudget.ofMegabytes(512));
        assertThat(c.limits().uploadIdle()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void replyLimitsAreOnByDefaultAndConfigurable() {
        assertThat(parse(minimal()).limits().replies()).isEqualTo(ReplyLimits.DEFAULT);
        Map<String, String> m = minimal();
        m.put("reply_limits.max_examples", "5000");
        m.put("reply_limits.max_update_norm_ratio", "off");
        m.put("reply_limits.norm_floor_rms", "0");
        assertThat(parse(m).limits().replies()).isEqualTo(new ReplyLimits(5000, Double.POSITIVE_INFINITY, 0));
        m.put("reply_limits.max_update_norm_ratio", "2.5");
        assertThat(parse(m).limits().replies().maxUpdateNormRatio()).isEqualTo(2.5);
    }

    @Test
    void theMemoryBudgetDefaultsToHalfTheHeap() {
        assertThat(parse(minimal()).limits().memoryBudget()).isEqualTo(ReplyMemoryBudget.ofHeap());
        assertThat(parse(minimal()).schedule().strategy()).isEqualTo(new StrategySpec.FedAvgSpec());
    }

    @Test
    void unknownKeysAreAnErrorListingTheKnownOnes() {
        Map<String, String> m = minimal();
        m.put("round_timeout", "900");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("unknown coordinator config key(s) [round_timeout]; known: [")
                .hasMessageContaining("round_timeout_s")
                .hasMessageContaining("memory_budget_mb")
                .hasMessageEndingWith("train.*, workload_settings.*");
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        Map<String, String> m = minimal();
        m.put("strategy", "krum:f=x");
        assertThatThrownBy(() -> parse(m))
                .hasMessage("strategy 'krum:f=x': f must be an integer >= 0, got 'x';"
                        + " krum accepts f (an integer >= 0, default 1)");
        m.put("strategy", "fedavg");
        m.put("listen", "7443");
        assertThatThrownBy(() -> parse(m)).hasMessage("'listen' must be HOST:PORT, got '7443'");
        m.put("listen", "0.0.0.0:99999");
        assertThatThrownBy(() -> parse(m)).hasMessage("'listen' must be HOST:PORT, got '0.0.0.0:99999'");
        m.remove("listen");
        m.put("memory_budget_mb", "0");
        assertThatThrownBy(() -> parse(m)).hasMessageContaining("memory budget must be > 0 MB");
        m.remove("memory_budget_mb");
        m.put("round_timeout_s", "0");
        assertThatThrownBy(() -> parse(m)).hasMessageContaining("'round_timeout_s' must be a positive number");
        m.remove("round_timeout_s");
        m.remove("cert_dir");
        assertThatThrownBy(() -> parse(m)).hasMessageContaining("set cert_dir");
        m.put("insecure", "true");
        assertThat(parse(m).tls().certDir()).isNull();
        m.put("rounds", "0");
        assertThatThrownBy(() -> parse(m)).hasMessage("rounds must be set to at least 1");
    }
    /** One bad value at a time on top of {@link #minimal()}: the one-line error names the key. */
    private void refused(String key, String value, String message) {
        Map<String, String> m = minimal();
        m.put(key, value);
        assertThatThrownBy(() -> parse(m)).as(key + " = " + value).hasMessage(message);
    }

    @Test
    void everyKeyIsTypeAndRangeCheckedAtStartNamingTheKey() {
        refused("heartbeat_s", "-1", "'heartbeat_s' must be a positive number of seconds, got -1.0");
        refused("round_timeout_s", "-5", "'round_timeout_s' must be a positive number of seconds, got -5.0");
        refused("round_timeout_s", "NaN", "'round_timeout_s' must be a positive number of seconds, got NaN");
        refused("heartbeat_s", "5 # comment", "config 'heartbeat_s' must be a number, got '5 # comment'");
        refused("liveness_s", "2", "'liveness_s' (2.0) must be longer than 'heartbeat_s' (5.0)");
        refused("upload_idle_s", "0", "'upload_idle_s' must be a positive number of seconds, got 0.0");
        refused("train.local_steps", "fifty", "'train.local_steps' must be an integer in [1, 100000000], got 'fifty'");
        refused("train.local_steps", "0", "'train.local_steps' must be an integer in [1, 100000000], got '0'");
        refused("train.batch_size", "-32", "'train.batch_size' must be an integer in [1, 16777216], got '-32'");
        refused("train.lr", "0", "'train.lr' must be a finite number > 0, got '0'");
        refused("train.lr", "Infinity", "'train.lr' must be a finite number > 0, got 'Infinity'");
        refused("train.proximal_mu", "-0.1", "'train.proximal_mu' must be a finite number >= 0, got '-0.1'");
        refused("train.round", "3", "'train.round' is set by the coordinator every round; remove it from the config");
        refused("sampling.fraction", "1.5", "'sampling.fraction' must be in [0.0, 1.0], got 1.5");
        refused("sampling.fraction", "0", "'sampling.fraction' must be in (0, 1], got 0");
        refused(
                "sampling.max_failure_fraction",
                "-0.1",
                "'sampling.max_failure_fraction' must be in [0.0, 1.0], got -0.1");
        refused("sampling.min_available", "0", "'sampling.min_available' must be at least 1, got 0");
        refused("sampling.min_replies", "2", "'sampling.min_replies' (2) must be at most 'sampling.min_available' (1)");
        refused("memory_budget_mb", "-1", "'memory_budget_mb': memory budget must be > 0 MB, got -1");
        refused("insecure", "maybe", "config 'insecure' must be true or false, got 'maybe'");
        refused("seed", "0x10", "config 'seed' must be an integer, got '0x10'");
        refused("reply_limits.max_examples", "0", "'reply_limits.max_examples' must be at least 1, got 0");
        refused(
                "reply_limits.max_update_norm_ratio",
                "-1",
                "'reply_limits.max_update_norm_ratio' must be a finite number > 0 or \"off\", got -1.0");
        refused(
                "reply_limits.max_update_norm_ratio",
                "Infinity",
                "'reply_limits.max_update_norm_ratio' must be a finite number > 0 or \"off\", got Infinity");
        refused(
                "reply_limits.norm_floor_rms",
                "NaN",
                "'reply_limits.norm_floor_rms' must be a finite number >= 0, got NaN");

        Map<String, String> ok = minimal();
        ok.put("train.local_steps", "50");
        ok.put("train.lr", "1e-3");
        ok.put("train.proximal_mu", "0");
        ok.put("train.optimizer", "adam");
        ok.put("upload_idle_s", "2.5");
        CoordinatorConfig c = parse(ok);
        assertThat(c.federation().trainConfig().getInt("local_steps", 0)).isEqualTo(50);
        assertThat(c.limits().uploadIdle()).isEqualTo(Duration.ofMillis(2500));
    }
}
