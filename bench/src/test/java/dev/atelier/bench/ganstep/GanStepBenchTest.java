package dev.atelier.bench.ganstep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atelier.bench.BenchMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Argument handling, statistics and result parsing of {@code ./atelier bench ganstep} (no DJL, no Python). */
class GanStepBenchTest {
    private static GanStepOptions parse(String... args) {
        GanStepBench b = new GanStepBench();
        new CommandLine(b).parseArgs(args);
        return b.options();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        GanStepOptions o = parse();
        assertThat(o.warmup()).isEqualTo(5);
        assertThat(o.steps()).isEqualTo(30);
        assertThat(o.examples()).isEqualTo(256);
        assertThat(o.seed()).isEqualTo(1);
        assertThat(o.tolerance()).isEqualTo(1e-3);
        assertThat(o.threads()).isPositive();
        assertThat(o.noPython()).isFalse();
        String env = System.getenv("ATELIER_PYTHON");
        assertThat(o.python()).isEqualTo(env != null ? env : PythonSide.DEFAULT_PYTHON);
    }

    @Test
    void optionsAreParsed() {
        GanStepOptions o = parse(
                "--threads",
                "3",
                "--steps",
                "2",
                "--warmup",
                "0",
                "--examples",
                "16",
                "--no-python",
                "--python",
                "/opt/py",
                "--keep");
        assertThat(o).isEqualTo(new GanStepOptions(3, 0, 2, 16, 1, "/opt/py", true, 1e-3, true));
    }

    @Test
    void badValuesAreUsageErrorsNamingTheOption() {
        assertThatThrownBy(() -> parse("--threads", "0")).hasMessageContaining("--threads must be >= 1");
        assertThatThrownBy(() -> parse("--examples", "15")).hasMessageContaining("batch size 16");
        assertThatThrownBy(() -> parse("--warmup", "-1")).hasMessageContaining("--warmup");
        assertThatThrownBy(() -> parse("--tolerance", "NaN")).hasMessageContaining("--tolerance");
        // Through the bench launcher: exit 2 before any engine is loaded.
        CommandLine cli = new CommandLine(new BenchMain());
        cli.setErr(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("ganstep", "--steps", "0")).isEqualTo(2);
        assertThat(cli.execute("ganstep", "--bogus")).isEqualTo(2);
        assertThat(cli.execute("nope")).isEqualTo(2);
    }

    @Test
    void statsOfOddAndEvenCounts() {
        assertThat(StepStats.of(new double[] {5, 1, 3})).isEqualTo(new StepStats(3, 3, 1, 5));
        assertThat(StepStats.of(new double[] {4, 1, 2, 10})).isEqualTo(new StepStats(3, 4.25, 1, 10));
        assertThatThrownBy(() -> StepStats.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theScriptsLastJsonLineIsItsResult() {
        assertThat(PythonSide.lastJsonLine("loading\n{\"ok\": false}\nprogress\n{\"ok\": true}\n"))
                .isEqualTo("{\"ok\": true}");
        assertThat(PythonSide.lastJsonLine("Traceback ...\n")).isNull();
    }
}
