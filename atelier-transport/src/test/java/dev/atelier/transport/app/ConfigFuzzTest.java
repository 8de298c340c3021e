package dev.atelier.transport.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.atelier.core.testing.Bounded;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the coordinator config path, TOML text → {@link TomlConfigFile#parse} → {@link
 * CoordinatorConfig#parse}: any text either yields a config or fails with one line in an
 * {@link IllegalArgumentException} (never another exception, a stack overflow or a hang, 5 s
 * bound). Inputs: arbitrary text, TOML-shaped lines of known keys with hostile values, the docs
 * example with lines dropped, duplicated and mangled, and the committed corpus in
 * {@code src/test/resources/fuzz/config}.
 */
class ConfigFuzzTest {
    private static final List<String> KEYS = List.of(
            "run_id",
            "workload",
            "rounds",
            "strategy",
            "seed",
            "round_timeout_s",
            "heartbeat_s",
            "liveness_s",
            "listen",
            "metrics_listen",
            "cert_dir",
            "insecure",
            "chunk_kib",
            "memory_budget_mb",
            "upload_idle_s",
            "sampling.fraction",
            "sampling.min_available",
            "sampling.min_replies",
            "train.lr",
            "train.local_steps",
            "reply_limits.max_examples",
            "reply_limits.max_update_norm_ratio",
            "shutdown_grace_s",
            "workload_settings.model",
            "nope");

    /** Parses within 5 s; the error message, or null when the text is a valid config. */
    static String loadBounded(String text) {
        return Bounded.call("config parse", "IllegalArgumentException", Duration.ofSeconds(5), () -> {
            try {
                Map<String, String> m = TomlConfigFile.parse(text, "fuzz.toml");
                CoordinatorConfig.parse(m, Path.of("/tmp"));
                return null;
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
                return e.getMessage();
            }
        });
    }

    @Property(tries = 300)
    void arbitraryTextIsAConfigOrOneLineError(@ForAll("text") String text) {
        loadBounded(text);
    }

    @Property(tries = 400)
    void knownKeysWithHostileValuesAreAConfigOrOneLineError(@ForAll("lines") List<String> lines) {
        loadBounded("run_id = \"f\"\nworkload = \"linear\"\nrounds = 2\ninsecure = true\n" + String.join("\n", lines));
    }

    @Property(tries = 200)
    void theDocsExampleMangledIsAConfigOrOneLineError(@ForAll("edits") List<Integer> edits, @ForAll("junk") String junk)
            throws IOException {
        List<String> lines =
                new java.util.ArrayList<>(deploymentExample().lines().toList());
        for (int e : edits) {
            int i = Math.floorMod(e, lines.size());
            switch (Math.floorMod(e, 4)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, lines.get(i));
                case 2 -> lines.set(i, lines.get(i).replaceFirst("=.*", "= " + junk));
                default -> lines.set(i, lines.get(i).substring(0, lines.get(i).length() / 2));
            }
            if (lines.isEmpty()) {
                break;
            }
        }
        loadBounded(String.join("\n", lines));
    }

    /**
     * Jazzer: arbitrary bytes decoded as UTF-8 text (lenient) into the TOML reader and the config
     * checks; same oracle as the properties. Inputs committed under
     * {@code ConfigFuzzTestInputs/textFromTheFuzzer}.
     */
    @FuzzTest(maxDuration = "2m")
    void textFromTheFuzzer(byte[] input) {
        loadBounded(new String(input, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theCommittedCorpusReplays() throws IOException {
        Path dir = Path.of("src/test/resources/fuzz/config");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        for (Path f : files) {
            assertThat(loadBounded(Files.readString(f, StandardCharsets.UTF_8)))
                    .as(f.getFileName() + " is a bad config and must be refused")
                    .isNotNull();
        }
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("docs"))) {
            p = p.getParent();
        }
        return p;
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings()
                        .withChars("[]{}=\"'#.,\n =0123456789abcinfnatrue-+_:e")
                        .ofMaxLength(120));
    }

    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of(
                        "0",
                        "-1",
                        "1e309",
                        "-0.0",
                        "nan",
                        "inf",
                        "-inf",
                        "9223372036854775808",
                        "0x7fffffff",
                        "true",
                        "\"\"",
                        "\"off\"",
                        "\"fedavg\"",
                        "\"krum:f=99999999999\"",
                        "\"127.0.0.1:0\"",
                        "\"::1:99999\"",
                        "[]",
                        "{}",
                        "{ a = 1 }",
                        "1979-05-27",
                        "\"\\u0000\"",
                        "'''x'''",
                        "\"" + "x".repeat(5000) + "\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings()
                        .ofMaxLength(12)
                        .map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""));
        return net.jqwik.api.Combinators.combine(Arbitraries.of(KEYS), value)
                .as((k, v) -> k + " = " + v)
                .list()
                .ofMaxSize(5);
    }

    @Provide
    Arbitrary<List<Integer>> edits() {
        return Arbitraries.integers().list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.of("", "x", "\"", "[", "{", "= =", "\"a\" \"b\"", "1 2", "-", "[[t]]", "#");
    }

    /** The first {@code ```toml} block of docs/deployment.md (every docs example is loaded by the CLI's DocsConfigExamplesTest). */
    private static String deploymentExample() throws IOException {
        String md = java.nio.file.Files.readString(repoRoot().resolve("docs").resolve("deployment.md"));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("(?ms)^```toml\\s*\\n(.*?)^```").matcher(md);
        if (!m.find()) {
            throw new AssertionError("docs/deployment.md has no ```toml block");
        }
        return m.group(1);
    }
}
