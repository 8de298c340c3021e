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
public record DemoSettings(
        Path out,
        boolean quick,
        long seed,
        Path dataDir,
        Path designersFile,
        Path cacheDir,
        int publicNetSteps,
        int evaluatorSteps,
        int warmupSteps,
        int rounds,
        int localSteps,
        int distillSteps,
        int perCategory,
        int gridColumns,
        double proximalMu,
        double blend,
        float adversarialWeight,
        int batchSize,
        double criticMix) {
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
            throw new IllegalArgumentException(
                    "--batch-size must be >= 2 (FedDecorr and BatchNorm need a batch), got " + batchSize);
        }
        if (!(criticMix >= 0 && criticMix <= 1)) {
            throw new IllegalArgumentException("--critic-mix must be in [0, 1], got " + criticMix);
        }
    }

    /** The paper's schedule (warm-up, then 11 rounds × 11 local steps) at batch 8, which fits 5 minutes on 2 cores. */
    public static Builder standard(Path out, long seed, Path dataDir, Path designersFile, Path cacheDir) {
        return new Builder(new DemoSettings(
                out,
                false,
                seed,
                dataDir,
                designersFile,
                cacheDir,
                500,
                300,
                30,
                11,
                11,
                60,
                20,
                8,
                0.0,
                1.0,
                LossWeights.defaults().adversarial(),
                8,
                1.0));
    }

    /** A smoke run: same pipeline, tiny schedule. */
    public static Builder quick(Path out, long seed, Path dataDir, Path designersFile, Path cacheDir) {
        return new Builder(new DemoSettings(
                out,
                true,
                seed,
                dataDir,
                designersFile,
                cacheDir,
                120,
                80,
                4,
                2,
                3,
                6,
                3,
                4,
                0.0,
                1.0,
                LossWeights.defaults().adversarial(),
                8,
                1.0));
    }

    /** The trainer settings every designer uses (seeds are set per designer by the federation). */
    public TrainerSettings trainerSettings() {
        return TrainerSettings.defaults(seed)
                .withBatchSize(batchSize)
                .withWeights(LossWeights.defaults().withAdversarial(adversarialWeight));
    }

    /** Overrides of a preset ({@link #standard} or {@link #quick}); {@link #build()} validates. */
    public static final class Builder {
        private final DemoSettings preset;
        private Integer warmupSteps;
        private Integer rounds;
        private Integer localSteps;
        private Integer distillSteps;
        private Integer batchSize;
        private Double proximalMu;
        private Double blend;
        private Float adversarialWeight;
        private Double criticMix;

        private Builder(DemoSettings preset) {
            this.preset = preset;
        }

        public Builder optWarmupSteps(Integer v) {
            warmupSteps = v;
            return this;
        }

        public Builder optRounds(Integer v) {
            rounds = v;
            return this;
        }

        public Builder optLocalSteps(Integer v) {
            localSteps = v;
            return this;
        }

        public Builder optDistillSteps(Integer v) {
            distillSteps = v;
            return this;
        }

        public Builder optBatchSize(Integer v) {
            batchSize = v;
            return this;
        }

        public Builder optProximalMu(Double v) {
            proximalMu = v;
            return this;
        }

        public Builder optBlend(Double v) {
            blend = v;
            return this;
        }

        public Builder optAdversarialWeight(Float v) {
            adversarialWeight = v;
            return this;
        }

        public Builder optCriticMix(Double v) {
            criticMix = v;
            return this;
        }

        /** The preset with every non-null override applied. */
        public DemoSettings build() {
            DemoSettings p = preset;
            return new DemoSettings(
                    p.out,
                    p.quick,
                    p.seed,
                    p.dataDir,
                    p.designersFile,
                    p.cacheDir,
                    p.publicNetSteps,
                    p.evaluatorSteps,
                    or(warmupSteps, p.warmupSteps),
                    or(rounds, p.rounds),
                    or(localSteps, p.localSteps),
                    or(distillSteps, p.distillSteps),
                    p.perCategory,
                    p.gridColumns,
                    or(proximalMu, p.proximalMu),
                    or(blend, p.blend),
                    or(adversarialWeight, p.adversarialWeight),
                    or(batchSize, p.batchSize),
                    or(criticMix, p.criticMix));
        }

        private static <T> T or(T override, T preset) {
            return override != null ? override : preset;
        }
    }
}
