package dev.atelier.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.transport.app.CoordinatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fenced {@code ```toml} block in docs/*.md and README.md is a coordinator config that loads
 * through the real reader ({@link CoordinatorConfig#load}), so a documented example cannot rot. It
 * lives in the CLI module because the examples name workloads and strategies of every module
 * (e.g. the zo workload's {@code fedkseed}), which only the CLI's classpath has, as deployed.
 */
class DocsConfigExamplesTest {
    private static final Pattern FENCE = Pattern.compile("(?ms)^```toml\\s*\\n(.*?)^```");

    @TempDir
    Path tmp;

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("docs"))) {
            p = p.getParent();
        }
        assertThat(p).as("a parent folder with docs/").isNotNull();
        return p;
    }

    record Example(Path file, int line, String text) {}

    static List<Example> examples(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        files.add(root.resolve("README.md"));
        List<Example> out = new ArrayList<>();
        for (Path f : files) {
            String md = Files.readString(f);
            Matcher m = FENCE.matcher(md);
            while (m.find()) {
                int line = (int) md.substring(0, m.start()).lines().count() + 1;
                out.add(new Example(f, line, m.group(1)));
            }
        }
        return out;
    }

    @Test
    void everyTomlExampleInTheDocsLoads() throws IOException {
        Path root = repoRoot();
        List<Example> examples = examples(root);
        assertThat(examples)
                .as("docs/deployment.md documents the config with a toml block")
                .anyMatch(e -> e.file().endsWith(Path.of("docs", "deployment.md")));
        for (Example e : examples) {
            Path f = Files.writeString(tmp.resolve("example.toml"), e.text());
            CoordinatorConfig c;
            try {
                c = CoordinatorConfig.load(f);
            } catch (RuntimeException ex) {
                throw new AssertionError(root.relativize(e.file()) + ":" + e.line() + ": " + ex.getMessage(), ex);
            }
            assertThat(c.federation().runId()).as(e.file() + ":" + e.line()).isNotBlank();
        }
    }

    @Test
    void theDeploymentExampleMeansWhatItsCommentsSay() throws IOException {
        Example e = examples(repoRoot()).stream()
                .filter(x -> x.file().endsWith(Path.of("docs", "deployment.md")))
                .findFirst()
                .orElseThrow();
        CoordinatorConfig c = CoordinatorConfig.load(Files.writeString(tmp.resolve("c.toml"), e.text()));
        // inline comments are not part of the values (they were with the old properties format)
        assertThat(c.federation().runId()).isEqualTo("fmnist-2025-06");
        assertThat(c.timing().heartbeat().toSeconds()).isEqualTo(5);
        assertThat(c.schedule().sampling().minAvailable()).isEqualTo(3);
        assertThat(c.federation().trainConfig().getInt("local_steps", 0)).isEqualTo(50);
        assertThat(c.federation().workloadConfig().values()).containsEntry("model", "small");
        assertThat(c.database().user()).isEmpty();
        // the example documents the defaults of the reply limits
        assertThat(c.limits().replies()).isEqualTo(dev.atelier.core.run.ReplyLimits.DEFAULT);
    }
}
