package dev.atelier.cli.zo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.CliRun;
import org.junit.jupiter.api.Test;

/** {@code atelier zo demo} is wired in, and a node's --memory-budget is checked before it dials. */
class ZoDemoCommandTest {
    @Test
    void demoIsASubcommandOfZoWithItsOptions() {
        var demo = CliRun.of("zo", "demo", "--help");
        assertThat(demo.exitCode()).isZero();
        assertThat(demo.out()).contains("Usage: atelier zo demo", "--rounds", "--coverage-floor", "report.html");
    }

    @Test
    void aMalformedMemoryBudgetIsRefusedWithOneLine() {
        var node = CliRun.of(
                "node",
                "--coordinator",
                "127.0.0.1:1",
                "--insecure",
                "--name",
                "s1",
                "--workload",
                "zo",
                "--memory-budget",
                "plenty");
        assertThat(node.exitCode()).isNotZero();
        assertThat(node.err()).contains("'plenty' is not a byte size such as 2GiB or 512MiB");
        assertThat(CliRun.of("node", "--help").out()).contains("--memory-budget");
    }
}
