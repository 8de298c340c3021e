package dev.atelier.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TorchThreadsTest {
    @Test
    void processorsAreSharedAmongTheNodesOfAHostAtLeastOneEach() {
        assertThat(TorchThreads.derive(8, 1)).isEqualTo(8);
        assertThat(TorchThreads.derive(8, 4)).isEqualTo(2);
        assertThat(TorchThreads.derive(8, 3)).isEqualTo(2);
        assertThat(TorchThreads.derive(2, 3)).isEqualTo(1);
        assertThat(TorchThreads.derive(1, 1)).isEqualTo(1);
        assertThatThrownBy(() -> TorchThreads.derive(0, 1)).hasMessageContaining(">= 1");
        assertThatThrownBy(() -> TorchThreads.derive(4, 0)).hasMessageContaining(">= 1");
    }

    @Test
    void onlyAtelierNodeCommandLinesCount() {
        List<String> node = List.of("-Xmx8g", "-cp", "a.jar", TorchThreads.MAIN_CLASS, "node", "--coordinator", "h:1");
        List<String> coordinator = List.of("-cp", "a.jar", TorchThreads.MAIN_CLASS, "coordinator", "--config", "c");
        List<String> demoNamedNode = List.of("-cp", "a.jar", TorchThreads.MAIN_CLASS, "demo", "--out", "node");
        List<String> other = List.of("-jar", "node", TorchThreads.MAIN_CLASS);
        assertThat(TorchThreads.countNodes(Stream.of(node, coordinator, node, demoNamedNode, other)))
                .isEqualTo(2);
        assertThat(TorchThreads.isNode(List.of(TorchThreads.MAIN_CLASS))).isFalse();
    }

    @Test
    void theOptionIsAutoOrAPositiveCount() {
        assertThat(NodeCommand.threads("3")).isEqualTo(3);
        assertThat(NodeCommand.threads("auto"))
                .isEqualTo(TorchThreads.derive(Runtime.getRuntime().availableProcessors(), TorchThreads.nodesOnHost()));
        assertThatThrownBy(() -> NodeCommand.threads("0"))
                .hasMessage("--torch-threads must be auto or a number >= 1, got '0'");
        assertThatThrownBy(() -> NodeCommand.threads("many")).hasMessageContaining("got 'many'");
    }
}
