package dev.atelier.cli.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code atelier demo}'s privacy options are one-line errors before any data is loaded or model trained. */
class DemoPrivacyOptionsTest {
    @TempDir
    Path tmp;

    private Path designers(int n) throws Exception {
        StringBuilder j = new StringBuilder("{\"format\": \"atelier-designers/1\", \"designers\": [");
        String[] styles = {"contour", "bold", "hatch", "chalk"};
        for (int i = 0; i < n; i++) {
            j.append(i == 0 ? "" : ",")
                    .append("{\"name\": \"d")
                    .append(i)
                    .append("\", \"style\": \"")
                    .append(styles[i])
                    .append("\", \"trainPairs\": 60, \"garmentMix\": [0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1,0.1]}");
        }
        Path f = tmp.resolve("designers-" + n + ".json");
        Files.writeString(f, j.append("]}").toString());
        return f;
    }

    @Test
    void epsilonWithoutPrivacyIsRefused() {
        Path out = tmp.resolve("a");
        CliRun r = CliRun.of("demo", "--quick", "--epsilon", "4", "--out", out.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--epsilon needs --privacy secagg+dp");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void epsilonOutOfRangeIsRefused() {
        CliRun r = CliRun.of(
                "demo",
                "--quick",
                "--privacy",
                "secagg+dp",
                "--epsilon",
                "0",
                "--out",
                tmp.resolve("b").toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--epsilon must be in (0, 1000), got 0.0");
    }

    @Test
    void privacyNeedsThreeDesignersForSecAggAndTheAuditsCount() throws Exception {
        CliRun two = CliRun.of(
                "demo",
                "--quick",
                "--privacy",
                "secagg+dp",
                "--designers",
                designers(2).toString(),
                "--out",
                tmp.resolve("c").toString());
        assertThat(two.exitCode()).isNotZero();
        assertThat(two.err()).contains("--privacy needs at least 3 designers").contains("--designers has 2");
        // the standard audit needs 4 designers
        CliRun three = CliRun.of(
                "demo",
                "--privacy",
                "secagg+dp",
                "--designers",
                designers(3).toString(),
                "--out",
                tmp.resolve("d").toString());
        assertThat(three.exitCode()).isNotZero();
        assertThat(three.err()).contains("--privacy needs at least 4 designers");
        assertThat(Files.exists(tmp.resolve("c"))).isFalse();
        assertThat(Files.exists(tmp.resolve("d"))).isFalse();
    }
}
