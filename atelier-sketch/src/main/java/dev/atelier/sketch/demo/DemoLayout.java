package dev.atelier.sketch.demo;

import dev.atelier.sketch.model.ModelDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The folder layout of one demo run, the one place its paths are spelled; the demo writes it,
 * {@code atelier generate} reads it, {@code atelier demo --force} replaces it. Layout (docs/demo.md):
 *
 * <pre>
 * report.json, report.html
 * sketches/&lt;designer&gt;/&lt;regime&gt;-&lt;iii&gt;.png      held-out sketches
 * models/&lt;designer&gt;/&lt;regime&gt;/                  a {@link ModelDir} per teacher regime (model.safetensors);
 *                                               the federated one also holds the student and the
 *                                               federation's style card (--student, --blend)
 * federation/                                   the federated run directory (run.json, metrics.jsonl...)
 * federation-private/                           --privacy: the private federated run directory
 * </pre>
 *
 * Designer names become folder names as given (profiles are validated when loaded). Immutable.
 *
 * @param root the run's output directory
 */
public record DemoLayout(Path root) {
    public DemoLayout {
        Objects.requireNonNull(root, "root");
    }

    public Path reportJson() {
        return root.resolve("report.json");
    }

    public Path reportHtml() {
        return root.resolve("report.html");
    }

    /** Held-out sketch {@code i} of a designer in a regime, as a PNG. */
    public Path sketch(String designer, DemoRegime regime, int i) {
        return root.resolve("sketches")
                .resolve(designer)
                .resolve(String.format(Locale.ROOT, "%s-%03d.png", regime.key(), i));
    }

    /** The folder of every designer's models. */
    public Path models() {
        return root.resolve("models");
    }

    /** A designer's model directory of a teacher regime ({@code atelier generate --model} reads it). */
    public ModelDir modelDir(String designer, DemoRegime regime) {
        if (regime == DemoRegime.STUDENT) {
            throw new IllegalArgumentException("the student is kept in the federated model directory");
        }
        return new ModelDir(models().resolve(designer).resolve(regime.key()));
    }

    /**
     * A designer's model file of a regime: the teacher GAN, or for {@link DemoRegime#STUDENT} the
     * student distilled from the federated teacher (in the federated model directory).
     */
    public Path model(String designer, DemoRegime regime) {
        return regime == DemoRegime.STUDENT
                ? modelDir(designer, DemoRegime.FEDERATED).student()
                : modelDir(designer, regime).model();
    }

    /** The federation's style card (the {@code --blend} target), kept in a designer's federated model directory. */
    public Path federationCard(String designer) {
        return modelDir(designer, DemoRegime.FEDERATED).federationCard();
    }

    /** The federated regime's run directory ({@link dev.atelier.core.run.RunDirectory}). */
    public Path federationRun() {
        return root.resolve("federation");
    }

    /** The private federated regime's run directory ({@code --privacy}). */
    public Path privateFederationRun() {
        return root.resolve("federation-private");
    }

    /** Everything a demo writes under {@link #root()}; only these are replaced by {@code --force}. */
    public List<Path> outputs() {
        return List.of(
                reportHtml(),
                reportJson(),
                root.resolve("sketches"),
                models(),
                federationRun(),
                privateFederationRun());
    }

    /** The designers that have models in this run, sorted (empty when there is no {@code models/}). */
    public List<String> designers() throws IOException {
        if (!Files.isDirectory(models())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(models())) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }
}
