package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.transport.coordinator.NodeStatus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusDocumentTest {
    private static CoordinatorConfig config(String metricsListen) {
        Map<String, String> m = new HashMap<>();
        m.put("run_id", "r");
        m.put("workload", "linear");
        m.put("rounds", "3");
        m.put("cert_dir", "certs");
        m.put("metrics_listen", metricsListen);
        return CoordinatorConfig.parse(m, Path.of("/tmp"));
    }

    @SuppressWarnings("unchecked")
    private static List<NodeStatus> nodes(CoordinatorConfig cfg) {
        NodeStatus n = new NodeStatus("alpha", "/203.0.113.7:51234", true, 0.5, Map.of("memory_gb", "16"));
        return (List<NodeStatus>) StatusDocument.of(cfg, RunStatus.RUNNING, 1, List.of(n), null, Map.of())
                .get(StatusDocument.NODES);
    }

    @Test
    void nodeAddressesAreListedOnlyWhenTheEndpointIsOnLoopback() {
        assertThat(nodes(config("127.0.0.1:9464")))
                .singleElement()
                .satisfies(n -> assertThat(n.address()).isEqualTo("/203.0.113.7:51234"));
        for (String open : List.of("0.0.0.0:9464", "192.0.2.10:9464")) {
            assertThat(nodes(config(open))).as(open).singleElement().satisfies(n -> {
                assertThat(n.address()).isEqualTo(StatusDocument.HIDDEN_ADDRESS);
                assertThat(n.nodeId()).isEqualTo("alpha");
                assertThat(n.alive()).isTrue();
            });
        }
    }
}
