package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.core.message.Config;
import dev.atelier.core.message.Reply;
import dev.atelier.core.params.ParamSet;
import dev.atelier.core.workload.Node;
import dev.atelier.core.workload.WorkloadProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's own declared properties against the coordinator's settings, at {@code createNode}. */
class NodeLauncherTest {
    @TempDir
    Path state;

    /** Records what the launcher hands to {@code createNode}. */
    private static final class Recording implements WorkloadProvider {
        final List<Config> created = new ArrayList<>();
        final List<Path> stateDirs = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public ParamSet initialParameters(Config config) {
            throw new UnsupportedOperationException("not a coordinator");
        }

        @Override
        public Node createNode(String nodeId, Path dataDir, Path stateDir, Config config) {
            created.add(config);
            stateDirs.add(stateDir);
            return new Node(nodeId, (ins, cancel) -> new Reply(nodeId, ins.round(), null, 0, null, null));
        }
    }

    private NodeLauncher launcher(Map<String, String> own) {
        return new NodeLauncher("localhost:1", null, "n1", null, "recording", null, state, own, Duration.ofSeconds(1));
    }

    @Test
    void theNodesOwnPropertiesReachCreateNodeAsDeclaredKeysAndTheCoordinatorsAreDropped() throws Exception {
        Recording provider = new Recording();
        var own = Map.of("memory_budget_bytes", "2147483648", "memory_gb", "16");
        Config fromCoordinator = Config.of(Map.of(
                "local_steps", "4",
                "declared.memory_budget_bytes", "999999999999",
                "declared.planted", "by the coordinator"));

        Node node = launcher(own).nodeFactory(provider).create("n1", fromCoordinator);

        assertThat(provider.created).hasSize(1);
        assertThat(provider.created.get(0).values())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "local_steps", "4",
                        "declared.memory_budget_bytes", "2147483648",
                        "declared.memory_gb", "16"));
        assertThat(provider.stateDirs).containsExactly(state.resolve("workload"));
        assertThat(node.nodeId()).isEqualTo("n1");
        assertThat(fromCoordinator.values()).containsEntry("declared.planted", "by the coordinator"); // not mutated
    }

    @Test
    void aNodeDeclaringNothingGetsNoDeclaredKeysWhateverTheCoordinatorSends() throws Exception {
        Recording provider = new Recording();
        launcher(Map.of())
                .nodeFactory(provider)
                .create("n1", Config.of(Map.of("declared.memory_budget_bytes", "1", "seed", "7")));

        assertThat(provider.created.get(0).values()).containsExactlyEntriesOf(Map.of("seed", "7"));
    }
}
