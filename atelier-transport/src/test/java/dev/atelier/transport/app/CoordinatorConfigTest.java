package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        Files.writeString(dir.resolve("coordinator.properties"), """
                run_id = fmnist
                workload = classifier
                rounds = 20
                # a comment
                strategy = Krum:f=1
                sampling.min_available = 4
                sampling.min_replies = 4
                round_timeout_s = 1.5
                cert_dir = ../certs
                metrics_listen = off
                db_password = hunter2
                memory_budget_mb = 512
                train.lr = 0.001
                workload.model = small
                """);
        CoordinatorConfig c = CoordinatorConfig.load(dir.resolve("coordinator.properties"));
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
                .hasMessageEndingWith("train.*, workload.*");
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
}
