package dev.atelier.sketch.demo;

import dev.atelier.ml.features.PublicFeatureNetwork;
import java.nio.file.Path;

/**
 * {@code ./atelier demo} from the test classpath, for measurement runs without packaging the CLI
 * (docs/demo.md, "Ablation"): {@code DemoRun OUT SEED [adv=W] [mix=M] [mu=MU] [rounds=R] [warmup=W]}.
 * Same preset, cache directory and report as the CLI's defaults.
 */
public final class DemoRun {
    private DemoRun() {}

    public static void main(String[] args) throws Exception {
        DemoSettings.Builder b = DemoSettings.builder(
                DemoPreset.STANDARD,
                Path.of(args[0]),
                Long.parseLong(args[1]),
                new DemoSettings.Inputs(null, null, PublicFeatureNetwork.defaultCacheDir()));
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "adv" -> b.optAdversarialWeight(Float.parseFloat(kv[1]));
                case "mix" -> b.optCriticMix(Double.parseDouble(kv[1]));
                case "mu" -> b.optProximalMu(Double.parseDouble(kv[1]));
                case "rounds" -> b.optRounds(Integer.parseInt(kv[1]));
                case "warmup" -> b.optWarmupSteps(Integer.parseInt(kv[1]));
                default -> throw new IllegalArgumentException("unknown override " + args[i]);
            }
        }
        new SketchDemo(b.build(), System.out).run();
    }
}
