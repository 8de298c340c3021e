package dev.atelier.sketch.demo;

import dev.atelier.sketch.train.LossWeights;
import dev.atelier.sketch.train.TrainerSettings;
import java.nio.file.Path;

/**
 * Settings of one {@code atelier demo} run.
 *
 * @param out             output directory
 * @param quick           CI smoke settings (tiny schedule, small evaluation)
 * @param seed            seeds designers' data, model initialisation and batch order
 * @param dataDir         Fashion-MNIST folder, or null for the standard search
 * @param designersFile   designer profiles JSON, or null for the built-in eight
 * @param cacheDir        where the public feature network and evaluator are cached
 * @param publicNetSteps  training steps (batch 64) of the public feature network
 * @param evaluatorSteps  training steps of the evaluator
 * @param warmupSteps     generator-only warm-up steps per designer before round 1
 * @param rounds          federated rounds
 * @param localSteps      local GAN steps per round
 * @param distillSteps    student distillation steps per designer
 * @param perCategory     held-out test garments per category (10 categories)
 * @param gridColumns     held-out garments shown per designer in the report grid
 * @param proximalMu      FedProx coefficient for the critic (0 = FedAvg)
 * @param blend           style-card blend a (1 = own style only) used for the federated sketches
 * @param adversarialWeight weight of the generator's adversarial (critic) loss term; the other
 *                        loss weights are {@link LossWeights#defaults()}
 * @param batchSize       GAN batch size of every designer's local steps
 * @param criticMix       personalisation: designers start each round from {@code mix·global + (1−mix)·own}
 *                        critic (1 = FedGAI)
 */
public record DemoSettings(Path out, boolean quick, long seed, Path dataDir, Path designersFile, Path cacheDir,
                           int publicNetSteps, int evaluatorSteps, int warmupSteps, int rounds, int localSteps,
                           int distillSteps, int perCategory, int gridColumns, double proximalMu, double blend,
                           float adversarialWeight, int batchSize, double criticMix) {
    public DemoSettings {
        if (rounds < 1 || localSteps < 1 || warmupSteps < 0 || distillSteps < 0 || perCategory < 1 || gridColumns < 1) {
            throw new IllegalArgumentException("invalid demo schedule: rounds=" + rounds + " localSteps=" + localSteps
                    + " warmup=" + warmupSteps + " distill=" + distillSteps + " perCategory=" + perCategory);
        }
        if (!(blend >= 0 && blend <= 1)) {
            throw new IllegalArgumentException("--blend must be in [0, 1], got " + blend);
        }
        if (!(adversarialWeight >= 0) || Float.isInfinite(adversarialWeight)) {
            throw new IllegalArgumentException("adversarial weight must be finite and >= 0, got " + adversarialWeight);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("--batch-size must be >= 2 (FedDecorr and BatchNorm need a batch), got " + batchSize);
        }
        if (!(criticMix >= 0 && criticMix <= 1)) {
            throw new IllegalArgumentException("--critic-mix must be in [0, 1], got " + criticMix);
        }
    }

    /** The paper's schedule: warm-up, then 11 rounds × 11 local steps. */
    public static DemoSettings standard(Path out, long seed, Path dataDir, Path designersFile, Path cacheDir) {
        return new DemoSettings(out, false, seed, dataDir, designersFile, cacheDir, 500, 300, 30, 11, 11, 60, 20, 8, 0.0, 1.0, LossWeights.defaults().adversarial(), 8, 1.0);
    }

    /** A smoke run: same pipeline, tiny schedule. */
    public static DemoSettings quick(Path out, long seed, Path dataDir, Path designersFile, Path cacheDir) {
        return new DemoSettings(out, true, seed, dataDir, designersFile, cacheDir, 120, 80, 4, 2, 3, 6, 3, 4, 0.0, 1.0, LossWeights.defaults().adversarial(), 8, 1.0);
    }

    public DemoSettings withSchedule(int newRounds, int newLocalSteps, int newWarmup) {
        return new DemoSettings(out, quick, seed, dataDir, designersFile, cacheDir, publicNetSteps, evaluatorSteps, newWarmup,
                newRounds, newLocalSteps, distillSteps, perCategory, gridColumns, proximalMu, blend, adversarialWeight, batchSize, criticMix);
    }

    public DemoSettings withProximalMu(double mu) {
        return new DemoSettings(out, quick, seed, dataDir, designersFile, cacheDir, publicNetSteps, evaluatorSteps, warmupSteps,
                rounds, localSteps, distillSteps, perCategory, gridColumns, mu, blend, adversarialWeight, batchSize, criticMix);
    }

    public DemoSettings withDistillSteps(int steps) {
        return new DemoSettings(out, quick, seed, dataDir, designersFile, cacheDir, publicNetSteps, evaluatorSteps, warmupSteps,
                rounds, localSteps, steps, perCategory, gridColumns, proximalMu, blend, adversarialWeight, batchSize, criticMix);
    }

    public DemoSettings withAdversarialWeight(float w) {
        return new DemoSettings(out, quick, seed, dataDir, designersFile, cacheDir, publicNetSteps, evaluatorSteps, warmupSteps,
                rounds, localSteps, distillSteps, perCategory, gridColumns, proximalMu, blend, w, batchSize, criticMix);
    }

    public DemoSettings withCriticMix(double mix) {
        return new DemoSettings(out, quick, seed, dataDir, designersFile, cacheDir, publicNetSteps, evaluatorSteps, warmupSteps,
                rounds, localSteps, distillSteps, perCategory, gridColumns, proximalMu, blend, adversarialWeight, batchSize, mix);
    }

    public DemoSettings withBatchSize(int b) {
        return new DemoSettings(out, quick, seed, dataDir, designersFile, cacheDir, publicNetSteps, evaluatorSteps, warmupSteps,
                rounds, localSteps, distillSteps, perCategory, gridColumns, proximalMu, blend, adversarialWeight, b, criticMix);
    }

    /** The trainer settings every designer uses (seeds are set per designer by the federation). */
    public TrainerSettings trainerSettings() {
        return TrainerSettings.defaults(seed).withBatchSize(batchSize)
                .withWeights(LossWeights.defaults().withAdversarial(adversarialWeight));
    }

    public DemoSettings withBlend(double a) {
        return new DemoSettings(out, quick, seed, dataDir, designersFile, cacheDir, publicNetSteps, evaluatorSteps, warmupSteps,
                rounds, localSteps, distillSteps, perCategory, gridColumns, proximalMu, a, adversarialWeight, batchSize, criticMix);
    }
}
