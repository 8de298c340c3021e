package dev.atelier.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The privacy options are checked before any data is loaded or any model trained. */
class PrivacyCliTest {
    @TempDir
    Path tmp;

    @Test
    void demoRefusesAnUnknownPrivacyModeBeforeWritingAnything() {
        Path out = tmp.resolve("demo");
        CliRun r = CliRun.of("demo", "--quick", "--privacy", "dp-only", "--out", out.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("--privacy must be none or secagg+dp, got 'dp-only'");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void auditRefusesBadSizesAndEpsilonBeforeTraining() {
        CliRun few =
                CliRun.of("audit", "--members", "1", "--out", tmp.resolve("a").toString());
        assertThat(few.exitCode()).isNotZero();
        assertThat(few.err()).contains(">= 2 members");
        CliRun eps =
                CliRun.of("audit", "--epsilon", "-1", "--out", tmp.resolve("b").toString());
        assertThat(eps.exitCode()).isNotZero();
        assertThat(eps.err()).contains("target epsilon must be finite and >= 0");
        CliRun lr =
                CliRun.of("audit", "--critic-lr", "0", "--out", tmp.resolve("c").toString());
        assertThat(lr.exitCode()).isNotZero();
        assertThat(lr.err()).contains("critic learning rate must be > 0, got 0.0");
        CliRun canaries =
                CliRun.of("audit", "--canaries", "2", "--out", tmp.resolve("d").toString());
        assertThat(canaries.exitCode()).isNotZero();
        assertThat(canaries.err()).contains("canaries per designer must be 0 (none) or >= 4, got 2");
        CliRun gradient = CliRun.of(
                "audit", "--gradient-canaries", "3", "--out", tmp.resolve("f").toString());
        assertThat(gradient.exitCode()).isNotZero();
        assertThat(gradient.err()).contains("gradient canaries per designer must be 0 (none) or >= 4, got 3");
        assertThat(Files.exists(tmp.resolve("f"))).isFalse();
        CliRun noise = CliRun.of(
                "audit", "--noise-multiplier", "-1", "--out", tmp.resolve("g").toString());
        assertThat(noise.exitCode()).isNotZero();
        assertThat(noise.err()).contains("--noise-multiplier must be finite and >= 0");
        assertThat(Files.exists(tmp.resolve("g"))).isFalse();
        CliRun channels = CliRun.of(
                "audit", "--critic-channels", "64,0", "--out", tmp.resolve("e").toString());
        assertThat(channels.exitCode()).isNotZero();
        assertThat(channels.err()).contains("critic channels must be a non-empty list of positive counts, got [64, 0]");
        assertThat(Files.exists(tmp.resolve("e"))).isFalse();
        assertThat(Files.exists(tmp.resolve("a"))).isFalse();
        assertThat(Files.exists(tmp.resolve("c"))).isFalse();
        assertThat(Files.exists(tmp.resolve("d"))).isFalse();
    }
}
