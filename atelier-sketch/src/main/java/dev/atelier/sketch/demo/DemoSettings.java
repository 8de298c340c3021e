package dev.atelier.sketch.demo;

import dev.atelier.sketch.fed.Schedule;
import dev.atelier.sketch.train.LossWeights;
import dev.atelier.sketch.train.TrainerSettings;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of one {@code atelier demo} run: a {@link DemoPreset} with the user's overrides.
 * Every default number lives in {@link DemoPreset} (the CLI's help reads it from there).
 *
 * @param out        output directory (its layout: {@link DemoLayout})
 * @param seed       seeds designers' data, model initialisation and batch order
 * @param preset     the preset the other groups started from (reported; {@code quick} in report.json)
 * @param inputs     where data, designer profiles and cached networks come from
 * @param schedule   warm-up, rounds and local steps of every designer
 * @param budget     training steps of the side networks (public feature network, evaluator, students)
 * @param evaluation held-out set, report grid and latency measurement sizes
 * @param training   the designers' local GAN training (batch, adversarial loss weight)
 * @param federation how the critic is federated and how federated sketches blend styles
 */
public record DemoSettings(
        Path out,
        long seed,
        DemoPreset preset,
        Inputs inputs,
        Schedule schedule,
        Budget budget,
        Evaluation evaluation,
        Training training,
        Federation federation) {
    public DemoSettings {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(evaluation, "evaluation");
        Objects.requireNonNull(training, "training");
        Objects.requireNonNull(federation, "federation");
    }

    /**
     * @param dataDir       Fashion-MNIST folder, or null for the standard search
     * @param designersFile designer profiles JSON, or null for the built-in eight
     * @param cacheDir      where the public feature network and evaluator are cached
     */
    public record Inputs(Path dataDir, Path designersFile, Path cacheDir) {
        public Inputs {
            Objects.requireNonNull(cacheDir, "cacheDir");
        }
    }

    /**
     * @param publicNetSteps training steps (batch 64) of the public feature network
     * @param evaluatorSteps training steps of the evaluator
     * @param distillSteps   student distillation steps per designer
     */
    public record Budget(int publicNetSteps, int evaluatorSteps, int distillSteps) {
        public Budget {
            if (publicNetSteps < 1 || evaluatorSteps < 1 || distillSteps < 0) {
                throw new IllegalArgumentException("demo budget needs public-net and evaluator steps >= 1 and"
                        + " distill steps >= 0, got " + publicNetSteps + "/" + evaluatorSteps + "/" + distillSteps);
            }
        }
    }

    /**
     * @param perCategory    held-out test garments per category (10 categories)
     * @param gridColumns    held-out garments shown per designer in the report grid
     * @param latencyWarmup  untimed runs of teacher and student before timing them
     * @param latencyRuns    timed runs of each (the report gives the median)
     */
    public record Evaluation(int perCategory, int gridColumns, int latencyWarmup, int latencyRuns) {
        public Evaluation {
            if (perCategory < 1 || gridColumns < 1 || latencyWarmup < 0 || latencyRuns < 1) {
                throw new IllegalArgumentException("demo evaluation needs perCategory, gridColumns, latencyRuns >= 1"
                        + " and latencyWarmup >= 0, got " + perCategory + "/" + gridColumns + "/" + latencyWarmup
                        + "/" + latencyRuns);
            }
        }
    }

    /**
     * @param batchSize         GAN batch size of every designer's local steps (≥ 2: FedDecorr and BatchNorm)
     * @param adversarialWeight weight of the generator's adversarial (critic) loss term; the other
     *                          loss weights are {@link LossWeights#defaults()}
     */
    public record Training(int batchSize, float adversarialWeight) {
        public Training {
            if (batchSize < 2) {
                throw new IllegalArgumentException(
                        "--batch-size must be >= 2 (FedDecorr and BatchNorm need a batch), got " + batchSize);
            }
            if (!(adversarialWeight >= 0) || Float.isInfinite(adversarialWeight)) {
                throw new IllegalArgumentException(
                        "adversarial weight must be finite and >= 0, got " + adversarialWeight);
            }
        }
    }

    /**
     * @param proximalMu FedProx coefficient for the critic (0 = FedAvg)
     * @param criticMix  personalisation: designers start each round from {@code mix·global + (1−mix)·own}
     *                   critic (1 = FedGAI)
     * @param blend      style-card blend a (1 = own style only) used for the federated sketches
     */
    public record Federation(double proximalMu, double criticMix, double blend) {
        public Federation {
            if (!(proximalMu >= 0) || Double.isInfinite(proximalMu)) {
                throw new IllegalArgumentException("--mu must be finite and >= 0, got " + proximalMu);
            }
            if (!(criticMix >= 0 && criticMix <= 1)) {
                throw new IllegalArgumentException("--critic-mix must be in [0, 1], got " + criticMix);
            }
            if (!(blend >= 0 && blend <= 1)) {
                throw new IllegalArgumentException("--blend must be in [0, 1], got " + blend);
            }
        }
    }

    /** Starts from {@code preset}; override single values, then {@link Builder#build()}. */
    public static Builder builder(DemoPreset preset, Path out, long seed, Inputs inputs) {
        return new Builder(preset, out, seed, inputs);
    }

    /** Where this run writes its files. */
    public DemoLayout layout() {
        return new DemoLayout(out);
    }

    /** The trainer settings every designer uses (seeds are set per designer by the federation). */
    public TrainerSettings trainerSettings() {
        return TrainerSettings.defaults(seed)
                .withBatchSize(training.batchSize())
                .withWeights(LossWeights.defaults().withAdversarial(training.adversarialWeight()));
    }

    /** Overrides of a preset; a null override keeps the preset's value; {@link #build()} validates. */
    public static final class Builder {
        private final DemoPreset preset;
        private final Path out;
        private final long seed;
        private final Inputs inputs;
        private Integer warmupSteps;
        private Integer rounds;
        private Integer localSteps;
        private Integer distillSteps;
        private Integer batchSize;
        private Float adversarialWeight;
        private Double proximalMu;
        private Double criticMix;
        private Double blend;

        private Builder(DemoPreset preset, Path out, long seed, Inputs inputs) {
            this.preset = Objects.requireNonNull(preset, "preset");
            this.out = out;
            this.seed = seed;
            this.inputs = inputs;
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

        public Builder optAdversarialWeight(Float v) {
            adversarialWeight = v;
            return this;
        }

        public Builder optProximalMu(Double v) {
            proximalMu = v;
            return this;
        }

        public Builder optCriticMix(Double v) {
            criticMix = v;
            return this;
        }

        public Builder optBlend(Double v) {
            blend = v;
            return this;
        }

        /** The preset with every non-null override applied. */
        public DemoSettings build() {
            Schedule s = preset.schedule();
            Budget b = preset.budget();
            Training t = preset.training();
            Federation f = preset.federation();
            return new DemoSettings(
                    out,
                    seed,
                    preset,
                    inputs,
                    new Schedule(
                            or(warmupSteps, s.warmupSteps()), or(rounds, s.rounds()), or(localSteps, s.localSteps())),
                    new Budget(b.publicNetSteps(), b.evaluatorSteps(), or(distillSteps, b.distillSteps())),
                    preset.evaluation(),
                    new Training(or(batchSize, t.batchSize()), or(adversarialWeight, t.adversarialWeight())),
                    new Federation(or(proximalMu, f.proximalMu()), or(criticMix, f.criticMix()), or(blend, f.blend())));
        }

        private static <T> T or(T override, T preset) {
            return override != null ? override : preset;
        }
    }
}
