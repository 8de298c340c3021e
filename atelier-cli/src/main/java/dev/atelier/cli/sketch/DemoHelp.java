package dev.atelier.cli.sketch;

import dev.atelier.sketch.demo.DemoPreset;
import java.util.ListResourceBundle;
import java.util.Locale;
import java.util.function.Function;

/**
 * The numbers in {@code atelier demo --help}, read from the {@link DemoPreset}s so they are written
 * once. picocli loads this class as the command's resource bundle; descriptions quote its keys as
 * {@code ${bundle:preset.<option>}}, each value "standard value, --quick: quick value" (or one
 * value when both presets agree).
 */
public final class DemoHelp extends ListResourceBundle {
    @Override
    protected Object[][] getContents() {
        return new Object[][] {
            {"preset.rounds", both(p -> p.schedule().rounds())},
            {"preset.local-steps", both(p -> p.schedule().localSteps())},
            {"preset.warmup", both(p -> p.schedule().warmupSteps())},
            {"preset.distill-steps", both(p -> p.budget().distillSteps())},
            {"preset.batch-size", both(p -> p.training().batchSize())},
            {"preset.adversarial-weight", both(p -> p.training().adversarialWeight())},
            {"preset.mu", both(p -> p.federation().proximalMu())},
            {"preset.blend", both(p -> p.federation().blend())},
            {"preset.critic-mix", both(p -> p.federation().criticMix())},
        };
    }

    /** {@code "11, --quick: 2"}, or {@code "8"} when the presets agree. */
    static String both(Function<DemoPreset, Number> value) {
        String standard = format(value.apply(DemoPreset.STANDARD));
        String quick = format(value.apply(DemoPreset.QUICK));
        return standard.equals(quick) ? standard : standard + ", --quick: " + quick;
    }

    private static String format(Number n) {
        if (n instanceof Float || n instanceof Double) {
            double d = n.doubleValue();
            return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", n);
        }
        return n.toString();
    }
}
