package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TomlConfigFileTest {
    @TempDir
    Path tmp;

    @Test
    void tablesAndDottedKeysFlattenToTheSameDottedKeysAndValuesToTheirText() {
        Map<String, String> m = TomlConfigFile.parse("""
                run_id = "r # not a comment"   # a comment
                rounds = 20
                sampling.fraction = 0.5
                insecure = true
                [train]
                lr = 1e-3
                local_steps = 1_000
                [workload_settings.sub]
                x = "y"
                """, "c.toml");
        assertThat(m)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "run_id", "r # not a comment",
                        "rounds", "20",
                        "sampling.fraction", "0.5",
                        "insecure", "true",
                        "train.lr", "0.001",
                        "train.local_steps", "1000",
                        "workload_settings.sub.x", "y"));
    }

    @Test
    void aSyntaxErrorIsOneLineWithFileLineAndColumn() {
        assertThatThrownBy(() -> TomlConfigFile.parse("rounds = 3\nrun_id = \"open\n", "etc/c.toml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("coordinator config etc/c.toml:2:")
                .hasMessageContaining("(TOML syntax)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> TomlConfigFile.parse("rounds = 3\nrounds = 4\n", "c.toml"))
                // the parser notices a duplicate at the start of the next line, and says so
                .hasMessage("coordinator config c.toml:3:1: Duplicate key (TOML syntax)");
    }

    @Test
    void aWorkloadNameAndAWorkloadTableCollideWithAHint() {
        assertThatThrownBy(() -> TomlConfigFile.parse("workload = \"x\"\nworkload.model = 1\n", "c.toml"))
                .hasMessageStartingWith("coordinator config c.toml:2:")
                .hasMessageEndingWith("go in [workload_settings], since 'workload' is its name)");
    }

    @Test
    void arraysAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> TomlConfigFile.parse("[train]\nlr = [0.1, 0.2]\n", "c.toml"))
                .hasMessage(
                        "coordinator config 'train.lr' is an array; every key takes a string, a number or true/false");
    }

    @Test
    void anOldPropertiesFileIsRefusedSayingHowToConvertIt() throws IOException {
        Path old = tmp.resolve("coordinator.properties");
        Files.writeString(old, """
                # coordinator
                run_id = fmnist-2025-06          # also the run directory name
                rounds = 20
                """);
        assertThatThrownBy(() -> CoordinatorConfig.load(old))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("coordinator config " + old + ":2:")
                .hasMessageContaining("this looks like an old key = value (properties) config")
                .hasMessageContaining("Quote text values (run_id = \"fmnist\"");
        // the same content under another name is recognised by its bare text value
        Path renamed = Files.writeString(tmp.resolve("c.toml"), Files.readString(old));
        assertThatThrownBy(() -> CoordinatorConfig.load(renamed))
                .hasMessageContaining("this looks like an old key = value (properties) config");
        // a TOML error in a TOML file gets no such hint
        assertThatThrownBy(() -> TomlConfigFile.parse("run_id = \"a\"\nrounds = 2 3\n", "c.toml"))
                .hasMessageNotContaining("properties");
    }

    @Test
    void missingOversizeAndNonUtf8FilesAreRefused() throws IOException {
        assertThatThrownBy(() -> TomlConfigFile.read(tmp.resolve("none.toml")))
                .isInstanceOf(IOException.class)
                .hasMessageEndingWith("none.toml not found");
        Path big = Files.write(tmp.resolve("big.toml"), new byte[TomlConfigFile.MAX_BYTES + 1]);
        assertThatThrownBy(() -> TomlConfigFile.read(big))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("at most " + TomlConfigFile.MAX_BYTES);
        Path latin1 = Files.write(tmp.resolve("l.toml"), new byte[] {'a', '=', '"', (byte) 0xE9, '"', '\n'});
        assertThatThrownBy(() -> TomlConfigFile.read(latin1)).hasMessageEndingWith("l.toml is not UTF-8 text");
    }
}
