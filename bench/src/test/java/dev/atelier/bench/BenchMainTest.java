package dev.atelier.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bench launcher's command tree (running the benches themselves takes minutes; not done here). */
class BenchMainTest {
    @Test
    void everyBenchIsASubcommandWithItsOwnHelp() {
        CommandLine cli = new CommandLine(new BenchMain());
        assertThat(cli.getSubcommands())
                .containsOnlyKeys("fedavg", "heap", "all", "ganstep", "ganprofile", "student", "privacy", "zorba");
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("heap", "--help")).isZero();
        assertThat(out.toString()).contains("Coordinator heap for 10 vs 100 replies of a 50 MB model.");
        assertThat(cli.execute("fedavg", "--bogus")).isEqualTo(2);
        assertThat(cli.execute("student", "--help")).isZero();
        assertThat(out.toString())
                .contains("Teacher vs edge student latency per stage")
                .contains("--canvas");
        assertThat(cli.execute("privacy", "--help")).isZero();
        assertThat(out.toString()).contains("--nodes");
        assertThat(cli.execute("ganprofile", "--help")).isZero();
        assertThat(out.toString()).contains("CPU time per part").contains("--repeats");
        // Bad values are usage errors before any engine is loaded.
        assertThat(cli.execute("ganprofile", "--batch", "1")).isEqualTo(2);
        assertThat(cli.execute("ganprofile", "--examples", "4")).isEqualTo(2);
        assertThat(cli.execute("zorba", "--help")).isZero();
        assertThat(out.toString()).contains("client peak ratios");
    }
}
