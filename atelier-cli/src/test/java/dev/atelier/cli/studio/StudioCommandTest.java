package dev.atelier.cli.studio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code atelier studio} is registered and refuses an exposed bind without a password before starting. */
class StudioCommandTest {
    @TempDir
    Path tmp;

    @Test
    void helpListsTheOptions() {
        CliRun help = CliRun.of("studio", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out())
                .contains("--port")
                .contains("--home")
                .contains("--bind")
                .contains("--password-file");
    }

    @Test
    void anotherInterfaceWithoutAPasswordIsRefusedAndNothingIsWritten() throws Exception {
        Path home = tmp.resolve("studio");
        CliRun run = CliRun.of("studio", "--bind", "0.0.0.0", "--home", home.toString(), "--port", "0");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("is not a loopback address").contains("set a password");
        assertThat(Files.exists(home)).isFalse();
    }
}
