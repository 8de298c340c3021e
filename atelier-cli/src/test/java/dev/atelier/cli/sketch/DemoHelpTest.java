package dev.atelier.cli.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atelier.sketch.demo.DemoPreset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code atelier demo --help} quotes the presets' numbers, resolved from {@link DemoPreset}. */
class DemoHelpTest {
    private static String usage() {
        return new CommandLine(new DemoCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    @Test
    void everyPresetReferenceIsResolved() {
        String help = usage();
        assertThat(help).doesNotContain("${bundle").doesNotContain("null");
        assertThat(help.replaceAll("\\s+", " "))
                .contains("Federated rounds (default "
                        + DemoPreset.STANDARD.schedule().rounds() + ", --quick: "
                        + DemoPreset.QUICK.schedule().rounds() + ")")
                .contains("Local GAN steps per round (default "
                        + DemoPreset.STANDARD.schedule().localSteps() + ", --quick: "
                        + DemoPreset.QUICK.schedule().localSteps() + ")")
                .contains(
                        "local steps (default " + DemoPreset.STANDARD.training().batchSize() + ";");
    }

    @Test
    void valuesBothPresetsShareAreGivenOnce() {
        assertThat(DemoHelp.both(p -> p.training().batchSize())).isEqualTo("8");
        assertThat(DemoHelp.both(p -> p.federation().blend())).isEqualTo("1");
        assertThat(DemoHelp.both(p -> p.training().adversarialWeight())).isEqualTo("0.1");
        assertThat(DemoHelp.both(p -> p.schedule().warmupSteps())).isEqualTo("30, --quick: 4");
    }
}
